// Maps the domain services' core::ServiceError to an oauth::Error, once, at the edge of the OAuth
// endpoints (CONVENTIONS.md §5). Internal detail (store messages) is logged here and never put in
// the error_description.
//
// Thread-safety: pure functions (logging is thread-safe).
#pragma once

#include "idm/core/service_error.h"
#include "idm/oauth/error.h"

namespace idm::oauth {

// kUnavailable -> temporarily_unavailable (503); every other code -> server_error (500), with
// the ServiceError logged at error level under `what`.
Error FromServiceError(const core::ServiceError& error, const char* what);

}  // namespace idm::oauth
