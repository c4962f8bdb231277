#include "idm/store/migrations.h"

#include <algorithm>
#include <cctype>

namespace idm::store {

Result<std::vector<Migration>> ParseMigrations(const std::vector<core::EmbeddedFile>& files) {
  std::vector<Migration> out;
  for (const core::EmbeddedFile& f : files) {
    std::string_view base = f.path;
    if (auto slash = base.rfind('/'); slash != std::string_view::npos) base.remove_prefix(slash + 1);
    constexpr std::string_view kExt = ".sql";
    bool ok = base.size() > 5 + kExt.size() && base.substr(base.size() - kExt.size()) == kExt &&
              base[4] == '_' &&
              std::all_of(base.begin(), base.begin() + 4, [](char c) { return std::isdigit(c); });
    if (!ok) return Invalid("migration file name is not NNNN_name.sql: " + std::string(f.path));
    Migration m;
    m.version = std::stoi(std::string(base.substr(0, 4)));
    m.name = std::string(base.substr(5, base.size() - 5 - kExt.size()));
    m.sql = f.content;
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return Invalid("two migrations share version " + std::to_string(out[i].version));
    }
  }
  return out;
}

const std::vector<core::EmbeddedFile>& EmbeddedMigrations(sql::Dialect dialect) {
  return dialect == sql::Dialect::kSqlite ? embedded::sqlite_migrations()
                                          : embedded::postgres_migrations();
}

}  // namespace idm::store
