// Client metadata of dynamic registration (RFC 7591 §2, OIDC Dynamic Client Registration 1.0 §2)
// mapped onto core::Client and back. Used by the registration endpoint (RFC 7591 §3) and the
// client configuration endpoint (RFC 7592 §2).
//
// Mapping: redirect_uris, post_logout_redirect_uris, grant_types, token_endpoint_auth_method
// ("none" makes a public client, anything else a confidential one), scope (space-separated ->
// scopes), client_name -> name, jwks (object) / jwks_uri, subject_type, sector_identifier_uri ->
// sector_identifier (checked separately: sector_identifier.h),
// id_token_signed_response_alg, frontchannel_logout_uri, backchannel_logout_uri,
// backchannel_logout_session_required; client_uri, logo_uri, tos_uri, policy_uri, software_id,
// software_version and contacts are kept as client attributes of the same name.
// Defaults (§2): grant_types ["authorization_code"], response_types ["code"],
// token_endpoint_auth_method client_secret_basic; scope "openid profile email phone address".
// Unknown metadata is ignored (§2: "MUST ignore any client metadata ... it does not
// understand"). Registration rules themselves (URIs, grant/method fit) are ClientService's.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/result.h"

namespace idm::oauth {

// RFC 7591 §3.2.2 error codes the metadata itself can cause.
struct MetadataError {
  std::string error;  // "invalid_client_metadata" or "invalid_redirect_uri"
  std::string description;
};

// Sets every metadata field of `client` from `metadata` (a JSON object), absent fields to their
// defaults; other fields of `client` (id, client_id, client scopes, consent and PKCE settings)
// are kept. Fails with invalid_client_metadata for a wrong type, response_types other than
// "code", and grant_types and response_types that do not fit (§2.1: authorization_code <->
// code); invalid_redirect_uri for a redirect_uris value that is not an array of strings.
core::Result<void, MetadataError> ApplyMetadata(const core::Json& metadata, core::Client& client);

// The client's metadata as registered (the fields above plus client_id and client_id_issued_at).
core::Json MetadataOf(const core::Client& client);

}  // namespace idm::oauth
