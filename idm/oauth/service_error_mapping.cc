#include "idm/oauth/service_error_mapping.h"

#include "idm/core/log.h"

namespace idm::oauth {

Error FromServiceError(const core::ServiceError& error, const char* what) {
  if (error.code == core::ServiceErrorCode::kUnavailable) {
    core::log::Warn("oauth: store unavailable", {{"what", what}, {"detail", error.detail}});
    return {ErrorCode::kTemporarilyUnavailable, "the service is temporarily unavailable", false};
  }
  core::log::Error(
      "oauth: internal error",
      {{"what", what}, {"code", static_cast<int>(error.code)}, {"detail", error.detail}});
  return ServerError("internal error");
}

}  // namespace idm::oauth
