#include "idm/store/sql/postgres_driver.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <utility>

#include "idm/store/sql/drivers.h"
#include "idm/store/sql/libpq.h"
#include "idm/store/sql/postgres_errors.h"

namespace idm::store::sql {

PostgresDriver::PostgresDriver(PgConnectParams params, int pool_size, int acquire_timeout_ms,
                               bool read_only)
    : params_(std::move(params)),
      pool_size_(pool_size),
      acquire_timeout_ms_(acquire_timeout_ms),
      read_only_(read_only) {}

PostgresDriver::~PostgresDriver() {
  std::lock_guard lock(mu_);
  assert(open_ == static_cast<int>(idle_.size()) && "a Lease outlived its PostgresDriver");
  idle_.clear();
}

Status PostgresDriver::Start() {
  IDM_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> c, PgConnection::Connect(params_));
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(c));
  ++open_;
  return {};
}

std::unique_ptr<PgConnection> PostgresDriver::TakeIdleLocked() {
  while (!idle_.empty()) {
    std::unique_ptr<PgConnection> c = std::move(idle_.back());
    idle_.pop_back();
    if (c->StillConnected()) return c;
    --open_;  // the server closed it while it was idle; replaced below if needed
  }
  return nullptr;
}

Result<Lease> PostgresDriver::Acquire(bool /*write*/) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(acquire_timeout_ms_);
  std::unique_lock lock(mu_);
  while (true) {
    if (std::unique_ptr<PgConnection> c = TakeIdleLocked()) return Wrap(std::move(c));
    if (open_ < pool_size_) {
      ++open_;  // reserve the slot, connect without holding the lock
      lock.unlock();
      Result<std::unique_ptr<PgConnection>> c = PgConnection::Connect(params_);
      if (c) return Wrap(std::move(*c));
      lock.lock();
      --open_;
      released_.notify_one();
      return c.error();
    }
    if (released_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= pool_size_) {
      return Unavailable("postgres: all " + std::to_string(pool_size_) +
                         " pooled connections stayed in use for " +
                         std::to_string(acquire_timeout_ms_) + " ms");
    }
  }
}

Lease PostgresDriver::Wrap(std::unique_ptr<PgConnection> c) {
  return Lease(c.release(), [this](Connection* released) { Release(released); });
}

void PostgresDriver::Release(Connection* released) {
  std::unique_ptr<PgConnection> c(static_cast<PgConnection*>(released));
  if (!c->ReturnToIdle()) c.reset();  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    if (c) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
  }
  released_.notify_one();
}

std::string_view PostgresDriver::BeginSql(bool write) const {
  return write && !read_only_ ? "BEGIN" : "BEGIN READ ONLY";
}

int PostgresDriver::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

int PostgresDriver::idle_connections() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(idle_.size());
}

Result<std::unique_ptr<Driver>> OpenPostgresDriver(const std::string& url,
                                                   const OpenOptions& options) {
  if (!Pq().error.empty()) return Unavailable("postgres: " + Pq().error);
  if (options.pool_size < 1) return Invalid("postgres: pool_size must be at least 1");
  if (options.acquire_timeout_ms < 0) return Invalid("postgres: acquire_timeout_ms is negative");
  PgConnectParams params;
  params.url = url;
  params.secrets = UrlSecrets(url);
  char* err = nullptr;
  PQconninfoOption* parsed = Pq().PQconninfoParse(url.c_str(), &err);
  if (parsed == nullptr) {
    std::string why = err != nullptr ? ScrubSecrets(err, params.secrets) : "out of memory";
    if (err != nullptr) Pq().PQfreemem(err);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Invalid("postgres: invalid connection URL: " + why);
  }
  Pq().PQconninfoFree(parsed);
  // libpq's connect_timeout is whole seconds; round the acquire timeout up.
  params.connect_timeout_s = std::max(2, (options.acquire_timeout_ms + 999) / 1000);
  auto driver = std::make_unique<PostgresDriver>(std::move(params), options.pool_size,
                                                 options.acquire_timeout_ms, options.read_only);
  IDM_TRY(driver->Start());
  return std::unique_ptr<Driver>(std::move(driver));
}

}  // namespace idm::store::sql
