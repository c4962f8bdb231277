// JSON forms of the domain model (core/model.h) used by the CLI's output and by realm export and
// import (idm/app/realm_transfer.h). Field names match the admin API's where they overlap.
// Secret material never appears: clients carry only `secret_hash` (SHA-256, safe to move between
// installations) and only when the caller asks for it; users never carry password hashes here
// (export adds them itself).
//
// The From* functions throw nlohmann::json::exception on a missing field or a wrong type; callers
// (the importer) catch it at their boundary and turn it into an error value.
//
// Thread-safety: free functions without shared state.
#pragma once

#include "idm/core/json.h"
#include "idm/core/model.h"

namespace idm::app {

core::Json ToJson(const core::RealmSettings& s);
core::Json ToJson(const core::Realm& r);
core::Json ToJson(const core::User& u);
core::Json ToJson(const core::Group& g);
core::Json ToJson(const core::Role& r);
core::Json ToJson(const core::Client& c, bool with_secret_hash);

core::RealmSettings RealmSettingsFromJson(const core::Json& j);
core::User UserFromJson(const core::Json& j);
core::Group GroupFromJson(const core::Json& j);
core::Role RoleFromJson(const core::Json& j);
core::Client ClientFromJson(const core::Json& j);

}  // namespace idm::app
