#include "idm/core/random.h"

#include <algorithm>
#include <array>

namespace idm::core {

namespace {

// Sets the version nibble and the RFC 9562 variant (10) and formats the 16 bytes as
// 8-4-4-4-12 lower-case hex.
std::string Format(std::array<uint8_t, 16>& b, uint8_t version) {
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | (version << 4));
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string NewUuid(Random& random) {
  std::array<uint8_t, 16> b{};
  random.Fill(b.data(), b.size());
  return Format(b, 4);  // RFC 9562 §5.4
}

std::string NewTimeOrderedUuid(Random& random, int64_t unix_ms) {
  constexpr int64_t kMax = (int64_t{1} << 48) - 1;
  uint64_t ms = static_cast<uint64_t>(std::clamp<int64_t>(unix_ms, 0, kMax));
  std::array<uint8_t, 16> b{};
  random.Fill(b.data() + 6, b.size() - 6);  // rand_a and rand_b (RFC 9562 §5.7)
  for (int i = 0; i < 6; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  return Format(b, 7);
}

}  // namespace idm::core
