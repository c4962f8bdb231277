#include "idm/crypto/error.h"

namespace idm::crypto {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
      return "malformed";
    case ErrorCode::kInvalidKey:
      return "invalid_key";
    case ErrorCode::kUnsupportedAlgorithm:
      return "unsupported_algorithm";
    case ErrorCode::kAlgorithmNotAllowed:
      return "algorithm_not_allowed";
    case ErrorCode::kKeyMismatch:
      return "key_mismatch";
    case ErrorCode::kKeyNotFound:
      return "key_not_found";
    case ErrorCode::kBadSignature:
      return "bad_signature";
    case ErrorCode::kDecryptFailed:
      return "decrypt_failed";
    case ErrorCode::kExpired:
      return "expired";
    case ErrorCode::kNotYetValid:
      return "not_yet_valid";
    case ErrorCode::kIssuedInFuture:
      return "issued_in_future";
    case ErrorCode::kWrongIssuer:
      return "wrong_issuer";
    case ErrorCode::kWrongAudience:
      return "wrong_audience";
    case ErrorCode::kWrongType:
      return "wrong_type";
    case ErrorCode::kMissingClaim:
      return "missing_claim";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace idm::crypto
