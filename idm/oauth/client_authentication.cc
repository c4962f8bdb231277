// RFC 6749 §2.3 client authentication at the token endpoint: credential extraction.
#include "idm/oauth/client_authentication.h"

#include "idm/core/ascii.h"
#include "idm/crypto/encoding.h"
#include "idm/oauth/token_request_checks.h"

namespace idm::oauth {
namespace {

constexpr std::string_view kBasicScheme = "basic";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The first value of a form parameter; "" when absent.
// Parses `Basic <base64(urlencode(id) ":" urlencode(secret))>` (RFC 6749 §2.3.1, RFC 7617 §2).
Result<ClientCredentials> ParseBasic(std::string_view header_value) {
  Error malformed = InvalidRequest("malformed Basic authorization header");
  malformed.basic_auth_attempted = true;
  std::string_view v = header_value;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  std::string_view b64 = v.substr(kBasicScheme.size());
  while (!b64.empty() && b64.front() == ' ') b64.remove_prefix(1);
  while (!b64.empty() && b64.back() == ' ') b64.remove_suffix(1);
  std::optional<std::string> decoded = crypto::Base64Decode(b64);
  if (!decoded) return malformed;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return malformed;
  std::optional<std::string> id = FormUrlDecode(std::string_view(*decoded).substr(0, colon));
  std::optional<std::string> secret = FormUrlDecode(std::string_view(*decoded).substr(colon + 1));
  if (!id || !secret || id->empty()) return malformed;
  return ClientCredentials{ClientAuthMethod::kClientSecretBasic, std::move(*id),
                           std::move(*secret)};
}

bool IsBasic(std::string_view header_value) {
  while (!header_value.empty() && header_value.front() == ' ') header_value.remove_prefix(1);
  if (header_value.size() <= kBasicScheme.size()) return false;
  // The scheme is case-insensitive (RFC 9110 §11.1).
  if (!core::StartsWithIgnoreCase(header_value, kBasicScheme)) return false;
  return header_value[kBasicScheme.size()] == ' ';
}

// RFC 7521 §4.2 / RFC 7523 §2.2: client_assertion_type and client_assertion come together, and
// only the JWT bearer type is understood.
Result<ClientCredentials> ReadAssertion(const http::Params& form, bool has_post_secret) {
  if (has_post_secret) return InvalidRequest("more than one client authentication method was used");
  std::string type = FormValue(form, "client_assertion_type");
  std::string assertion = FormValue(form, "client_assertion");
  if (type.empty() || assertion.empty()) {
    return InvalidRequest("client_assertion and client_assertion_type must be sent together");
  }
  if (type != kJwtBearerAssertionType) {
    return Error{ErrorCode::kInvalidClient, "unsupported client_assertion_type", false};
  }
  ClientCredentials creds;
  creds.method = ClientAuthMethod::kPrivateKeyJwt;
  creds.client_id = FormValue(form, "client_id");
  creds.client_assertion = std::move(assertion);
  return creds;
}

}  // namespace

const char* ClientAuthMethodName(ClientAuthMethod method) {
  switch (method) {
    case ClientAuthMethod::kNone:
      return "none";
    case ClientAuthMethod::kClientSecretBasic:
      return "client_secret_basic";
    case ClientAuthMethod::kClientSecretPost:
      return "client_secret_post";
    case ClientAuthMethod::kPrivateKeyJwt:
      return "private_key_jwt";
  }
  return "none";
}

std::optional<std::string> FormUrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<ClientCredentials> ExtractClientCredentials(const http::WebRequest& request,
                                                   const http::Params& form) {
  std::optional<std::string> authorization = request.Header("Authorization");
  bool has_post_secret = form.count("client_secret") > 0;
  std::string form_client_id = FormValue(form, "client_id");
  bool has_assertion =
      form.count("client_assertion") > 0 || form.count("client_assertion_type") > 0;
  if (authorization && IsBasic(*authorization)) {
    if (has_post_secret || has_assertion) {
      Error e = InvalidRequest("more than one client authentication method was used");
      e.basic_auth_attempted = true;
      return e;
    }
    IDM_ASSIGN_OR_RETURN(ClientCredentials creds, ParseBasic(*authorization));
    if (!form_client_id.empty() && form_client_id != creds.client_id) {
      Error e = InvalidRequest("client_id in the form differs from the authenticated client");
      e.basic_auth_attempted = true;
      return e;
    }
    return creds;
  }
  if (has_assertion) return ReadAssertion(form, has_post_secret);
  if (form_client_id.empty()) {
    return Error{ErrorCode::kInvalidClient, "client authentication is required", false};
  }
  if (has_post_secret) {
    return ClientCredentials{ClientAuthMethod::kClientSecretPost, std::move(form_client_id),
                             FormValue(form, "client_secret")};
  }
  return ClientCredentials{ClientAuthMethod::kNone, std::move(form_client_id), ""};
}

}  // namespace idm::oauth
