// GET /resources/webauthn.js: the passkey page script (docs/design/018-webauthn.md), served as a
// static file so the pages keep CSP script-src 'self'. The passkey form posts are handled in
// login_actions_endpoint.cc.
#include "idm/core/embedded.h"
#include "idm/oauth/login_pages.h"

namespace idm::embedded {
const std::vector<core::EmbeddedFile>& login_scripts();
}  // namespace idm::embedded

namespace idm::oauth {
http::WebResponse BrowserLogin::HandleWebAuthnScript(const http::WebRequest&) const {
  for (const core::EmbeddedFile& f : embedded::login_scripts()) {
    if (f.path != "webauthn.js") continue;
    http::WebResponse response =
        http::WebResponse::Bytes(200, "text/javascript; charset=utf-8", std::string(f.content));
    response.SetHeader("Cache-Control", "public, max-age=3600");
    return response;
  }
  return http::WebResponse::Text(404, "not found");
}

}  // namespace idm::oauth
