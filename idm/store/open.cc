// store::Open (store.h): picks the driver by URL scheme and wraps it in a SqlStore.
#include <string_view>

#include "idm/store/migrations.h"
#include "idm/store/sql/drivers.h"
#include "idm/store/sql_store.h"

namespace idm::store {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

const core::Clock& StoreClock() {
  static const core::SystemClock clock;
  return clock;
}

std::unique_ptr<Store> Wrap(std::unique_ptr<sql::Driver> driver, const OpenOptions& options) {
  sql::Dialect dialect = driver->dialect();
  return std::make_unique<SqlStore>(std::move(driver), EmbeddedMigrations(dialect), StoreClock(),
                                    options.read_only);
}

}  // namespace

// "sqlite:PATH" (also "sqlite://PATH", so "sqlite:///var/lib/idm/idm.db" is an absolute path),
// "postgresql://..." or "postgres://...".
Result<std::unique_ptr<Store>> Open(const std::string& url, const OpenOptions& options) {
  std::string_view u = url;
  if (u.starts_with(kSqliteScheme)) {
    std::string_view path = u.substr(kSqliteScheme.size());
    if (path.starts_with("//")) path.remove_prefix(2);
    IDM_ASSIGN_OR_RETURN(auto driver, sql::OpenSqliteDriver(std::string(path), options));
    return Wrap(std::move(driver), options);
  }
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    IDM_ASSIGN_OR_RETURN(auto driver, sql::OpenPostgresDriver(url, options));
    return Wrap(std::move(driver), options);
  }
  // Only the scheme is named: the rest of a database URL may carry a password.
  std::string scheme(u.substr(0, u.find(':')));
  return Invalid("unknown database URL scheme \"" + scheme +
                 "\"; use sqlite:PATH or postgresql://...");
}

}  // namespace idm::store
