// TOTP through liboath; see totp.h.
#include "idm/crypto/totp.h"

#include <liboath/oath.h>

#include <array>
#include <cstdlib>

#include "idm/crypto/hash.h"
#include "idm/crypto/oath_support.h"

namespace idm::crypto {
namespace {

int OathFlags(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha256:
      return OATH_TOTP_HMAC_SHA256;
    case TotpHash::kSha512:
      return OATH_TOTP_HMAC_SHA512;
    case TotpHash::kSha1:
      break;
  }
  return 0;
}

}  // namespace

std::optional<TotpHash> TotpHashFromName(std::string_view name) {
  if (name == "SHA1") return TotpHash::kSha1;
  if (name == "SHA256") return TotpHash::kSha256;
  if (name == "SHA512") return TotpHash::kSha512;
  return std::nullopt;
}

const char* TotpHashName(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha256:
      return "SHA256";
    case TotpHash::kSha512:
      return "SHA512";
    case TotpHash::kSha1:
      break;
  }
  return "SHA1";
}

int64_t TotpStep(int64_t unix_seconds, int period_s) {
  if (period_s <= 0 || unix_seconds < 0) return 0;
  return unix_seconds / period_s;
}

std::optional<std::string> TotpCode(std::string_view seed, int64_t unix_seconds,
                                    const TotpParams& params) {
  if (!oath::OathReady() || params.digits < 6 || params.digits > 8 || params.period_s <= 0) {
    return std::nullopt;
  }
  std::array<char, 16> out{};
  const int rc =
      oath_totp_generate2(seed.data(), seed.size(), static_cast<time_t>(unix_seconds),
                          static_cast<unsigned>(params.period_s), 0,
                          static_cast<unsigned>(params.digits), OathFlags(params.hash), out.data());
  if (rc != OATH_OK) return std::nullopt;
  return std::string(out.data());
}

std::optional<int64_t> VerifyTotp(std::string_view seed, std::string_view code,
                                  int64_t unix_seconds, const TotpParams& params, int window) {
  if (!oath::AllDigits(code, params.digits) || window < 0) return std::nullopt;
  const int64_t now_step = TotpStep(unix_seconds, params.period_s);
  std::optional<int64_t> matched;
  // Every candidate is computed and compared in constant time, so the time taken does not say
  // which step (if any) matched. Order of preference: now, then older, then newer.
  for (int i = 0; i <= 2 * window; ++i) {
    const int64_t offset = i == 0 ? 0 : (i % 2 == 1 ? -((i + 1) / 2) : i / 2);
    const int64_t step = now_step + offset;
    if (step < 0) continue;
    auto expected = TotpCode(seed, step * params.period_s, params);
    if (expected && ConstantTimeEquals(*expected, code) && !matched) matched = step;
  }
  return matched;
}

std::string Base32Encode(std::string_view bytes) {
  char* out = nullptr;
  size_t len = 0;
  if (!oath::OathReady() || oath_base32_encode(bytes.data(), bytes.size(), &out, &len) != OATH_OK) {
    std::abort();  // only fails when memory runs out
  }
  std::string text(out, len);
  std::free(out);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    clean.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  char* out = nullptr;
  size_t len = 0;
  if (!oath::OathReady() || oath_base32_decode(clean.data(), clean.size(), &out, &len) != OATH_OK) {
    return std::nullopt;
  }
  std::string bytes(out, len);
  std::free(out);
  return bytes;
}

}  // namespace idm::crypto
