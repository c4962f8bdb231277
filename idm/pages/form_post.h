// The OAuth 2.0 Form Post Response Mode page (OpenID Foundation, "OAuth 2.0 Form Post Response
// Mode" §2): the authorization response parameters as hidden fields of an HTML form that POSTs
// itself (application/x-www-form-urlencoded) to the client's redirection URI. Without JavaScript
// the user presses the form's button instead.
//
// The page's Content-Security-Policy must allow exactly two things beyond the page defaults
// (http::PagePolicy): submitting to the redirection URI (`form-action`) and the one inline
// auto-submit script, by its SHA-256 hash (CSP Level 3 §2.3.1 hash-source). FormPostPage carries
// both source expressions.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idm::pages {

struct FormPostPage {
  std::string html;                // the complete document
  std::string form_action_source;  // CSP source for the redirect URI; "" if none can express it
  std::string script_source;       // "'sha256-…'" of the auto-submit script
};

struct FormPostTexts {
  std::string lang = "en";
  std::string title = "Continuing…";
  std::string message = "JavaScript is turned off. Press the button to continue.";
  std::string button = "Continue";
};

// Renders the page. `redirect_uri` must already be validated (exact match against the client's
// registration, RFC 9700 §2.1); every value is HTML-escaped here.
FormPostPage RenderFormPost(std::string_view redirect_uri,
                            const std::vector<std::pair<std::string, std::string>>& params,
                            const FormPostTexts& texts = {});

// A CSP source expression (CSP Level 3 §2.3.1) matching `url` for `form-action`: scheme, host,
// port and path, without query or fragment (which CSP ignores when matching); ';' ',' and
// whitespace in the path are percent-encoded. A URL without "//" authority gives a scheme-source
// ("com.example.app:"). "" when the URL has no scheme or its authority holds characters a source
// expression cannot carry.
std::string CspSourceForUrl(std::string_view url);

}  // namespace idm::pages
