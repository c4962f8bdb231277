// Validation of OAuth client registration data (rules listed in client_service.h). Each function
// returns every violation found (empty = valid), with the field named as the admin API names it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::realm {

// [A-Za-z0-9._:-]{1,128}
bool IsValidClientId(const std::string& client_id);

// "" if uri is an acceptable redirect URI, else the reason (RFC 6749 §3.1.2, RFC 8252 §7,
// RFC 9700 §2.1).
std::string RedirectUriProblem(const std::string& uri);

// RFC 6749 §3.3 scope-token.
bool IsScopeToken(const std::string& scope);

// "" if jwks is a JWK Set of public keys (RFC 7517 §5: an object with a "keys" array of objects
// that have a "kty"), else the reason.
std::string JwkSetProblem(const std::string& jwks);

// The OpenID Connect settings: id_token_signed_response_alg in {ES256, RS256, PS256, EdDSA} or
// empty; subject_type public|pairwise; sector_identifier an https URI (OIDC Core §8.1);
// jwks_uri and the logout URIs absolute https (or http to a loopback host) without fragment;
// jwks a JWK Set, not together with jwks_uri (RFC 7591 §2); default_scopes scope tokens among the
// client's scopes; token lifetimes 0 (realm default) up to a bound. Appends to out.
void AppendOidcViolations(const core::Client& client, std::vector<core::FieldViolation>& out);

// The client's own scopes (core::Client::client_scopes): names are scope tokens, unique, listed in
// the client's `scopes`, and not one of openid, profile, email, phone, address, offline_access;
// each mapper has a claim name of non-empty dotted segments whose first segment is not a claim
// idm sets itself (iss, sub, aud, exp, iat, nonce, scope, client_id, ...), a source for
// user_attribute and fixed_value, a client_id for client_roles, and at least one target.
// At most 50 scopes of at most 50 mappers. Appends to out.
void AppendClientScopeViolations(const core::Client& client, std::vector<core::FieldViolation>& out);

// All registration rules for a client as it would be stored.
std::vector<core::FieldViolation> ValidateClient(const core::Client& client);

}  // namespace idm::realm
