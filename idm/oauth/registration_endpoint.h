// Dynamic client registration endpoint (RFC 7591 §3) and client configuration endpoint
// (RFC 7592 §2):
//   POST   /realms/{realm}/clients-registrations              register (RFC 7591 §3.1)
//   GET    /realms/{realm}/clients-registrations/{client_id}  read     (RFC 7592 §2.1)
//   PUT    /realms/{realm}/clients-registrations/{client_id}  update   (RFC 7592 §2.2)
//   DELETE /realms/{realm}/clients-registrations/{client_id}  delete   (RFC 7592 §2.3)
// Advertised as registration_endpoint in discovery unless the realm's client_registration is
// "disabled".
//
// Registration: a JSON body of client metadata (client_metadata.h), an initial access token as
// bearer token when the realm requires one (RealmSettings::client_registration). The 201 response
// (§3.2.1) carries the registered metadata, client_id, client_id_issued_at, client_secret
// (clients with a secret only, shown once), client_secret_expires_at 0 (never),
// registration_access_token ("idm_rat_...", shown once) and registration_client_uri.
// The configuration endpoint takes that registration access token as bearer token (header only).
// Read and update answer 200 with the metadata, registration_client_uri and a new
// registration_access_token (RFC 7592 §3): idm stores only the token's hash, so every successful
// read or update rotates it, and the token just used stops working at once.
//
// A sector_identifier_uri is fetched and checked on registration and on every update
// (sector_identifier.h); a PUT fetches it only after the registration access token was accepted.
//
// Errors: 400 {error: invalid_client_metadata | invalid_redirect_uri} (RFC 7591 §3.2.2);
// 401 WWW-Authenticate Bearer invalid_token for a missing or bad token (RFC 6750 §3.1; RFC 7592
// §2: also for an unknown client_id, never 404); 403 access_denied when registration is
// disabled; 404 for an unknown realm; 503 when the store is unreachable.
//
// Thread-safety: Handle* are safe to call concurrently.
#pragma once

#include <string>

#include "idm/core/clock.h"
#include "idm/http/web.h"
#include "idm/oauth/discovery_endpoint.h"
#include "idm/oauth/sector_identifier.h"
#include "idm/realm/registration_service.h"

namespace idm::oauth {

// The path of the registration endpoint under the issuer: kClientRegistrationPath
// (discovery_endpoint.h).

class RegistrationEndpoint {
 public:
  // `sector`: how sector_identifier_uri documents are fetched (tests trust their own CA).
  RegistrationEndpoint(std::string public_url, realm::RegistrationService& registrations,
                       const core::Clock& clock, SectorFetchOptions sector = {})
      : public_url_(std::move(public_url)),
        registrations_(registrations),
        clock_(clock),
        sector_(std::move(sector)) {}

  http::WebResponse Register(const http::WebRequest& request) const;  // POST
  http::WebResponse Read(const http::WebRequest& request) const;      // GET
  http::WebResponse Update(const http::WebRequest& request) const;    // PUT
  http::WebResponse Delete(const http::WebRequest& request) const;    // DELETE

 private:
  core::OpContext Context(const http::WebRequest& request, const std::string& actor) const;
  std::string ClientUri(const std::string& realm, const std::string& client_id) const;
  http::WebResponse ConfigurationResponse(const std::string& realm,
                                          const realm::RegisteredClient& registered) const;

  std::string public_url_;
  realm::RegistrationService& registrations_;
  const core::Clock& clock_;
  SectorFetchOptions sector_;
};

}  // namespace idm::oauth
