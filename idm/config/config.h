// Config: the settled configuration of one idm process, after defaults, the TOML file, IDM_*
// environment variables and command-line flags have been applied in that order of precedence
// (ARCHITECTURE.md decision 9). Every field is described — with its default and the reason for
// that default — in exactly one place, the option table of idm/config/options.cc, from which the
// parser and docs/configuration.md are both generated (CONVENTIONS.md §15).
//
// Thread-safety: a value type; build it once at start-up and share it read-only.
#pragma once

#include <cstdint>
#include <string>

namespace idm::config {

struct Config {
  // [server]
  std::string listen;            // "host:port"; port 0 picks a free port
  std::string public_url;        // base URL clients use; issuer = public_url + "/realms/<name>"
  int64_t worker_threads = 0;
  int64_t max_body_bytes = 0;
  int64_t max_header_bytes = 0;
  int64_t read_timeout_ms = 0;
  int64_t write_timeout_ms = 0;
  int64_t maintenance_interval_s = 0;  // key rotation schedule and expired-state sweeps
  std::string trusted_proxies;   // addresses/networks whose X-Forwarded-For is believed; "" = none
  // [tls]
  std::string tls_cert_file;     // both empty = plain HTTP
  std::string tls_key_file;
  // [database]
  std::string db;                // "sqlite:PATH" or "postgresql://..."
  int64_t db_pool_size = 0;
  // [security]
  std::string data_dir;
  std::string kek_file;          // file holding the key-encryption key
  std::string kek;               // the key itself (IDM_KEK, environment only); a secret
  int64_t argon2_memory_kib = 0;
  int64_t argon2_iterations = 0;
  int64_t argon2_parallelism = 0;
  // [log]
  std::string log_level;         // debug | info | warn | error
  std::string log_format;        // json | text
  // [pages]
  std::string theme_dir;         // "" = the built-in theme only
  // [mail]
  std::string mail_ca_file;      // PEM CAs to verify SMTP servers with; "" = the system's
  // [bootstrap] — used only on the first start, when the master realm does not exist yet.
  std::string bootstrap_admin_username;
  std::string bootstrap_admin_password;       // secret, environment only
  std::string bootstrap_admin_client_id;
  std::string bootstrap_admin_client_secret;  // secret, environment only

  // Splits `listen` into host and port. False if it is not "host:port" with a port in 0..65535.
  bool ListenHostPort(std::string* host, int* port) const;
};

}  // namespace idm::config
