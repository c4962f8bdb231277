#include "idm/core/metrics.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace idm::core::metrics {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(Metrics, CounterRendersHelpTypeAndLabelledSamples) {
  Registry r;
  auto& c = r.AddCounter("idm_requests_total", "Requests served.", {"route", "status"});
  c.WithLabels({"/a", "200"}).Inc();
  c.WithLabels({"/a", "200"}).Inc(2);
  c.WithLabels({"/b", "404"}).Inc();
  const std::string text = r.Render();
  EXPECT_TRUE(Contains(text, "# HELP idm_requests_total Requests served.\n"));
  EXPECT_TRUE(Contains(text, "# TYPE idm_requests_total counter\n"));
  EXPECT_TRUE(Contains(text, "idm_requests_total{route=\"/a\",status=\"200\"} 3\n"));
  EXPECT_TRUE(Contains(text, "idm_requests_total{route=\"/b\",status=\"404\"} 1\n"));
}

TEST(Metrics, WithLabelsReturnsTheSameHandle) {
  Registry r;
  auto& c = r.AddCounter("x_total", "x", {"a"});
  EXPECT_EQ(&c.WithLabels({"1"}), &c.WithLabels({"1"}));
  EXPECT_NE(&c.WithLabels({"1"}), &c.WithLabels({"2"}));
}

TEST(Metrics, GaugeWithoutLabels) {
  Registry r;
  auto& g = r.AddGauge("idm_in_flight", "In flight.").WithLabels({});
  g.Inc();
  g.Inc();
  g.Dec();
  EXPECT_TRUE(Contains(r.Render(), "# TYPE idm_in_flight gauge\nidm_in_flight 1\n"));
  g.Set(0.5);
  EXPECT_TRUE(Contains(r.Render(), "idm_in_flight 0.5\n"));
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  auto& h = r.AddHistogram("lat_seconds", "Latency.", {"route"}, {0.1, 1}).WithLabels({"/x"});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.5);
  h.Observe(7);
  const std::string text = r.Render();
  EXPECT_TRUE(Contains(text, "# TYPE lat_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_sum{route=\"/x\"} 7.65\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_count{route=\"/x\"} 4\n"));
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  Registry r;
  r.AddCounter("e_total", "line1\nback\\slash", {"v"}).WithLabels({"a\"b\\c\nd"}).Inc();
  const std::string text = r.Render();
  EXPECT_TRUE(Contains(text, "# HELP e_total line1\\nback\\\\slash\n"));
  EXPECT_TRUE(Contains(text, "e_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(Metrics, FamiliesRenderSortedByName) {
  Registry r;
  r.AddCounter("b_total", "b").WithLabels({}).Inc();
  r.AddCounter("a_total", "a").WithLabels({}).Inc();
  const std::string text = r.Render();
  EXPECT_LT(text.find("a_total"), text.find("b_total"));
}

TEST(Metrics, ReRegistrationReturnsExistingFamilyOrThrowsOnMismatch) {
  Registry r;
  auto& a = r.AddCounter("same_total", "s", {"x"});
  EXPECT_EQ(&a, &r.AddCounter("same_total", "s", {"x"}));
  EXPECT_THROW(r.AddCounter("same_total", "s", {"y"}), std::invalid_argument);
  EXPECT_THROW(r.AddGauge("same_total", "s", {"x"}), std::invalid_argument);
}

TEST(Metrics, RejectsInvalidNamesAndWrongLabelArity) {
  Registry r;
  EXPECT_THROW(r.AddCounter("1bad", "x"), std::invalid_argument);
  EXPECT_THROW(r.AddCounter("bad-name", "x"), std::invalid_argument);
  EXPECT_THROW(r.AddCounter("ok", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(r.AddCounter("ok2", "x", {"a:b"}), std::invalid_argument);
  EXPECT_THROW(r.AddHistogram("h", "x", {}, {1, 1}), std::invalid_argument);
  auto& c = r.AddCounter("ok3", "x", {"a", "b"});
  EXPECT_THROW(c.WithLabels({"1"}), std::invalid_argument);
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  Registry r;
  auto& fam = r.AddCounter("c_total", "c", {"t"});
  auto& h = r.AddHistogram("h_seconds", "h", {}).WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        fam.WithLabels({"x"}).Inc();
        h.Observe(0.002);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fam.WithLabels({"x"}).Value(), 40000u);
  EXPECT_EQ(h.CumulativeCounts().back(), 40000u);
}

}  // namespace
}  // namespace idm::core::metrics
