// Validation of a client's OpenID Connect settings; see client_validation.h.
#include <set>

#include "idm/core/ascii.h"
#include "idm/core/json.h"
#include "idm/realm/client_validation.h"

namespace idm::realm {
namespace {

constexpr int64_t kMaxAccessTokenTtlS = 86400;         // one day; RFC 9700 §2.2 wants short
constexpr int64_t kMaxRefreshTokenTtlS = 86400 * 365;  // one year

// "" if uri is an absolute https URI, or http to a loopback host, without fragment.
std::string EndpointUriProblem(const std::string& uri, bool https_only) {
  std::string problem = RedirectUriProblem(uri);  // absolute, no fragment/userinfo/wildcard
  if (!problem.empty()) return problem;
  const std::string head = core::AsciiLowered(std::string_view(uri).substr(0, 8));
  if (head == "https://") return "";
  // RedirectUriProblem already refused http to anything but a loopback host.
  if (!https_only && head.rfind("http://", 0) == 0) return "";
  return https_only ? "must be an https URI" : "must be an https URI (or http to a loopback host)";
}

void CheckEndpoint(const std::string& uri, const std::string& field, bool https_only,
                   std::vector<core::FieldViolation>& out) {
  if (uri.empty()) return;
  std::string problem = EndpointUriProblem(uri, https_only);
  if (!problem.empty()) out.push_back({field, problem});
}

void CheckTtl(int64_t ttl, int64_t max, const std::string& field,
              std::vector<core::FieldViolation>& out) {
  if (ttl < 0 || ttl > max) {
    out.push_back({field, "must be 0 (realm default) to " + std::to_string(max) + " seconds"});
  }
}

void CheckDefaultScopes(const core::Client& c, std::vector<core::FieldViolation>& out) {
  std::set<std::string> allowed(c.scopes.begin(), c.scopes.end());
  for (size_t i = 0; i < c.default_scopes.size(); ++i) {
    const std::string& s = c.default_scopes[i];
    std::string field = "default_scopes[" + std::to_string(i) + "]";
    if (!IsScopeToken(s)) {
      out.push_back({field, "not a scope token (RFC 6749 §3.3)"});
    } else if (!allowed.empty() && !allowed.count(s)) {
      out.push_back({field, "must be one of the client's scopes"});
    }
  }
}

}  // namespace

std::string JwkSetProblem(const std::string& jwks) {
  auto j = core::Json::parse(jwks, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "must be a JSON object (RFC 7517 §5)";
  auto keys = j.find("keys");
  if (keys == j.end() || !keys->is_array()) return "must have a \"keys\" array (RFC 7517 §5.1)";
  for (const core::Json& k : *keys) {
    auto kty = k.is_object() ? k.find("kty") : k.end();
    if (!k.is_object() || kty == k.end() || !kty->is_string()) {
      return "every key must be an object with a \"kty\" string (RFC 7517 §4.1)";
    }
    if (k.contains("d") || k.contains("p") || k.contains("k")) {
      return "must hold public keys only (no private or symmetric key members)";
    }
  }
  return "";
}

void AppendOidcViolations(const core::Client& c, std::vector<core::FieldViolation>& out) {
  static const std::set<std::string> kAlgs = {"", "ES256", "RS256", "PS256", "EdDSA"};
  if (!kAlgs.count(c.id_token_signed_response_alg)) {
    out.push_back({"id_token_signed_response_alg",
                   "must be ES256, RS256, PS256, EdDSA or empty (realm default)"});
  }
  if (c.subject_type != "public" && c.subject_type != "pairwise") {
    out.push_back({"subject_type", "must be public or pairwise (OIDC Core §8)"});
  }
  // OIDC Core §8.1: the sector_identifier_uri MUST use https.
  CheckEndpoint(c.sector_identifier, "sector_identifier", /*https_only=*/true, out);
  CheckEndpoint(c.jwks_uri, "jwks_uri", false, out);
  CheckEndpoint(c.frontchannel_logout_uri, "frontchannel_logout_uri", false, out);
  CheckEndpoint(c.backchannel_logout_uri, "backchannel_logout_uri", false, out);
  if (!c.jwks.empty()) {
    std::string problem = JwkSetProblem(c.jwks);
    if (!problem.empty()) out.push_back({"jwks", problem});
    // RFC 7591 §2: jwks and jwks_uri MUST NOT both be present.
    if (!c.jwks_uri.empty()) out.push_back({"jwks", "give jwks or jwks_uri, not both"});
  }
  CheckDefaultScopes(c, out);
  CheckTtl(c.access_token_ttl_s, kMaxAccessTokenTtlS, "access_token_ttl_s", out);
  CheckTtl(c.refresh_token_ttl_s, kMaxRefreshTokenTtlS, "refresh_token_ttl_s", out);
}

}  // namespace idm::realm
