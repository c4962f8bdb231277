// HOTP (RFC 4226) through liboath: the code for a counter value, and verification with a
// look-ahead window that reports which counter matched, so the caller can record it with the
// store's replay guard (store::CredentialRepo::AcceptTotpStep, which serves both OTP kinds).
//
// Counter rule (RFC 4226 §7.2, §7.4): the server keeps the counter of the last accepted code.
// A code is accepted only for a counter c with next <= c < next + window, where next is that
// last counter plus one (0 when no code was accepted yet). Accepting c moves the server on to c,
// so neither that code nor any earlier one is ever accepted again; codes the user generated
// without submitting them (the token ran ahead) resynchronise within the window (§7.4).
//
// Parameters: HMAC-SHA-1 (the only hash RFC 4226 defines), 6 digits (RFC 4226 §5.3 minimum and
// what authenticator apps default to), no checksum digit, dynamic truncation (§5.3).
//
// Thread-safety: free functions; liboath is initialised once (thread-safe static).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idm::crypto {

// RFC 4226 §7.4 look-ahead: how many counter values from the next expected one a code may be
// for. 10 lets a user press the button of a hardware token or app up to nine times without
// signing in and still be accepted, while keeping a guess's odds at 10 / 10^6 per try
// (§7.3 throttling in the login flow bounds the tries).
inline constexpr int kHotpLookAhead = 10;

// The code for `seed` (raw bytes) at `counter` with `digits` digits (6..8); nullopt if liboath
// refuses the parameters.
std::optional<std::string> HotpCode(std::string_view seed, uint64_t counter, int digits = 6);

// The first counter an HOTP code is expected for: 0 when none was accepted yet, else one past
// the last accepted counter.
uint64_t NextHotpCounter(std::optional<int64_t> last_accepted);

// The counter c in [next, next + window - 1] whose code equals `code` (the lowest such c),
// through liboath's oath_hotp_validate_callback with a constant-time comparison; nullopt when
// none matches, the code is not `digits` decimal digits, or window < 1.
std::optional<uint64_t> VerifyHotp(std::string_view seed, std::string_view code, uint64_t next,
                                   int window = kHotpLookAhead, int digits = 6);

}  // namespace idm::crypto
