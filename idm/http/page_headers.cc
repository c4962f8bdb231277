// Page security headers. See page_headers.h.
#include "idm/http/page_headers.h"

namespace idm::http {
namespace {

// True when `source` is one CSP source expression that cannot end its directive early.
bool IsSafeSource(const std::string& source) {
  if (source.empty()) return false;
  for (char c : source) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == ';' || c == ',') return false;
  }
  return true;
}

std::string Sources(const std::vector<std::string>& sources) {
  std::string out;
  for (const std::string& s : sources) {
    if (IsSafeSource(s)) out += " " + s;
  }
  return out;
}

}  // namespace

std::string PageContentSecurityPolicy(const PagePolicy& policy) {
  std::string csp = "default-src 'none'";
  const std::string scripts = Sources(policy.script_src);
  if (!scripts.empty()) csp += "; script-src" + scripts;
  csp += "; style-src 'self'; img-src 'self' data:; form-action 'self'";
  csp += Sources(policy.form_action);
  const std::string frames = Sources(policy.frame_src);
  if (!frames.empty()) csp += "; frame-src" + frames;
  const std::string connects = Sources(policy.connect_src);
  if (!connects.empty()) csp += "; connect-src" + connects;
  csp += "; frame-ancestors 'none'; base-uri 'none'";
  return csp;
}

void ApplyPageHeaders(WebResponse& response, const PagePolicy& policy) {
  response.SetHeader("Content-Security-Policy", PageContentSecurityPolicy(policy));
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  response.SetHeader("X-Content-Type-Options", "nosniff");
}

}  // namespace idm::http
