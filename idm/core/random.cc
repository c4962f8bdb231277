#include "idm/core/random.h"

#include <array>

namespace idm::core {

std::string NewUuid(Random& random) {
  std::array<uint8_t, 16> b{};
  random.Fill(b.data(), b.size());
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4 (RFC 9562 §5.4)
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
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

}  // namespace idm::core
