#include "idm/app/runtime.h"

#include "idm/core/clock.h"
#include "idm/core/log.h"

namespace idm::app {
namespace {

crypto::Argon2Params ArgonParams(const config::Config& c) {
  crypto::Argon2Params p;
  p.memory_kib = static_cast<uint32_t>(c.argon2_memory_kib);
  p.iterations = static_cast<uint32_t>(c.argon2_iterations);
  p.parallelism = static_cast<uint32_t>(c.argon2_parallelism);
  return p;
}

// The database URL without a password, for messages.
std::string RedactedDb(const std::string& db) {
  size_t scheme = db.find("://");
  size_t at = db.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return db;
  size_t colon = db.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon) + ":***" + db.substr(at);
}

}  // namespace

core::Result<std::unique_ptr<store::Store>, RuntimeError> OpenStore(const config::Config& config,
                                                                    bool read_only) {
  store::OpenOptions options;
  options.pool_size = static_cast<int>(config.db_pool_size);
  options.read_only = read_only;
  // The SQLite integrity check starts once `idm serve` is listening (ServeUntilSignalled) or at
  // the first write, so it never competes with start-up for the CPU (docs/design/002).
  options.defer_integrity_check = true;
  options.on_integrity_checked = [db = RedactedDb(config.db)](const store::Error* failure,
                                                              int64_t elapsed_ms) {
    if (failure == nullptr) {  // debug: a CLI command's output stays its JSON alone
      core::log::Default().Write(core::log::Level::kDebug, "database integrity check passed",
                                 {{"db", db}, {"elapsed_ms", elapsed_ms}});
      return;
    }
    core::log::Default().Write(
        core::log::Level::kError,
        "database integrity check failed: every request that needs the database now fails; "
        "stop idm and restore the database from a backup",
        {{"db", db}, {"error", failure->message}, {"elapsed_ms", elapsed_ms}});
  };
  auto opened = store::Open(config.db, options);
  if (opened) return std::move(opened).value();
  const store::Error& e = opened.error();
  std::string db = RedactedDb(config.db);
  switch (e.code) {
    case store::ErrorCode::kCorrupt:
      return RuntimeError{"database " + db + " is corrupt or not an idm database (" + e.message +
                          "); it was left untouched — restore it from a backup"};
    case store::ErrorCode::kUnavailable:
      return RuntimeError{"cannot open database " + db + ": " + e.message};
    default:
      return RuntimeError{"cannot open database " + db + ": " + e.message};
  }
}

core::Result<std::unique_ptr<Runtime>, RuntimeError> Runtime::Open(const config::Config& config,
                                                                   RuntimeOptions options) {
  auto store = OpenStore(config, options.read_only);
  if (!store) return store.error();
  if (options.migrate && !options.read_only) {
    auto ran = (*store)->Migrate();
    if (!ran) return RuntimeError{"database migration failed: " + ran.error().message};
  }
  return Create(config, std::move(store).value());
}

std::unique_ptr<Runtime> Runtime::Create(const config::Config& config,
                                         std::unique_ptr<store::Store> store) {
  return std::unique_ptr<Runtime>(new Runtime(config, std::move(store)));
}

Runtime::Runtime(config::Config config, std::unique_ptr<store::Store> store)
    : config_(std::move(config)),
      hasher_(ArgonParams(config_), random_),
      store_(std::move(store)),
      realms_(*store_, random_),
      clients_(*store_, random_),
      audit_(*store_),
      users_(*store_, hasher_, random_),
      groups_(*store_, random_),
      roles_(*store_, random_) {}

core::OpContext Runtime::CliContext() const {
  core::OpContext ctx;
  ctx.actor = "cli";
  ctx.now = core::SystemClock().NowMillis();
  return ctx;
}

}  // namespace idm::app
