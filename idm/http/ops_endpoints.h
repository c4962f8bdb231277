// Operations endpoints (ARCHITECTURE.md decision 9), added to a Router by the app:
//   GET /health/live   200 {"status":"live"} whenever the process answers HTTP at all.
//   GET /health/ready  runs every readiness check (e.g. the store's Ping): 200 {"status":"ready"}
//                      when all pass, else 503 {"status":"unavailable","checks":{"store":"fail"}}.
//                      A failing check's detail goes to the log, never to the response.
//   GET /metrics       the registry in Prometheus text format 0.0.4, plus idm_build_info{version}.
// Responses carry Cache-Control: no-store.
//
// Thread-safety: the handlers are safe to run concurrently if the readiness checks are.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "idm/core/log.h"
#include "idm/core/metrics.h"
#include "idm/core/result.h"
#include "idm/http/router.h"

namespace idm::http {

struct ReadinessCheck {
  std::string name;  // a stable key of the "checks" object, e.g. "store"
  // Ok when ready; the error text is logged (never sent) when not. Should answer within about a
  // second: load balancers call it often. An exception counts as not ready.
  std::function<core::Result<void, std::string>()> check;
};

struct OpsOptions {
  core::metrics::Registry* metrics = nullptr;  // required for /metrics; must outlive the router
  std::string version;                         // idm_build_info{version="..."}
  std::vector<ReadinessCheck> readiness;       // none = always ready
  core::log::Logger* logger = nullptr;         // nullptr = core::log::Default()
};

// Adds the three routes to `router`. Registers idm_build_info in options.metrics.
void AddOpsEndpoints(Router& router, OpsOptions options);

}  // namespace idm::http
