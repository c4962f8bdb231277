#include "idm/app/server_routes.h"

#include "idm/http/ops_endpoints.h"

namespace idm::app {

core::Result<Routes, std::string> BuildRoutes(Runtime& rt, const crypto::Kek& kek,
                                              core::metrics::Registry& metrics) {
  (void)kek;
  Routes routes;
  http::OpsOptions ops;
  ops.metrics = &metrics;
  ops.version = IDM_VERSION;
  store::Store* store = &rt.store();
  ops.readiness.push_back(http::ReadinessCheck{"store", [store]() -> core::Result<void, std::string> {
                                                 auto ping = store->Ping();
                                                 if (!ping) return core::Err(ping.error().message);
                                                 return {};
                                               }});
  http::AddOpsEndpoints(routes.router, std::move(ops));
  return routes;
}

}  // namespace idm::app
