// OpContext: who asks, from where, and when — passed to every domain-service call that changes
// state, so the audit event written in the same transaction can name them (ARCHITECTURE.md
// decision 6) and "now" is read once per request (CONVENTIONS.md §6).
#pragma once

#include <string>

#include "idm/core/clock.h"

namespace idm::core {

struct OpContext {
  std::string actor;        // "user:<id>", "client:<client_id>", "cli", "system"
  std::string client_ip;    // "" when not from the network
  std::string request_id;   // X-Request-Id of the HTTP request, "" for the CLI
  UnixMillis now = 0;
};

}  // namespace idm::core
