// RFC 6749 §4.1.2 / §4.1.2.1 responses, RFC 9207 iss, OAuth 2.0 Form Post Response Mode.
#include "idm/oauth/authorization_response.h"

namespace idm::oauth {
namespace {

constexpr size_t kMaxDescription = 200;

bool IsUnreservedByte(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsDescriptionChar(unsigned char c) {
  return c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

AuthorizationResponse Build(std::string_view redirect_uri, ResponseMode mode,
                            ResponseFields fields) {
  AuthorizationResponse r;
  r.mode = mode;
  r.location =
      mode == ResponseMode::kQuery ? AppendQuery(redirect_uri, fields) : std::string(redirect_uri);
  r.fields = std::move(fields);
  return r;
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreservedByte(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string AppendQuery(std::string_view uri, const ResponseFields& fields) {
  size_t hash = uri.find('#');
  std::string_view base = uri.substr(0, hash);
  std::string out(base);
  bool has_query = base.find('?') != std::string_view::npos;
  for (const auto& [name, value] : fields) {
    if (!has_query) {
      out.push_back('?');
      has_query = true;
    } else if (out.back() != '?' && out.back() != '&') {
      out.push_back('&');
    }
    out += PercentEncode(name) + "=" + PercentEncode(value);
  }
  if (hash != std::string_view::npos) out += uri.substr(hash);
  return out;
}

std::string SafeErrorDescription(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (out.size() >= kMaxDescription) break;
    if (IsDescriptionChar(static_cast<unsigned char>(ch))) out.push_back(ch);
  }
  return out;
}

AuthorizationResponse SuccessResponse(std::string_view redirect_uri, ResponseMode mode,
                                      std::string_view code, std::string_view state,
                                      std::string_view issuer) {
  ResponseFields fields = {{"code", std::string(code)}};
  if (!state.empty()) fields.emplace_back("state", std::string(state));
  fields.emplace_back("iss", std::string(issuer));
  return Build(redirect_uri, mode, std::move(fields));
}

AuthorizationResponse ErrorResponse(const AuthorizationError& error, std::string_view issuer) {
  if (!error.redirectable) return {};
  ResponseFields fields = {{"error", AuthzErrorCodeName(error.code)}};
  std::string description = SafeErrorDescription(error.description);
  if (!description.empty()) fields.emplace_back("error_description", description);
  if (!error.state.empty()) fields.emplace_back("state", error.state);
  fields.emplace_back("iss", std::string(issuer));
  return Build(error.redirect_uri, error.response_mode, std::move(fields));
}

}  // namespace idm::oauth
