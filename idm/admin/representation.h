// JSON representations of the admin API resources (schemas/openapi/admin-v1.json, components
// "Realm", "User", "Group", "Role", "Client", "AuditEvent") and the readers that apply a request
// body onto a model value.
//
// Readers follow one rule for PUT and PATCH alike: every settable field present in `body` replaces
// the target's value; absent fields keep the target's value; read-only fields (id, created_at,
// updated_at, version, and a role's client_id) are accepted and ignored so a client may send back
// what it read; anything else is an unknown field. Violations (type errors, unknown fields, bad
// enum values) come back together as kInvalidArgument. Value rules (name syntax, URIs) are the
// domain services' to check.
//
// Never rendered: password hashes and client secret hashes.
//
// Thread-safety: free functions over values.
#pragma once

#include <optional>
#include <string>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::admin {

core::Json RealmToJson(const core::Realm& realm);
core::Json UserToJson(const core::User& user);
core::Json GroupToJson(const core::Group& group);
core::Json RoleToJson(const core::Role& role);
core::Json ClientToJson(const core::Client& client);
core::Json AuditEventToJson(const core::AuditEvent& event);

core::ServiceStatus ReadRealm(const core::Json& body, core::Realm& realm);
// `password` receives the optional initial password when non-null (POST only); else "password"
// is an unknown field.
core::ServiceStatus ReadUser(const core::Json& body, core::User& user,
                             std::optional<std::string>* password = nullptr);
core::ServiceStatus ReadGroup(const core::Json& body, core::Group& group);
core::ServiceStatus ReadRole(const core::Json& body, core::Role& role);
core::ServiceStatus ReadClient(const core::Json& body, core::Client& client);

// The role id of a {"role_id": "..."} body (granting a role, adding a composite); InvalidArgument
// when absent, empty, of the wrong type, or next to unknown fields.
core::ServiceResult<std::string> ReadRoleRef(const core::Json& body);

// The document an update applies: the body itself for PUT; for PATCH the current representation
// with the body merged in (JSON Merge Patch, RFC 7396 §2: null removes a field, so it returns to
// its default, and nested objects merge).
core::Json UpdateDocument(const std::string& method, const core::Json& current,
                          const core::Json& body);

}  // namespace idm::admin
