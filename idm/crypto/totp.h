// TOTP (RFC 6238) through liboath: code generation and verification with a window of time steps,
// reporting which step matched so the caller can apply the store's replay guard
// (store::CredentialRepo::AcceptTotpStep). Also base32 (RFC 4648 §6) for the seed as users type it.
//
// Defaults follow RFC 6238 §5.2 and common authenticator apps: HMAC-SHA-1, 6 digits, X = 30 s,
// T0 = 0, and a verification window of one step either side ("at most one time step is allowed
// as the network delay", §5.2). The comparison with the submitted code is constant time.
//
// Thread-safety: free functions; liboath is initialised once (thread-safe static).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idm::crypto {

enum class TotpHash { kSha1, kSha256, kSha512 };

struct TotpParams {
  TotpHash hash = TotpHash::kSha1;
  int digits = 6;     // 6..8
  int period_s = 30;  // X
};

// "SHA1" / "SHA256" / "SHA512" (the otpauth:// algorithm names); nullopt for anything else.
std::optional<TotpHash> TotpHashFromName(std::string_view name);
const char* TotpHashName(TotpHash hash);

// The time step T = floor(unix_seconds / period) (RFC 6238 §4.2).
int64_t TotpStep(int64_t unix_seconds, int period_s);

// The code for `seed` (raw bytes) at `unix_seconds`; nullopt if liboath refuses the parameters.
std::optional<std::string> TotpCode(std::string_view seed, int64_t unix_seconds,
                                    const TotpParams& params);

// The time step whose code equals `code`, searching the steps within `window` of now's step
// (the current step first, then older, then newer); nullopt when none matches or the code is not
// `digits` decimal digits.
std::optional<int64_t> VerifyTotp(std::string_view seed, std::string_view code,
                                  int64_t unix_seconds, const TotpParams& params, int window = 1);

// RFC 4648 §6 base32 without padding (what authenticator apps accept and show).
std::string Base32Encode(std::string_view bytes);
// Accepts upper or lower case, optional padding, spaces and dashes; nullopt on anything else.
std::optional<std::string> Base32Decode(std::string_view text);

}  // namespace idm::crypto
