// MetaRepo over portable SQL: the `meta` table, one row per key.
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

class SqlMetaRepo final : public MetaRepo {
 public:
  explicit SqlMetaRepo(sql::Connection& c) : c_(c) {}

  Result<std::string> Get(const std::string& key) override {
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_, "SELECT value FROM meta WHERE key = $1", {key}));
    if (rows.empty()) return NotFound("no meta value for " + key);
    return rows.Text(0, 0);
  }

  Status Put(const std::string& key, const std::string& value) override {
    IDM_TRY(Exec(c_,
                 "INSERT INTO meta (key, value) VALUES ($1, $2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 {key, value}));
    return {};
  }

 private:
  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<MetaRepo> NewMetaRepo(sql::Connection& c) {
  return std::make_unique<SqlMetaRepo>(c);
}

}  // namespace idm::store::repos
