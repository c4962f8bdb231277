// OIDC Core §5.1, §5.4 (standard claims by scope) and §8.1 (pairwise subject identifiers).
#include "idm/oauth/claims.h"

#include <algorithm>
#include <optional>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/oauth/redirect_uri.h"
#include "idm/oauth/scope.h"

namespace idm::oauth {
namespace {

// OIDC Core §5.4 profile claims that come from same-named attributes.
constexpr const char* kProfileAttributes[] = {"middle_name", "nickname", "profile",
                                              "picture",     "website",  "gender",
                                              "birthdate",   "zoneinfo", "locale"};
// OIDC Core §5.1.1 address members.
constexpr const char* kAddressMembers[] = {"formatted", "street_address", "locality",
                                           "region",    "postal_code",    "country"};

std::optional<std::string> Attribute(const core::User& user, const std::string& name) {
  auto it = user.attributes.find(name);
  if (it == user.attributes.end() || it->second.empty() || it->second.front().empty()) {
    return std::nullopt;
  }
  return it->second.front();
}

void SetIfNotEmpty(core::Json* claims, const char* name, const std::string& value) {
  if (!value.empty()) (*claims)[name] = value;
}

void AddProfile(const core::User& user, core::Json* claims) {
  std::string name = user.first_name;
  if (!user.last_name.empty()) name += (name.empty() ? "" : " ") + user.last_name;
  SetIfNotEmpty(claims, "name", name);
  SetIfNotEmpty(claims, "given_name", user.first_name);
  SetIfNotEmpty(claims, "family_name", user.last_name);
  SetIfNotEmpty(claims, "preferred_username", user.username);
  for (const char* attr : kProfileAttributes) {
    if (auto v = Attribute(user, attr)) (*claims)[attr] = *v;
  }
  // OIDC Core §5.1: updated_at is seconds since the epoch.
  if (user.updated_at > 0) (*claims)["updated_at"] = user.updated_at / 1000;
}

void AddPhone(const core::User& user, core::Json* claims) {
  std::optional<std::string> phone = Attribute(user, "phone_number");
  if (!phone) return;
  (*claims)["phone_number"] = *phone;
  (*claims)["phone_number_verified"] = Attribute(user, "phone_number_verified") == "true";
}

void AddAddress(const core::User& user, core::Json* claims) {
  core::Json address = core::Json::object();
  for (const char* member : kAddressMembers) {
    if (auto v = Attribute(user, std::string("address.") + member)) address[member] = *v;
  }
  if (!address.empty()) (*claims)["address"] = address;
}

}  // namespace

core::Json StandardClaims(const core::User& user, const std::vector<std::string>& scope) {
  core::Json claims = core::Json::object();
  if (HasScope(scope, "profile")) AddProfile(user, &claims);
  if (HasScope(scope, "email") && !user.email.empty()) {
    claims["email"] = user.email;
    claims["email_verified"] = user.email_verified;
  }
  if (HasScope(scope, "phone")) AddPhone(user, &claims);
  if (HasScope(scope, "address")) AddAddress(user, &claims);
  return claims;
}

std::vector<std::string> StandardClaimNames() {
  std::vector<std::string> names = {"sub", "name", "given_name", "family_name",
                                    "preferred_username"};
  for (const char* attr : kProfileAttributes) names.emplace_back(attr);
  for (const char* n : {"updated_at", "email", "email_verified", "phone_number",
                        "phone_number_verified", "address"}) {
    names.emplace_back(n);
  }
  return names;
}

std::string PairwiseSubject(std::string_view secret, std::string_view sector_identifier,
                            std::string_view user_id) {
  std::string input(sector_identifier);
  input += user_id;
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret, input));
}

core::Result<std::string, std::string> SectorIdentifier(const core::Client& client) {
  std::optional<std::string> host;
  for (const std::string& uri : client.redirect_uris) {
    std::optional<UriParts> parts = SplitUri(uri);
    if (!parts || !parts->has_authority || parts->host.empty()) {
      return core::Err(std::string("redirect URI without a host: sector_identifier_uri needed"));
    }
    if (host && *host != parts->host) {
      return core::Err(std::string("redirect URIs on several hosts: sector_identifier_uri needed"));
    }
    host = parts->host;
  }
  if (!host) return core::Err(std::string("client has no redirect URIs"));
  return *host;
}

core::Result<std::string, std::string> SubjectFor(const core::Client& client,
                                                  std::string_view user_id,
                                                  std::string_view pairwise_secret) {
  if (client.subject_type != "pairwise") return std::string(user_id);
  std::string sector;
  if (!client.sector_identifier.empty()) {
    // OIDC Core §8.1: "the host component of that URL is used as the Sector Identifier".
    std::optional<UriParts> parts = SplitUri(client.sector_identifier);
    if (!parts || !parts->has_authority || parts->host.empty()) {
      return core::Err(std::string("sector_identifier_uri without a host"));
    }
    sector = parts->host;
  } else {
    auto host = SectorIdentifier(client);
    if (!host) return core::Err(host.error());
    sector = *host;
  }
  return PairwiseSubject(pairwise_secret, sector, user_id);
}

}  // namespace idm::oauth
