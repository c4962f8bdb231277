// What the HOTP (hotp.cc) and TOTP (totp.cc) wrappers around liboath share. Internal to
// idm/crypto.
//
// Thread-safety: OathReady() initialises liboath once (a function-local static); both are safe
// from any thread.
#pragma once

#include <string_view>

namespace idm::crypto::oath {

// oath_init() succeeded (run on the first call only).
bool OathReady();

// s is exactly `digits` ASCII digits.
bool AllDigits(std::string_view s, int digits);

}  // namespace idm::crypto::oath
