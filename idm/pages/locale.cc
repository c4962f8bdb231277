// Locale negotiation. See locale.h.
#include "idm/pages/locale.h"

#include <algorithm>
#include <utility>

#include "idm/core/ascii.h"

namespace idm::pages {
namespace {

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }

// language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"  (RFC 4647 §2.1, used by RFC 9110 §12.5.4)
bool IsLanguageRange(std::string_view r) {
  if (r == "*") return true;
  size_t start = 0;
  for (bool first = true;; first = false) {
    const size_t dash = r.find('-', start);
    std::string_view sub = r.substr(start, dash == std::string_view::npos ? dash : dash - start);
    if (sub.empty() || sub.size() > 8) return false;
    for (char c : sub) {
      if (first ? !IsAlpha(c) : !IsAlnum(c)) return false;
    }
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

// qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")])  (RFC 9110 §12.4.2), in thousandths.
std::optional<int> ParseQValue(std::string_view v) {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return std::nullopt;
  int q = (v[0] - '0') * 1000;
  if (v.size() == 1) return q;
  if (v[1] != '.' || v.size() > 5) return std::nullopt;
  int scale = 100;
  for (char c : v.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  if (q > 1000) return std::nullopt;
  return q;
}

// One Accept-Language element: its range and weight; nullopt when malformed.
std::optional<std::pair<std::string, int>> ParseElement(std::string_view element) {
  const size_t semi = element.find(';');
  std::string_view range = TrimOws(element.substr(0, semi));
  if (!IsLanguageRange(range)) return std::nullopt;
  int q = 1000;
  if (semi != std::string_view::npos) {
    std::string_view param = TrimOws(element.substr(semi + 1));
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q')) return std::nullopt;
    param = TrimOws(param.substr(1));
    if (param.empty() || param[0] != '=') return std::nullopt;
    auto parsed = ParseQValue(TrimOws(param.substr(1)));
    if (!parsed) return std::nullopt;
    q = *parsed;
  }
  return std::make_pair(std::string(range), q);
}

}  // namespace

std::vector<std::string> ParseAcceptLanguage(std::string_view header) {
  std::vector<std::pair<std::string, int>> ranges;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    auto parsed = ParseElement(element);
    if (parsed && parsed->second > 0) ranges.push_back(std::move(*parsed));
  }
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (auto& r : ranges) out.push_back(std::move(r.first));
  return out;
}

std::optional<std::string> MatchLocale(std::string_view tag,
                                       const std::vector<std::string>& supported) {
  std::string t = core::AsciiLowered(TrimOws(tag));
  if (t == "*" || !IsLanguageRange(t)) return std::nullopt;
  while (!t.empty()) {
    for (const std::string& s : supported) {
      if (core::AsciiLowered(s) == t) return t;
    }
    const size_t dash = t.rfind('-');
    if (dash == std::string::npos) break;
    t.resize(dash);
    // RFC 4647 §3.4: a single-letter subtag left at the end is removed with the next one.
    if (t.size() >= 2 && t[t.size() - 2] == '-') t.resize(t.size() - 2);
  }
  return std::nullopt;
}

std::string ChooseLocale(const LocaleInputs& in, const std::vector<std::string>& supported) {
  std::string_view ui = in.ui_locales;
  while (!ui.empty()) {
    const size_t space = ui.find(' ');
    std::string_view tag = ui.substr(0, space);
    ui = space == std::string_view::npos ? std::string_view() : ui.substr(space + 1);
    if (tag.empty()) continue;
    if (auto m = MatchLocale(tag, supported)) return *m;
  }
  for (const std::string& range : ParseAcceptLanguage(in.accept_language)) {
    if (auto m = MatchLocale(range, supported)) return *m;
  }
  if (auto m = MatchLocale(in.realm_default, supported)) return *m;
  return "en";
}

}  // namespace idm::pages
