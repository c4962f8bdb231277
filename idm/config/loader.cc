#include "idm/config/loader.h"

#include <toml++/toml.h>

#include <sstream>

#include "idm/config/options.h"
#include "idm/config/value_parse.h"
#include "idm/core/net_address.h"

extern char** environ;

namespace idm::config {
namespace {

using Status = core::Result<void, ConfigError>;

ConfigError Fail(std::string m) { return ConfigError{std::move(m)}; }

std::string Where(const std::string& file, const toml::node& node) {
  return file + ":" + std::to_string(node.source().begin.line);
}

Status ApplyTomlValue(const std::string& file, const std::string& key, const toml::node& node,
                      Config& c) {
  const Option* o = FindByTomlKey(key);
  if (o == nullptr) return Fail(Where(file, node) + ": unknown key \"" + key + "\"");
  core::Result<void, std::string> r;
  if (o->type == OptionType::kInt) {
    auto v = node.value<int64_t>();
    if (!node.is_integer() || !v) return Fail(Where(file, node) + ": " + key + ": expected an integer");
    r = ApplyInt(*o, *v, c);
  } else {
    if (!node.is_string()) return Fail(Where(file, node) + ": " + key + ": expected a string");
    r = ApplyText(*o, *node.value<std::string>(), c);
  }
  if (!r) return Fail(Where(file, node) + ": " + r.error());
  return {};
}

Status ApplyTable(const std::string& file, const std::string& prefix, const toml::table& table,
                  Config& c) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const toml::table* sub = node.as_table()) {
      bool is_option = FindByTomlKey(key) != nullptr;
      if (!is_option) {
        IDM_TRY(ApplyTable(file, key, *sub, c));
        continue;
      }
    }
    IDM_TRY(ApplyTomlValue(file, key, node, c));
  }
  return {};
}

Status ApplyFile(const std::string& file, Config& c) {
  toml::table table;
  try {  // toml++ is built with exceptions; they stop here
    table = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    std::ostringstream m;
    m << "config file " << file;
    if (e.source().begin.line > 0) m << ":" << e.source().begin.line;
    m << ": " << e.description();
    return Fail(m.str());
  }
  return ApplyTable(file, "", table, c);
}

Status ApplyEnv(const std::map<std::string, std::string>& env, Config& c) {
  for (const Option& o : Options()) {
    auto it = env.find(std::string(o.env));
    if (it == env.end()) continue;
    auto r = ApplyText(o, it->second, c);
    if (!r) return Fail("environment variable " + std::string(o.env) + ": " + r.error());
  }
  return {};
}

Status ApplyFlags(const std::map<std::string, std::string>& flags, Config& c) {
  for (const auto& [name, value] : flags) {
    const Option* o = FindByName(name);
    if (o == nullptr || o->flag.empty()) return Fail("unknown option flag \"" + name + "\"");
    auto r = ApplyText(*o, value, c);
    if (!r) return Fail("flag --" + std::string(o->flag) + ": " + r.error());
  }
  return {};
}

bool ValidDbUrl(const std::string& db) {
  auto starts = [&db](std::string_view p) { return db.rfind(p, 0) == 0 && db.size() > p.size(); };
  return starts("sqlite:") || starts("postgresql://") || starts("postgres://");
}

Status CheckTogether(const Config& c, bool kek_file_explicit) {
  std::string host;
  int port = 0;
  if (!c.ListenHostPort(&host, &port)) {
    return Fail("listen: expected host:port with a port in 0..65535, got \"" + c.listen + "\"");
  }
  if (c.public_url.rfind("http://", 0) != 0 && c.public_url.rfind("https://", 0) != 0) {
    return Fail("public_url: expected an http:// or https:// URL, got \"" + c.public_url + "\"");
  }
  if (auto proxies = core::ParseAddressRanges(c.trusted_proxies); !proxies) {
    return Fail("trusted_proxies: " + proxies.error());
  }
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return Fail("tls_cert_file and tls_key_file must be set together");
  }
  if (!ValidDbUrl(c.db)) {
    return Fail("db: expected sqlite:PATH or postgresql://..., got a value of another scheme");
  }
  if (!c.kek.empty() && kek_file_explicit) {
    return Fail("kek_file and IDM_KEK are both set; choose one");
  }
  if (c.bootstrap_admin_client_id.empty() != c.bootstrap_admin_client_secret.empty()) {
    return Fail("IDM_BOOTSTRAP_ADMIN_CLIENT_ID and IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET must be set "
                "together");
  }
  return {};
}

}  // namespace

bool Config::ListenHostPort(std::string* host, int* port) const {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  int p = 0;
  for (size_t i = colon + 1; i < listen.size(); ++i) {
    if (listen[i] < '0' || listen[i] > '9' || p > 65535) return false;
    p = p * 10 + (listen[i] - '0');
  }
  if (p > 65535) return false;
  *host = h;
  *port = p;
  return true;
}

core::Result<Config, ConfigError> Load(const Sources& sources) {
  Config c = Defaults();
  if (!sources.config_file.empty()) IDM_TRY(ApplyFile(sources.config_file, c));
  IDM_TRY(ApplyEnv(sources.env, c));
  IDM_TRY(ApplyFlags(sources.flags, c));
  bool kek_file_explicit = !c.kek_file.empty();
  FinishDefaults(c);
  IDM_TRY(CheckTogether(c, kek_file_explicit));
  return c;
}

std::map<std::string, std::string> EnvironmentFromProcess() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || kv.rfind("IDM_", 0) != 0) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

}  // namespace idm::config
