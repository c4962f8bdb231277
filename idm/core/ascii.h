// ASCII case folding for protocol text: header names, auth schemes, URI schemes and hosts, media
// types, language tags. These compare case-insensitively over ASCII only (RFC 9110 §5.1, §11.1;
// RFC 3986 §3.1, §3.2.2; RFC 5646 §2.1.1), whatever the process locale, so nothing here calls
// std::tolower (which also consults the locale and costs a call per character on hot paths such
// as the header map's comparator).
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace idm::core {

constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// `s` with A-Z mapped to a-z; every other byte unchanged.
inline std::string AsciiLowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

constexpr bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// A strict weak order that ignores ASCII case (the key order of http::Headers).
constexpr bool LessIgnoreCase(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return AsciiLower(x) < AsciiLower(y); });
}

}  // namespace idm::core
