#include "idm/store/error.h"

namespace idm::store {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kVersionMismatch:
      return "version_mismatch";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kCorrupt:
      return "corrupt";
    case ErrorCode::kInvalid:
      return "invalid";
  }
  return "unknown";
}

}  // namespace idm::store
