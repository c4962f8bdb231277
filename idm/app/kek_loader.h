// Loading the installation's key-encryption key (crypto::Kek) for `idm serve` and `idm keys`:
// from IDM_KEK, else from the configured kek file; when neither exists yet (a first start), a new
// KEK is generated into the kek file with mode 0600 and the caller logs a warning telling the
// operator to back it up (ARCHITECTURE.md decision 4).
//
// Thread-safety: free functions; call during start-up only.
#pragma once

#include <optional>
#include <string>

#include "idm/config/config.h"
#include "idm/core/random.h"
#include "idm/core/result.h"
#include "idm/crypto/kek.h"

namespace idm::app {

struct LoadedKek {
  std::optional<crypto::Kek> kek;  // always set on success
  std::string source;              // "IDM_KEK" or the file path, for the log (never the key)
  bool generated = false;          // true if this call created the file
};

// Fails with a message (never containing key material) when IDM_KEK or the file holds no valid
// KEK, the file cannot be read, or a new file cannot be created. With allow_generate false a
// missing file is an error too.
core::Result<LoadedKek, std::string> LoadKek(const config::Config& config, core::Random& random,
                                             bool allow_generate);

}  // namespace idm::app
