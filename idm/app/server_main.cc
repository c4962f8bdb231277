#include "idm/app/server_main.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>

#include "idm/app/bootstrap.h"
#include "idm/app/kek_check.h"
#include "idm/app/kek_loader.h"
#include "idm/app/maintenance.h"
#include "idm/app/runtime.h"
#include "idm/app/server_routes.h"
#include "idm/core/log.h"
#include "idm/core/metrics.h"
#include "idm/core/net_address.h"
#include "idm/crypto/argon2_memory.h"
#include "idm/crypto/secure_random.h"
#include "idm/http/server.h"

namespace idm::app {
namespace {

namespace log = core::log;

void ConfigureLogging(const config::Config& c) {
  log::Options o;
  log::ParseLevel(c.log_level, &o.min_level);
  log::ParseFormat(c.log_format, &o.format);
  log::Default().Configure(o);
}

// Logs and echoes to stderr a start-up failure; returns kExitFailure.
int StartFailed(const std::string& step, const std::string& message) {
  log::Error("start-up failed", {{"step", step}, {"error", message}});
  std::cerr << "idm: " << step << ": " << message << "\n";
  return kExitFailure;
}

// Steps 3-5: an opened, migrated store whose KEK check matches.
core::Result<std::unique_ptr<store::Store>, int> OpenCheckedStore(const config::Config& c,
                                                                  const crypto::Kek& kek) {
  auto store = OpenStore(c, /*read_only=*/false);
  if (!store) return core::Err(StartFailed("database", store.error().message));
  auto check = ReadKekCheck(**store, kek);
  if (!check) return core::Err(StartFailed("database", check.error()));
  if (*check == KekCheck::kMismatch) {
    return core::Err(StartFailed(
        "kek",
        "the KEK does not match the one this database was created with; refusing to start "
        "(nothing was written). Use the original KEK (IDM_KEK or the kek file)."));
  }
  auto ran = (*store)->Migrate();
  if (!ran) return core::Err(StartFailed("database migration", ran.error().message));
  if (*ran > 0)
    log::Info("database migrated", {{"migrations", *ran}, {"backend", (*store)->backend()}});
  return std::move(store).value();
}

int RunBootstrap(Runtime& rt) {
  auto outcome = Bootstrap(rt);
  // The admin password's hash is the only one a first start makes: its working memory goes
  // back now, so the idle server does not hold it (design 025).
  crypto::argon2_memory::ReleaseRetained();
  if (!outcome) return StartFailed("bootstrap", outcome.error().detail);
  if (!outcome->ran) return kExitOk;
  log::Info("bootstrap complete", {{"realm", "master"},
                                   {"admin_username", rt.config().bootstrap_admin_username},
                                   {"admin_created", outcome->created_admin},
                                   {"client_created", outcome->created_client}});
  if (!outcome->generated_password.empty()) {
    // Printed once, to the console only (never to the log): it exists nowhere else.
    std::cerr << "\n=== idm: first start: administrator '" << rt.config().bootstrap_admin_username
              << "' of realm 'master' has the generated password:\n\n    "
              << outcome->generated_password
              << "\n\nIt is shown only this once. Change it after signing in.\n\n";
  }
  return kExitOk;
}

http::ServerOptions ServerOptionsFrom(const config::Config& c, core::metrics::Registry& metrics) {
  http::ServerOptions o;
  c.ListenHostPort(&o.host, &o.port);
  o.worker_threads = static_cast<int>(c.worker_threads);
  o.max_body_bytes = static_cast<size_t>(c.max_body_bytes);
  o.max_header_bytes = static_cast<size_t>(c.max_header_bytes);
  o.read_timeout = std::chrono::milliseconds(c.read_timeout_ms);
  o.write_timeout = std::chrono::milliseconds(c.write_timeout_ms);
  o.tls_cert_file = c.tls_cert_file;
  o.tls_key_file = c.tls_key_file;
  if (auto proxies = core::ParseAddressRanges(c.trusted_proxies)) o.trusted_proxies = *proxies;
  o.metrics = &metrics;
  // o.random stays nullptr: request ids come from a per-thread PRNG. They label log lines and
  // must be unique, not unguessable, and the CSPRNG (a locked DRBG) cost 8 % of a request
  // (design 025).
  return o;
}

// `listen` with port 0 asks for any free port. The issuer (public_url) must name the real port
// before the endpoints are built, so the port is chosen here: bind port 0, read it back, release
// it, and listen on it. A derived public_url follows. (IPv4 loopback/any hosts only; another host
// keeps port 0 and the server picks.)
void ResolveEphemeralPort(config::Config& c) {
  std::string host;
  int port = 0;
  if (!c.ListenHostPort(&host, &port) || port != 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  socklen_t len = sizeof addr;
  bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) return;
  std::string derived = "http://" + c.listen;
  c.listen = host + ":" + std::to_string(ntohs(addr.sin_port));
  if (c.public_url == derived) c.public_url = "http://" + c.listen;
}

// Each client connection is a descriptor, and the soft limit (often 1,024) would refuse clients
// long before memory or CPU run out: it is raised to the hard limit the operator allows, as
// nginx's worker_rlimit_nofile or Go's runtime do. The limit is logged.
void RaiseOpenFileLimit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  log::Info("open file limit", {{"limit", static_cast<int64_t>(lim.rlim_cur)}});
}

// Step 8-9: serves until SIGTERM or SIGINT.
int ServeUntilSignalled(Runtime& rt, const crypto::Kek& kek, sigset_t signals) {
  core::metrics::Registry metrics;
  auto routes = BuildRoutes(rt, kek, metrics);
  if (!routes) return StartFailed("routes", routes.error());
  RaiseOpenFileLimit();
  http::Server server(ServerOptionsFrom(rt.config(), metrics), std::move(routes->router));
  auto started = server.Start();
  if (!started) return StartFailed("listen " + rt.config().listen, started.error().message);
  rt.store().StartDeferredWork();  // the SQLite integrity check, now that start-up is done
  // What start-up used and no request needs goes back before the server idles (design 025):
  // the page cache the migrations and the first realm filled, then the free heap.
  rt.store().ReleaseIdleMemory();
  ::malloc_trim(0);
  log::Info("listening", {{"port", server.port()},
                          {"tls", server.tls()},
                          {"public_url", rt.config().public_url},
                          {"backend", rt.store().backend()}});
  core::SystemClock clock;
  Maintenance maintenance(rt.store(), rt.realms(), *routes->keys, clock,
                          std::chrono::seconds(rt.config().maintenance_interval_s));
  maintenance.Start();
  int sig = 0;
  sigwait(&signals, &sig);
  log::Info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  maintenance.Stop();  // lets a run in progress finish its step, then joins
  auto stopped = server.Stop();
  if (!stopped) log::Warn("shutdown incomplete", {{"error", stopped.error().message}});
  if (routes->audit != nullptr) routes->audit->Stop();  // no more requests: write what is queued
  log::Info("stopped");
  return kExitOk;
}

}  // namespace

int Serve(const CliContext& ctx) {
  auto config = ctx.LoadConfig(std::cerr);
  if (!config) return config.error();
  ConfigureLogging(*config);
  ResolveEphemeralPort(*config);
  // Block the shutdown signals before any thread starts, so they all inherit the mask and the
  // main thread receives them in sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  crypto::SecureRandom random;
  auto kek = LoadKek(*config, random, /*allow_generate=*/true);
  if (!kek) return StartFailed("kek", kek.error());
  if (kek->generated) {
    log::Warn(
        "generated a new KEK; back it up; the database's signing keys cannot be read without it",
        {{"kek_file", kek->source}});
  }
  auto store = OpenCheckedStore(*config, *kek->kek);
  if (!store) return store.error();
  std::unique_ptr<Runtime> rt = Runtime::Create(*config, std::move(store).value());
  if (int rc = RunBootstrap(*rt); rc != kExitOk) return rc;
  return ServeUntilSignalled(*rt, *kek->kek, signals);
}

}  // namespace idm::app
