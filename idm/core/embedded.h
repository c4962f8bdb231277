// EmbeddedFile: a text file compiled into the binary (migrations, OpenAPI, templates) by
// cmake/IdmEmbed.cmake, so that `idm` runs as one file with nothing beside it.
#pragma once

#include <string_view>
#include <vector>

namespace idm::core {

struct EmbeddedFile {
  std::string_view path;     // relative to the embedding's base folder, '/'-separated
  std::string_view content;  // the file's bytes
};

}  // namespace idm::core
