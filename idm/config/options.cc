// The option table (see options.h). Each description ends with the reason for its default.
#include "idm/config/options.h"

#include "idm/config/value_parse.h"

namespace idm::config {
namespace {

using C = Config;

std::vector<Option> BuildTable() {
  std::vector<Option> t;
  auto str = [&t](std::string_view name, std::string_view toml, std::string_view env,
                  std::string_view flag, std::string_view def, std::string_view desc,
                  std::string C::*field, OptionType type = OptionType::kString) {
    Option o{name, toml, env, flag, type, def, desc, field, 0, 0, {}, false, false};
    t.push_back(std::move(o));
    return &t.back();
  };
  auto num = [&t](std::string_view name, std::string_view toml, std::string_view env,
                  std::string_view flag, std::string_view def, std::string_view desc,
                  int64_t C::*field, int64_t min, int64_t max) {
    t.push_back(Option{name, toml, env, flag, OptionType::kInt, def, desc, field, min, max, {},
                       false, false});
  };
  // The lambdas return pointers into `t`, so mark flags right after each push.
  str("listen", "server.listen", "IDM_LISTEN", "listen", "127.0.0.1:8080",
      "Address and port the HTTP server binds (`host:port`; port 0 picks a free port). Loopback by "
      "default so a first start is never exposed to the network; put a reverse proxy in front or "
      "set `0.0.0.0:8080` deliberately.",
      &C::listen);
  str("public_url", "server.public_url", "IDM_PUBLIC_URL", "public-url", "http://<listen>",
      "Base URL clients use to reach idm, without a trailing slash; the issuer of realm R is "
      "`<public_url>/realms/R` (OIDC Discovery §4.3 requires it to match exactly). Defaults to the "
      "listen address, which is right for local use only.",
      &C::public_url)->derived = true;
  num("worker_threads", "server.worker_threads", "IDM_WORKER_THREADS", "worker-threads", "16",
      "Threads handling HTTP requests. Requests block on the database and on Argon2, so more "
      "threads than cores keeps the CPU busy; 16 suits a small machine. With plain HTTP a "
      "connection holds a thread only while one of its requests is handled, so this does not "
      "bound the number of clients (with TLS each connection holds one for its keep-alive life).",
      &C::worker_threads, 1, 1024);
  num("max_body_bytes", "server.max_body_bytes", "IDM_MAX_BODY_BYTES", "max-body-bytes", "1048576",
      "Largest request body accepted; larger bodies get 413. 1 MiB is far above any admin or OAuth "
      "request and bounds memory per request.",
      &C::max_body_bytes, 1024, int64_t{1} << 30);
  num("max_header_bytes", "server.max_header_bytes", "IDM_MAX_HEADER_BYTES", "max-header-bytes",
      "16384",
      "Largest request header section accepted. 16 KiB fits large cookies and JWT bearer tokens "
      "while bounding memory per connection.",
      &C::max_header_bytes, 1024, 1 << 20);
  num("read_timeout_ms", "server.read_timeout_ms", "IDM_READ_TIMEOUT_MS", "read-timeout-ms", "10000",
      "How long the server waits for a client to send a request. 10 s tolerates slow mobile "
      "networks and limits slow-loris connections.",
      &C::read_timeout_ms, 100, 600000);
  num("write_timeout_ms", "server.write_timeout_ms", "IDM_WRITE_TIMEOUT_MS", "write-timeout-ms",
      "10000", "How long the server waits for a client to accept a response. 10 s, as for reads.",
      &C::write_timeout_ms, 100, 600000);
  str("trusted_proxies", "server.trusted_proxies", "IDM_TRUSTED_PROXIES", "trusted-proxies", "",
      "Reverse proxies whose `X-Forwarded-For` header names the client: IPv4/IPv6 addresses or "
      "networks (`127.0.0.1`, `10.0.0.0/8`, `::1`), separated by commas or spaces. The client is "
      "the right-most forwarded address that is not itself listed; that address is what the "
      "audit trail and the per-address brute-force limits see (docs/deploy-proxy.md). Empty by "
      "default, because anyone can send the header: believing it from an unlisted peer would let "
      "a client choose its own address.",
      &C::trusted_proxies);
  num("maintenance_interval_s", "server.maintenance_interval_s", "IDM_MAINTENANCE_INTERVAL_S",
      "maintenance-interval-s", "60",
      "Seconds between runs of the background task that rotates signing keys on their schedule, "
      "deletes retired keys and sweeps expired sessions, login flows, codes, refresh tokens and "
      "jtis. A minute keeps tables small without noticeable load; every node may run it.",
      &C::maintenance_interval_s, 1, 86400);
  str("tls_cert_file", "tls.cert_file", "IDM_TLS_CERT_FILE", "tls-cert-file", "",
      "PEM certificate chain for serving HTTPS directly. Empty (plain HTTP) by default because "
      "most deployments terminate TLS at a reverse proxy; set it together with `tls_key_file`.",
      &C::tls_cert_file, OptionType::kPath);
  str("tls_key_file", "tls.key_file", "IDM_TLS_KEY_FILE", "tls-key-file", "",
      "PEM private key matching `tls_cert_file`.", &C::tls_key_file, OptionType::kPath);
  str("data_dir", "data_dir", "IDM_DATA_DIR", "data-dir", "./var",
      "Directory for local state: the SQLite database (default `db`) and a generated KEK. Relative "
      "to the working directory so a checkout runs without set-up.",
      &C::data_dir, OptionType::kPath);
  str("db", "database.url", "IDM_DB", "db", "sqlite:<data_dir>/idm.db",
      "Database: `sqlite:PATH` (embedded, one node) or `postgresql://user:pass@host:port/db` "
      "(several nodes; PostgreSQL 12 or later). SQLite by default: zero set-up.",
      &C::db)->derived = true;
  num("db_pool_size", "database.pool_size", "IDM_DB_POOL_SIZE", "db-pool-size", "8",
      "Database connections kept open (PostgreSQL) or reader connections (SQLite). 8 serves 16 "
      "worker threads well because requests spend most time outside the database.",
      &C::db_pool_size, 1, 512);
  str("kek_file", "security.kek_file", "IDM_KEK_FILE", "kek-file", "<data_dir>/kek",
      "File holding the key-encryption key (32 bytes, base64 or hex) that seals signing keys at "
      "rest. When neither this file nor `IDM_KEK` exists, `idm serve` generates one here with mode "
      "0600 and logs a warning: back it up, the database is useless without it.",
      &C::kek_file, OptionType::kPath)->derived = true;
  Option kek{"kek", "", "IDM_KEK", "", OptionType::kString, "",
             "The key-encryption key itself (base64 or hex), instead of `kek_file`; for secret "
             "stores that inject environment variables. Environment only, so it never lands in a "
             "file or a process listing.",
             &C::kek, 0, 0, {}, true, false};
  t.push_back(kek);
  num("argon2_memory_kib", "security.argon2_memory_kib", "IDM_ARGON2_MEMORY_KIB",
      "argon2-memory-kib", "19456",
      "Argon2id memory cost for password hashes, KiB. 19 MiB with t=2, p=1 is the OWASP Password "
      "Storage Cheat Sheet minimum; raise it when the machine allows.",
      &C::argon2_memory_kib, 8, 4 * 1024 * 1024);
  num("argon2_iterations", "security.argon2_iterations", "IDM_ARGON2_ITERATIONS",
      "argon2-iterations", "2", "Argon2id time cost (passes). 2, per OWASP (see memory).",
      &C::argon2_iterations, 1, 100);
  num("argon2_parallelism", "security.argon2_parallelism", "IDM_ARGON2_PARALLELISM",
      "argon2-parallelism", "1",
      "Argon2id lanes. 1, per OWASP: requests already run in parallel on the worker threads.",
      &C::argon2_parallelism, 1, 64);
  str("log_level", "log.level", "IDM_LOG_LEVEL", "log-level", "info",
      "Least severe log level written: debug, info, warn or error. `info` records each request "
      "and every start-up step without debug noise.",
      &C::log_level, OptionType::kEnum)->allowed = {"debug", "info", "warn", "error"};
  str("log_format", "log.format", "IDM_LOG_FORMAT", "log-format", "json",
      "Log line format: `json` (one object per line, for log collectors) or `text` (for people). "
      "JSON by default because servers are read by machines first.",
      &C::log_format, OptionType::kEnum)->allowed = {"json", "text"};
  str("theme_dir", "pages.theme_dir", "IDM_THEME_DIR", "theme-dir", "",
      "Directory of a theme for the login, consent, error and logout pages: a file there named "
      "like a default template (`login.html`, `layout.html`, ..., `idm.css`) replaces it; other "
      "`*.html` files become partials (docs/themes.md). Empty by default: the built-in theme, so "
      "pages work with nothing beside the binary.",
      &C::theme_dir, OptionType::kPath);
  str("mail_ca_file", "mail.ca_file", "IDM_MAIL_CA_FILE", "mail-ca-file", "",
      "PEM file of the certificate authorities that SMTP servers' certificates are verified "
      "against (STARTTLS and TLS, docs/design/019). Empty by default: the system's CA store, "
      "which is right for public mail providers; set it for a relay with a private CA.",
      &C::mail_ca_file, OptionType::kPath);
  str("bootstrap_admin_username", "bootstrap.admin_username", "IDM_BOOTSTRAP_ADMIN_USERNAME", "",
      "admin",
      "Username of the first administrator, created in realm `master` on the first start only.",
      &C::bootstrap_admin_username);
  Option pw{"bootstrap_admin_password", "", "IDM_BOOTSTRAP_ADMIN_PASSWORD", "",
            OptionType::kString, "",
            "Password of the first administrator. When unset on the first start, a random password "
            "is generated and printed once to the console. Environment only (a secret).",
            &C::bootstrap_admin_password, 0, 0, {}, true, false};
  t.push_back(pw);
  str("bootstrap_admin_client_id", "bootstrap.admin_client_id", "IDM_BOOTSTRAP_ADMIN_CLIENT_ID", "",
      "",
      "With `IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET`: on the first start, a confidential client in realm "
      "`master` allowed `client_credentials`, whose service account holds role `admin`, so "
      "automation can call the admin API. Unset by default: no such client.",
      &C::bootstrap_admin_client_id);
  Option cs{"bootstrap_admin_client_secret", "", "IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET", "",
            OptionType::kString, "",
            "Secret of the bootstrap admin client: 32 to 512 printable ASCII characters, stored only "
            "as a SHA-256 hash. Environment only (a secret).",
            &C::bootstrap_admin_client_secret, 0, 0, {}, true, false};
  t.push_back(cs);
  return t;
}

}  // namespace

const std::vector<Option>& Options() {
  static const std::vector<Option> table = BuildTable();
  return table;
}

const Option* FindByTomlKey(std::string_view key) {
  for (const Option& o : Options()) {
    if (!o.toml_key.empty() && o.toml_key == key) return &o;
  }
  return nullptr;
}

const Option* FindByName(std::string_view name) {
  for (const Option& o : Options()) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

Config Defaults() {
  Config c;
  for (const Option& o : Options()) {
    if (o.derived) continue;
    auto r = ApplyText(o, std::string(o.default_text), c);
    (void)r;  // the table's defaults are checked by a unit test
  }
  return c;
}

void FinishDefaults(Config& c) {
  std::string dir = c.data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (c.public_url.empty()) c.public_url = "http://" + c.listen;
  while (c.public_url.size() > 1 && c.public_url.back() == '/') c.public_url.pop_back();
  if (c.db.empty()) c.db = "sqlite:" + dir + "/idm.db";
  if (c.kek_file.empty() && c.kek.empty()) c.kek_file = dir + "/kek";
}

}  // namespace idm::config
