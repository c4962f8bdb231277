// The routes of `idm serve`: operations (/health/*, /metrics), and the protocol and admin
// endpoints with the services they need (signing keys, token endpoint, admin API). Owns those
// endpoint objects; the router's handlers refer to them, so Routes must outlive the server.
//
// Thread-safety: built once on the main thread; handlers are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "idm/app/runtime.h"
#include "idm/core/metrics.h"
#include "idm/crypto/kek.h"
#include "idm/http/router.h"
#include "idm/mail/mail_queue.h"
#include "idm/mail/smtp_settings_service.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/realm/batched_audit_writer.h"

namespace idm::app {

struct Routes {
  http::Router router;
  std::vector<std::shared_ptr<void>> owned;  // endpoint objects the handlers use
  oauth::KeyService* keys = nullptr;          // the key service the endpoints use (in `owned`)
  // The started batched audit writer of the token endpoint (in `owned`); the server stops it
  // after the HTTP server, which writes what is still queued.
  realm::BatchedAuditWriter* audit = nullptr;
  // Outgoing mail (docs/design/019), both in `owned`: realms' SMTP settings and the background
  // queue of mails that must not delay or fail their request.
  mail::SmtpSettingsService* smtp = nullptr;
  mail::MailQueue* mail_queue = nullptr;
};

// Builds the router; makes sure every realm has its signing keys first. Fails with a message when
// key set-up fails.
core::Result<Routes, std::string> BuildRoutes(Runtime& rt, const crypto::Kek& kek,
                                              core::metrics::Registry& metrics);

}  // namespace idm::app
