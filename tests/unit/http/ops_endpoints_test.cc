#include "idm/http/ops_endpoints.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "server_fixture.h"

namespace idm::http {
namespace {

struct Ops {
  core::metrics::Registry metrics;
  testing::CapturedLog log;
  Router router;
  explicit Ops(std::vector<ReadinessCheck> checks) {
    AddOpsEndpoints(router, {&metrics, "1.2.3", std::move(checks), &log.logger});
  }
  WebResponse Get(const std::string& path) {
    WebRequest r;
    r.method = "GET";
    r.path = path;
    return router.Dispatch(r);
  }
};

ReadinessCheck Passing(std::string name) {
  return {std::move(name), [] { return core::Result<void, std::string>(); }};
}

TEST(OpsEndpoints, LiveIsAlways200) {
  Ops ops({{"store", [] { return core::Result<void, std::string>("down"); }}});
  WebResponse r = ops.Get("/health/live");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(core::Json::parse(r.body)["status"], "live");
  EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
}

TEST(OpsEndpoints, ReadyIs200WhenEveryCheckPasses) {
  Ops ops({Passing("store"), Passing("keys")});
  WebResponse r = ops.Get("/health/ready");
  EXPECT_EQ(r.status, 200);
  core::Json j = core::Json::parse(r.body);
  EXPECT_EQ(j["status"], "ready");
  EXPECT_EQ(j["checks"]["store"], "ok");
  EXPECT_EQ(j["checks"]["keys"], "ok");
}

TEST(OpsEndpoints, ReadyIs503WhenACheckFailsAndHidesTheReason) {
  Ops ops(
      {Passing("keys"),
       {"store", [] { return core::Result<void, std::string>("connect to 10.0.0.5 refused"); }}});
  WebResponse r = ops.Get("/health/ready");
  EXPECT_EQ(r.status, 503);
  core::Json j = core::Json::parse(r.body);
  EXPECT_EQ(j["status"], "unavailable");
  EXPECT_EQ(j["checks"]["store"], "fail");
  EXPECT_EQ(j["checks"]["keys"], "ok");
  EXPECT_EQ(r.body.find("10.0.0.5"), std::string::npos);
  auto logged = ops.log.Records("readiness check failed");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0]["error"], "connect to 10.0.0.5 refused");
}

TEST(OpsEndpoints, ACheckThatThrowsCountsAsNotReady) {
  Ops ops({{"store",
            []() -> core::Result<void, std::string> { throw std::runtime_error("driver bug"); }}});
  EXPECT_EQ(ops.Get("/health/ready").status, 503);
}

TEST(OpsEndpoints, MetricsRendersTheRegistryWithBuildInfo) {
  Ops ops({});
  ops.metrics.AddCounter("idm_logins_total", "Logins.").WithLabels({}).Inc(3);
  WebResponse r = ops.Get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.find("Content-Type")->second, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("idm_build_info{version=\"1.2.3\"} 1\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("idm_logins_total 3\n"), std::string::npos);
}

TEST(OpsEndpoints, MetricsOverHttpIncludeTheServersOwnCounters) {
  // The server and the ops endpoints share one registry, as in the app; it outlives the server.
  core::metrics::Registry registry;
  Router router;
  AddOpsEndpoints(router, {&registry, "9.9.9", {Passing("store")}, nullptr});
  testing::RunningServer s(std::move(router), [&](ServerOptions& o) { o.metrics = &registry; });
  Client c(s.Url());
  ASSERT_TRUE(c.Get("/health/live").ok());
  ASSERT_TRUE(c.Get("/health/ready").ok());
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("idm_http_requests_total{route=\"/health/live\",method=\"GET\","
                         "status=\"200\"} 1"),
            std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("# TYPE idm_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(r->body.find("idm_http_in_flight 1"), std::string::npos);  // the /metrics request
  EXPECT_NE(r->body.find("idm_build_info{version=\"9.9.9\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace idm::http
