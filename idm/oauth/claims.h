// User claims for ID tokens, access tokens and UserInfo:
//  - standard claims by scope (OIDC Core §5.4): profile, email, phone, address, from the user's
//    fields and attributes (attribute names below);
//  - claim mappers: per-client data that copies a user attribute, the user's realm roles, client
//    roles or group paths, or a fixed value into a (possibly nested) claim of chosen tokens;
//  - the pairwise subject identifier (OIDC Core §8.1).
// All inputs are already resolved by the caller (effective roles, group paths): no store access.
//
// Standard-claim attributes (core::User::attributes, first value): middle_name, nickname,
// profile, picture, website, gender, birthdate, zoneinfo, locale, phone_number,
// phone_number_verified ("true"/"false"), and the address members address.formatted,
// address.street_address, address.locality, address.region, address.postal_code,
// address.country (OIDC Core §5.1.1).
//
// Thread-safety: pure functions and value types.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/result.h"

namespace idm::oauth {

// The OIDC Core §5.4 claims of the `scope` tokens (openid itself adds none; unknown scopes are
// ignored). Empty values are left out; email_verified only accompanies an email, and
// phone_number_verified a phone_number.
core::Json StandardClaims(const core::User& user, const std::vector<std::string>& scope);

// Every claim name StandardClaims can produce (discovery's claims_supported).
std::vector<std::string> StandardClaimNames();

// The mapper types live in core because clients store them (core::Client::client_scopes).
using ClaimMapperKind = core::ClaimMapperKind;
using ClaimMapper = core::ClaimMapper;

enum class ClaimTarget { kIdToken, kAccessToken, kUserinfo };

struct ClaimSources {
  const core::User* user = nullptr;      // nullptr: attribute mappers add nothing
  std::vector<std::string> realm_roles;  // effective realm roles
  std::map<std::string, std::vector<std::string>> client_roles;  // by OAuth client_id
  std::vector<std::string> group_paths;                          // "/parent/child"
};

// Applies every mapper meant for `target` to `claims` (a JSON object), in order; a later mapper
// of the same claim replaces an earlier one. A mapper with no value (absent attribute, no roles
// of that client) adds nothing. A mapper whose path runs through a non-object value replaces it.
void ApplyMappers(const std::vector<ClaimMapper>& mappers, const ClaimSources& sources,
                  ClaimTarget target, core::Json* claims);

// The claim path of a dotted name: "a.b\.c" -> {"a", "b.c"}.
std::vector<std::string> SplitClaimPath(std::string_view claim_name);

// OIDC Core §8.1 pairwise subject: base64url(HMAC-SHA256(secret, sector_identifier || user_id)).
// user_id is a fixed-length UUID, so the concatenation is unambiguous.
std::string PairwiseSubject(std::string_view secret, std::string_view sector_identifier,
                            std::string_view user_id);

// OIDC Core §8.1: the sector identifier of a client without a sector_identifier_uri is the host
// of its redirect URIs, which must then all share one host. Fails with a reason otherwise.
core::Result<std::string, std::string> SectorIdentifier(const core::Client& client);

// OIDC Core §8: the `sub` that `client` sees for the user `user_id` — in ID tokens, access tokens
// and UserInfo alike. A "public" client sees the user id; a "pairwise" one sees
// PairwiseSubject(pairwise_secret, sector, user_id), where sector is the host of
// client.sector_identifier (the sector_identifier_uri, §8.1) or else SectorIdentifier(client).
// Fails with a reason when a pairwise client has no usable sector (client validation refuses such
// clients, so this means the stored client is inconsistent). pairwise_secret:
// crypto::Kek::DeriveSecret("idm-pairwise-v1"), the same on every node.
core::Result<std::string, std::string> SubjectFor(const core::Client& client,
                                                  std::string_view user_id,
                                                  std::string_view pairwise_secret);

}  // namespace idm::oauth
