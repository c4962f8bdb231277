#include "idm/core/net_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace idm::core {
namespace {

bool IsSeparator(char c) { return c == ',' || c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool InAny(const std::array<uint8_t, 16>& a, const std::vector<AddressRange>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&a](const AddressRange& r) { return r.Contains(a); });
}

}  // namespace

bool AddressRange::Contains(const std::array<uint8_t, 16>& a) const {
  int full = prefix_bits / 8;
  if (std::memcmp(a.data(), address.data(), static_cast<size_t>(full)) != 0) return false;
  int rest = prefix_bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a[static_cast<size_t>(full)] & mask) == (address[static_cast<size_t>(full)] & mask);
}

bool ParseAddress(std::string_view text, std::array<uint8_t, 16>* out) {
  text = Trim(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out->fill(0);
    (*out)[10] = 0xFF;
    (*out)[11] = 0xFF;
    std::memcpy(out->data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out->data(), &v6, 16);
    return true;
  }
  return false;
}

Result<AddressRange, std::string> ParseAddressRange(std::string_view text) {
  text = Trim(text);
  std::string_view addr = text;
  std::string_view bits;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    bits = text.substr(slash + 1);
  }
  AddressRange r;
  if (!ParseAddress(addr, &r.address)) {
    return std::string("\"") + std::string(text) + "\" is not an IPv4/IPv6 address or network";
  }
  const bool v4 = addr.find(':') == std::string_view::npos;
  const int max_bits = v4 ? 32 : 128;
  int prefix = max_bits;
  if (!bits.empty() || text.find('/') != std::string_view::npos) {
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 || prefix > max_bits) {
      return std::string("\"") + std::string(text) + "\" has a prefix length outside 0.." +
             std::to_string(max_bits);
    }
  }
  r.prefix_bits = v4 ? prefix + 96 : prefix;
  return r;
}

Result<std::vector<AddressRange>, std::string> ParseAddressRanges(std::string_view text) {
  std::vector<AddressRange> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSeparator(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSeparator(text[i])) ++i;
    if (i == start) break;
    auto r = ParseAddressRange(text.substr(start, i - start));
    if (!r) return r.error();
    out.push_back(*r);
  }
  return out;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<AddressRange>& trusted) {
  std::array<uint8_t, 16> a{};
  if (trusted.empty() || forwarded_for.empty() || !ParseAddress(peer, &a) || !InAny(a, trusted)) {
    return peer;
  }
  // Walk the hops from the nearest (right-most) to the farthest.
  std::string current = peer;
  size_t end = forwarded_for.size();
  while (true) {
    size_t comma = forwarded_for.rfind(',', end == 0 ? 0 : end - 1);
    size_t start = (comma == std::string_view::npos || comma >= end) ? 0 : comma + 1;
    std::string_view hop = Trim(forwarded_for.substr(start, end - start));
    if (!hop.empty()) {
      // `current` is trusted here, so what it says about its own peer is believed.
      if (!ParseAddress(hop, &a)) return current;
      current = std::string(hop);
      if (current.front() == '[') current = current.substr(1, current.size() - 2);
      if (!InAny(a, trusted)) return current;
    }
    if (start == 0) return current;
    end = start - 1;
  }
}

}  // namespace idm::core
