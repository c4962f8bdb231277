// Security headers for server-rendered HTML pages (ARCHITECTURE.md decisions 8 and 10):
//   Content-Security-Policy: default-src 'none'; [script-src <hashes>;] style-src 'self';
//       img-src 'self' data:; form-action 'self' <allowed>; [frame-src <allowed>;]
//       frame-ancestors 'none';
//       base-uri 'none'
//     (CSP Level 3; frame-ancestors forbids framing, i.e. clickjacking of the login form;
//     form-action names where forms may post — 'self', plus the client's redirect URI for a
//     form_post response; scripts are off unless a hash or nonce source allows one inline script)
//   X-Frame-Options: DENY            (the same for user agents without CSP frame-ancestors)
//   Referrer-Policy: no-referrer     (flow ids and codes in URLs never leak to other sites)
//   Cache-Control: no-store, Pragma: no-cache  (pages carry CSRF tokens and personal data;
//     Form Post Response Mode §2 asks the same of its page)
//   X-Content-Type-Options: nosniff
// These replace the server's generic defaults (middleware's ApplySecurityHeaders only fills
// headers an endpoint left unset).
//
// Thread-safety: free functions.
#pragma once

#include <string>
#include <vector>

#include "idm/http/web.h"

namespace idm::http {

struct PagePolicy {
  std::vector<std::string> form_action;  // CSP sources allowed besides 'self'
  std::vector<std::string> script_src;   // e.g. "'sha256-…'" or "'nonce-…'"; empty: no scripts
  std::vector<std::string> frame_src;    // origins the page may frame (front-channel logout);
                                         // empty: none (default-src 'none')
  std::vector<std::string> connect_src;  // fetch targets, e.g. "'self'" (the passkey script asks
                                         // for WebAuthn options); empty: none
};

// The Content-Security-Policy value for `policy`. A source that could break out of its directive
// (empty, or holding ';' ',' whitespace, a control character or non-ASCII) is left out, never
// passed through.
std::string PageContentSecurityPolicy(const PagePolicy& policy);

// Sets every header above on `response`, replacing values already present.
void ApplyPageHeaders(WebResponse& response, const PagePolicy& policy = {});

}  // namespace idm::http
