#include "tests/support/scratch_database.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace idm::testing {
namespace {

const char* PgAdminUrl() {
  const char* url = std::getenv("IDM_TEST_PG_URL");
  return url && *url ? url : nullptr;
}

// Runs one statement on a fresh admin connection; returns "" or the error text.
std::string PgAdmin(const std::string& statement) {
  PGconn* conn = PQconnectdb(PgAdminUrl());
  std::string err;
  if (PQstatus(conn) != CONNECTION_OK) {
    err = PQerrorMessage(conn);
  } else {
    PGresult* res = PQexec(conn, statement.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) err = PQresultErrorMessage(res);
    PQclear(res);
  }
  PQfinish(conn);
  return err;
}

// The admin URL with its database name replaced.
std::string WithDatabase(const std::string& url, const std::string& db) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  size_t query = url.find('?');
  if (start == std::string::npos || (query != std::string::npos && start > query)) {
    std::string base = url.substr(0, query);
    std::string rest = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + db + rest;
  }
  size_t end = query == std::string::npos ? url.size() : query;
  return url.substr(0, start + 1) + db + url.substr(end);
}

std::string RandomHex(size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kHex[rd() % 16];
  return s;
}

}  // namespace

std::string PostgresAdminUrl() {
  const char* url = PgAdminUrl();
  return url != nullptr ? url : "";
}

std::vector<std::string> Backends() {
  std::vector<std::string> out = {"sqlite"};
  if (PgAdminUrl()) out.push_back("postgres");
  return out;
}

std::vector<std::string> AllBackends() { return {"sqlite", "postgres"}; }

bool BackendAvailable(const std::string& backend) {
  return backend == "sqlite" || (backend == "postgres" && PgAdminUrl() != nullptr);
}

ScratchDatabase::ScratchDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    auto base = std::filesystem::temp_directory_path() / ("idm_store_test_" + RandomHex(16));
    std::filesystem::create_directories(base);
    dir_ = base.string();
    url_ = "sqlite:" + (base / "idm.db").string();
    return;
  }
  db_name_ = "idm_t_" + RandomHex(16);
  error_ = PgAdmin("CREATE DATABASE " + db_name_);
  if (error_.empty()) url_ = WithDatabase(PgAdminUrl(), db_name_);
}

ScratchDatabase::~ScratchDatabase() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!db_name_.empty() && error_.empty()) {
    (void)PgAdmin("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
  }
}

std::string BackendTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

}  // namespace idm::testing
