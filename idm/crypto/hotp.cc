// HOTP through liboath; see hotp.h.
#include "idm/crypto/hotp.h"

#include <liboath/oath.h>

#include <array>

#include "idm/crypto/hash.h"
#include "idm/crypto/oath_support.h"

namespace idm::crypto {
namespace {

// oath_validate_strcmp_function: 0 only when the candidate equals the submitted code, compared
// in constant time (liboath's own oath_hotp_validate uses strcmp).
int ConstantTimeCompare(void* handle, const char* candidate) {
  const auto* code = static_cast<const std::string_view*>(handle);
  return ConstantTimeEquals(std::string_view(candidate), *code) ? 0 : 1;
}

}  // namespace

std::optional<std::string> HotpCode(std::string_view seed, uint64_t counter, int digits) {
  if (!oath::OathReady() || digits < 6 || digits > 8) return std::nullopt;
  std::array<char, 16> out{};
  const int rc =
      oath_hotp_generate(seed.data(), seed.size(), counter, static_cast<unsigned>(digits),
                         /*add_checksum=*/false, OATH_HOTP_DYNAMIC_TRUNCATION, out.data());
  if (rc != OATH_OK) return std::nullopt;
  return std::string(out.data());
}

uint64_t NextHotpCounter(std::optional<int64_t> last_accepted) {
  if (!last_accepted || *last_accepted < 0) return 0;
  return static_cast<uint64_t>(*last_accepted) + 1;
}

std::optional<uint64_t> VerifyHotp(std::string_view seed, std::string_view code, uint64_t next,
                                   int window, int digits) {
  if (!oath::OathReady() || window < 1 || digits < 6 || digits > 8 ||
      !oath::AllDigits(code, digits)) {
    return std::nullopt;
  }
  // liboath tries start_moving_factor .. start_moving_factor + window inclusive and returns the
  // offset of the first match, so `window - 1` gives exactly `window` candidates.
  const int rc =
      oath_hotp_validate_callback(seed.data(), seed.size(), next, static_cast<size_t>(window - 1),
                                  static_cast<unsigned>(digits), ConstantTimeCompare, &code);
  if (rc < 0) return std::nullopt;  // OATH_INVALID_OTP or another liboath error
  return next + static_cast<uint64_t>(rc);
}

}  // namespace idm::crypto
