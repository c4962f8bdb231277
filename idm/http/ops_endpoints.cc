// /health/live, /health/ready, /metrics. See ops_endpoints.h.
#include "idm/http/ops_endpoints.h"

#include <exception>
#include <memory>
#include <stdexcept>

#include "idm/core/json.h"

namespace idm::http {
namespace {

WebResponse NoStore(WebResponse r) {
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

// Runs one check; false (and a log line) when it fails or throws.
bool Passes(const ReadinessCheck& c, core::log::Logger& logger) {
  std::string why;
  try {
    auto r = c.check();
    if (r) return true;
    why = r.error();
  } catch (const std::exception& e) {
    why = e.what();
  } catch (...) {
    why = "unknown exception";
  }
  logger.Write(core::log::Level::kWarn, "readiness check failed",
               {{"check", c.name}, {"error", why}});
  return false;
}

WebResponse Ready(const OpsOptions& o) {
  core::log::Logger& logger = o.logger != nullptr ? *o.logger : core::log::Default();
  core::Json checks = core::Json::object();
  bool ready = true;
  for (const ReadinessCheck& c : o.readiness) {
    const bool ok = Passes(c, logger);
    checks[c.name] = ok ? "ok" : "fail";
    ready = ready && ok;
  }
  core::Json body = {{"status", ready ? "ready" : "unavailable"}, {"checks", checks}};
  return NoStore(WebResponse::Json(ready ? 200 : 503, body.dump()));
}

}  // namespace

void AddOpsEndpoints(Router& router, OpsOptions options) {
  if (options.metrics == nullptr) throw std::invalid_argument("AddOpsEndpoints needs metrics");
  options.metrics
      ->AddGauge("idm_build_info", "Build information; the value is always 1.", {"version"})
      .WithLabels({options.version})
      .Set(1);
  auto shared = std::make_shared<const OpsOptions>(std::move(options));
  router.Add("GET", "/health/live", [](const WebRequest&) {
    return NoStore(WebResponse::Json(200, R"({"status":"live"})"));
  });
  router.Add("GET", "/health/ready", [shared](const WebRequest&) { return Ready(*shared); });
  router.Add("GET", "/metrics", [shared](const WebRequest&) {
    return NoStore(
        WebResponse::Bytes(200, core::metrics::kExpositionContentType, shared->metrics->Render()));
  });
}

}  // namespace idm::http
