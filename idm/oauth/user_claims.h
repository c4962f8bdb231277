// UserClaims: the one place that decides which user claims a client sees in an ID token, an access
// token or a UserInfo response (docs/design/015-userinfo-claim-mappers-registration-rotation.md).
// The token grants and the UserInfo endpoint both call it, so the three never disagree.
//
//   oauth::ClaimSources sources;                     // or LoadClaimSources(tx, realm_id, user)
//   core::Json claims = oauth::UserClaims(client, user, granted_scopes, sources,
//                                         oauth::ClaimTarget::kUserinfo);
//   claims["sub"] = *oauth::SubjectFor(client, user.id, pairwise_secret);  // the caller's part
//
// Thread-safety: UserClaims is a pure function; LoadClaimSources uses the caller's transaction.
#pragma once

#include <string>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/service_error.h"
#include "idm/oauth/claims.h"
#include "idm/store/store.h"

namespace idm::oauth {

// The claims of `user` for `target`, as a JSON object, given the scope tokens the token grants:
//  1. kIdToken and kUserinfo: StandardClaims(user, scopes) — the OIDC Core §5.4 claims of profile,
//     email, phone and address. kAccessToken: none (RFC 9068 §2.2.3.1 leaves identity claims in
//     access tokens to the server; idm keeps access tokens small and puts them only where a
//     mapper asks for them).
//  2. Then, for every client scope of `client` (core::Client::client_scopes) whose name is in
//     `scopes`, in the client's order, ApplyMappers(scope.mappers, sources, target): each mapper
//     whose in_id_token / in_access_token / in_userinfo flag matches `target` adds its claim; a
//     later mapper of the same claim replaces an earlier one (and may replace a standard claim).
// `sub` and the protocol claims (iss, aud, exp, nonce, ...) are the caller's: UserClaims never
// sets them, and client validation refuses mappers that name them. sources.user is ignored:
// `user` is used for attribute mappers.
core::Json UserClaims(const core::Client& client, const core::User& user,
                      const std::vector<std::string>& scopes, const ClaimSources& sources,
                      ClaimTarget target);

// Whether any mapper of a client scope named in `scopes` needs roles or groups, i.e. whether the
// caller must fill ClaimSources beyond the user (LoadClaimSources) before calling UserClaims.
bool NeedsRolesOrGroups(const core::Client& client, const std::vector<std::string>& scopes);

// Resolves what role and group mappers read, in the caller's transaction: the user's effective
// realm and client roles (rbac::EffectiveRoles) and the full paths ("/parent/child") of the groups
// the user is directly a member of, sorted. realm_id is the realm's internal id.
// Failures: kNotFound (user gone), kUnavailable, kInternal.
core::ServiceResult<ClaimSources> LoadClaimSources(store::Transaction& tx,
                                                   const std::string& realm_id,
                                                   const core::User& user);

}  // namespace idm::oauth
