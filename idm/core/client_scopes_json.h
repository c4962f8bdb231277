// The JSON form of a client's own scopes and their claim mappers (core::ClientScope), shared by the
// store (a JSON TEXT column), the admin API and realm export/import, so all three read and write
// the same document:
//
//   [{"name": "orders", "description": "Your orders",
//     "mappers": [{"kind": "user_attribute", "claim_name": "department", "source": "dept",
//                  "client_id": "", "in_id_token": true, "in_access_token": true,
//                  "in_userinfo": true, "multivalued": false}]}]
//
// Mapper kinds: "user_attribute", "realm_roles", "client_roles", "groups", "fixed_value".
// Absent mapper fields take core::ClaimMapper's defaults; "kind", "claim_name" and the scope's
// "name" are required. Semantic rules (scope tokens, reserved claims) are realm::ValidateClient's.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/result.h"

namespace idm::core {

// "user_attribute", ...; the inverse returns nullopt for an unknown name.
const char* ClaimMapperKindName(ClaimMapperKind kind);
std::optional<ClaimMapperKind> ParseClaimMapperKind(std::string_view name);

Json ClientScopesToJson(const std::vector<ClientScope>& scopes);

// Fails with a message naming the offending path ("[1].mappers[0].kind: unknown kind") when the
// value is not an array of scope objects of the shape above (unknown members included).
Result<std::vector<ClientScope>, std::string> ClientScopesFromJson(const Json& j);

}  // namespace idm::core
