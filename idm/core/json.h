// JSON in idm is nlohmann::json (Debian nlohmann-json3-dev). One alias so the choice is one line.
#pragma once

#include <nlohmann/json.hpp>

namespace idm::core {
using Json = nlohmann::json;
}  // namespace idm::core
