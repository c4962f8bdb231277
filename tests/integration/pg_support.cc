#include "tests/integration/pg_support.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace idm::testing {
namespace {

// "postgresql://u@h:p/db?x" -> ("postgresql://u@h:p/", "db", "?x")
bool SplitUrl(const std::string& url, std::string* base, std::string* query) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  size_t slash = url.find('/', scheme + 3);
  if (slash == std::string::npos) return false;
  size_t q = url.find('?', slash);
  *base = url.substr(0, slash + 1);
  *query = q == std::string::npos ? "" : url.substr(q);
  return true;
}

bool Exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

}  // namespace

std::optional<std::string> CreateTestDatabase() {
  const char* admin = std::getenv("IDM_TEST_PG_URL");
  if (admin == nullptr || *admin == '\0') return std::nullopt;
  std::string base, query;
  if (!SplitUrl(admin, &base, &query)) return std::nullopt;
  std::random_device rd;
  std::string name = "idm_it_" + std::to_string(rd()) + std::to_string(::getpid());
  if (!Exec(admin, "CREATE DATABASE " + name)) return std::nullopt;
  return base + name + query;
}

void DropTestDatabase(const std::string& url) {
  const char* admin = std::getenv("IDM_TEST_PG_URL");
  std::string base, query;
  if (admin == nullptr || !SplitUrl(url, &base, &query)) return;
  size_t start = base.size();
  size_t end = url.find('?', start);
  std::string name = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  Exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

std::optional<std::string> PgScript(const std::string& command, const std::string& dir) {
  std::string script = std::string(IDM_SOURCE_DIR) + "/tests/scripts/pg.sh";
  if (::access(script.c_str(), X_OK) != 0) return std::nullopt;
  std::string cmd = script + " " + command + " " + dir + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  std::string out;
  std::array<char, 256> buf{};
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  if (::pclose(p) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace idm::testing
