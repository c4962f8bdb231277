// Locale choice for server-rendered pages (ARCHITECTURE.md decision 8). In order of precedence:
//   1. `ui_locales` (OIDC Core §3.1.2.1): space-separated BCP 47 tags in preference order; the
//      first one we support wins;
//   2. the `Accept-Language` header (RFC 9110 §12.5.4) ordered by q-value (§12.4.2), q=0 meaning
//      "not acceptable";
//   3. the realm's default locale;
//   4. "en".
// A tag matches a supported locale by RFC 4647 §3.4 "lookup": case-insensitively, dropping
// subtags from the end ("ko-KR" → "ko"). "*" matches nothing specific, so it falls through.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idm::pages {

struct LocaleInputs {
  std::string_view ui_locales;       // request parameter, "" if absent
  std::string_view accept_language;  // header value, "" if absent
  std::string_view realm_default;    // realm setting, "" if none
};

// The language ranges of an Accept-Language value, most preferred first (stable for equal q).
// Malformed elements (bad range, bad q) and q=0 ranges are skipped; never fails.
std::vector<std::string> ParseAcceptLanguage(std::string_view header);

// The supported locale `tag` falls back to (RFC 4647 §3.4), lower-case; nullopt if none.
std::optional<std::string> MatchLocale(std::string_view tag,
                                       const std::vector<std::string>& supported);

// The locale to render in; always one of `supported`, which must contain "en".
std::string ChooseLocale(const LocaleInputs& in, const std::vector<std::string>& supported);

}  // namespace idm::pages
