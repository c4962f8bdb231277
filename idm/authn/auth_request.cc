// AuthRequest / FlowData JSON; see auth_request.h.
#include "idm/authn/auth_request.h"

#include "idm/core/json.h"

namespace idm::authn {

std::string FlowDataToJson(const FlowData& data) {
  const AuthRequest& r = data.request;
  core::Json prompt = core::Json::array();
  if (r.prompt_none) prompt.push_back("none");
  if (r.prompt_login) prompt.push_back("login");
  if (r.prompt_consent) prompt.push_back("consent");
  if (r.prompt_select_account) prompt.push_back("select_account");
  core::Json j = {{"client_id", r.client_id},
                  {"redirect_uri", r.redirect_uri},
                  {"redirect_uri_in_request", r.redirect_uri_in_request},
                  {"response_mode", r.form_post ? "form_post" : "query"},
                  {"scope", r.scope},
                  {"state", r.state},
                  {"nonce", r.nonce},
                  {"prompt", prompt},
                  {"login_hint", r.login_hint},
                  {"ui_locales", r.ui_locales},
                  {"acr_values", r.acr_values},
                  {"essential_acr", r.essential_acr},
                  {"code_challenge", r.code_challenge},
                  {"code_challenge_method", r.code_challenge_method},
                  {"session_id", data.session_id}};
  if (r.max_age) j["max_age"] = *r.max_age;
  return j.dump();
}

core::Result<FlowData, std::string> FlowDataFromJson(const std::string& text) {
  core::Json j = core::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return core::Err(std::string("login flow data is not a JSON object"));
  try {
    FlowData data;
    AuthRequest& r = data.request;
    r.client_id = j.at("client_id").get<std::string>();
    r.redirect_uri = j.at("redirect_uri").get<std::string>();
    r.redirect_uri_in_request = j.value("redirect_uri_in_request", true);
    r.form_post = j.at("response_mode").get<std::string>() == "form_post";
    r.scope = j.at("scope").get<std::vector<std::string>>();
    r.state = j.at("state").get<std::string>();
    r.nonce = j.at("nonce").get<std::string>();
    for (const auto& p : j.at("prompt")) {
      const std::string v = p.get<std::string>();
      r.prompt_none |= v == "none";
      r.prompt_login |= v == "login";
      r.prompt_consent |= v == "consent";
      r.prompt_select_account |= v == "select_account";
    }
    if (j.contains("max_age")) r.max_age = j.at("max_age").get<int64_t>();
    r.login_hint = j.at("login_hint").get<std::string>();
    r.ui_locales = j.at("ui_locales").get<std::vector<std::string>>();
    r.acr_values = j.at("acr_values").get<std::vector<std::string>>();
    r.essential_acr = j.value("essential_acr", std::vector<std::string>{});
    r.code_challenge = j.at("code_challenge").get<std::string>();
    r.code_challenge_method = j.at("code_challenge_method").get<std::string>();
    data.session_id = j.at("session_id").get<std::string>();
    return data;
  } catch (const core::Json::exception& e) {
    return core::Err(std::string("login flow data: ") + e.what());
  }
}

std::string JoinScope(const std::vector<std::string>& scope) {
  std::string out;
  for (const std::string& s : scope) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace idm::authn
