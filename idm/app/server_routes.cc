#include "idm/app/server_routes.h"

#include "idm/core/clock.h"
#include "idm/http/ops_endpoints.h"

#include "idm/admin/admin_api.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/routes.h"

namespace idm::app {
namespace {

void AddOps(Runtime& rt, core::metrics::Registry& metrics, http::Router& router) {
  http::OpsOptions ops;
  ops.metrics = &metrics;
  ops.version = IDM_VERSION;
  store::Store* store = &rt.store();
  ops.readiness.push_back(http::ReadinessCheck{"store", [store]() -> core::Result<void, std::string> {
                                                 auto ping = store->Ping();
                                                 if (!ping) return core::Err(ping.error().message);
                                                 return {};
                                               }});
  http::AddOpsEndpoints(router, std::move(ops));
}

// Signing keys for every realm (a realm created by an older version or an import has none yet).
core::Result<void, std::string> EnsureAllKeys(Runtime& rt, oauth::KeyService& keys) {
  auto realms = rt.realms().List();
  if (!realms) return core::Err("listing realms: " + realms.error().detail);
  core::OpContext ctx{"system", "", "", core::SystemClock().NowMillis()};
  for (const core::Realm& r : *realms) {
    auto ensured = keys.EnsureKeys(ctx, r);
    if (!ensured) return core::Err("signing keys of realm " + r.name + ": " + ensured.error().detail);
  }
  return {};
}

core::Result<void, std::string> AddProtocolAndAdmin(Runtime& rt, const crypto::Kek& kek,
                                                    core::metrics::Registry& metrics,
                                                    Routes& routes) {
  auto clock = std::make_shared<core::SystemClock>();
  auto keys = std::make_shared<oauth::KeyService>(rt.store(), kek, rt.random(), *clock);
  // Records the KEK check on a new database (start-up already refused a mismatching KEK before
  // migrating), then makes sure every realm can sign.
  if (auto verified = keys->VerifyKek(); !verified) return core::Err(verified.error().detail);
  IDM_TRY(EnsureAllKeys(rt, *keys));
  auto endpoints = std::make_shared<oauth::OAuthEndpoints>(
      oauth::OAuthDeps{rt.config().public_url, rt.store(), rt.realms(), rt.clients(), rt.users(),
                       *keys, rt.random(), *clock, &metrics,
                       kek.DeriveSecret("idm-pairwise-v1")});
  oauth::RegisterRoutes(routes.router, *endpoints);
  routes.owned.insert(routes.owned.end(), {clock, keys, endpoints});
  routes.keys = keys.get();
  oauth::VerifierOptions vo;
  vo.public_url = rt.config().public_url;
  auto verifier = std::make_shared<oauth::AccessTokenVerifier>(vo, rt.store(), *keys, *clock);
  auto deps = std::make_shared<admin::AdminDeps>(admin::AdminDeps{
      rt.realms(), rt.clients(), rt.audit(), rt.users(), rt.groups(), rt.roles(), rt.store(),
      *verifier, *clock});
  deps->registrations = &endpoints->registrations();
  admin::RegisterRoutes(routes.router, *deps);
  routes.owned.insert(routes.owned.end(), {verifier, deps});
  return {};
}

}  // namespace

core::Result<Routes, std::string> BuildRoutes(Runtime& rt, const crypto::Kek& kek,
                                              core::metrics::Registry& metrics) {
  Routes routes;
  AddOps(rt, metrics, routes.router);
  IDM_TRY(AddProtocolAndAdmin(rt, kek, metrics, routes));
  return routes;
}

}  // namespace idm::app
