// The OpenAPI document (schemas/openapi/admin-v1.json) and the registered routes describe the same
// API, in both directions.
#include <fstream>
#include <set>
#include <sstream>

#include "tests/unit/admin/admin_api_fixture.h"

namespace idm::admin::testing {
namespace {

using MethodPath = std::pair<std::string, std::string>;

std::set<MethodPath> DocumentedRoutes(const core::Json& doc) {
  std::set<MethodPath> out;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.emplace(upper, path);
    }
  }
  return out;
}

std::set<MethodPath> RegisteredRoutes() {
  std::set<MethodPath> out;
  for (const Route& r : AdminRoutes()) out.emplace(r.method, r.path);
  return out;
}

TEST(OpenApi, DocumentedAndRegisteredRoutesAreTheSame) {
  core::Json doc = core::Json::parse(OpenApiDocument());
  const auto documented = DocumentedRoutes(doc);
  const auto registered = RegisteredRoutes();
  for (const auto& [method, path] : registered) {
    EXPECT_TRUE(documented.count({method, path})) << "undocumented route " << method << " " << path;
  }
  for (const auto& [method, path] : documented) {
    EXPECT_TRUE(registered.count({method, path})) << "documented but not served: " << method
                                                  << " " << path;
  }
  EXPECT_EQ(registered.size(), AdminRoutes().size()) << "a route is registered twice";
}

TEST(OpenApi, EmbeddedDocumentIsTheCheckedInFile) {
  std::ifstream in(std::string(IDM_SOURCE_DIR) + "/schemas/openapi/admin-v1.json",
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), std::string(OpenApiDocument()));
  EXPECT_EQ(core::Json::parse(text.str())["openapi"], "3.1.0");
}

TEST_F(AdminApiTest, ServesTheOpenApiDocumentWithoutAToken) {
  auto r = Call("GET", "/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, std::string(OpenApiDocument()));
  EXPECT_EQ(r.headers.find("Content-Type")->second.rfind("application/json", 0), 0u);
}

TEST_F(AdminApiTest, EveryRegisteredRouteAnswersThroughTheRouter) {
  // No route is shadowed by another pattern: each answers with a problem or success, never the
  // router's own 404/405.
  for (const Route& route : AdminRoutes()) {
    std::string path(route.path);
    for (const char* param : {"{realm}", "{id}", "{user_id}"}) {
      for (size_t at; (at = path.find(param)) != std::string::npos;) {
        path.replace(at, std::string(param).size(), param[1] == 'r' ? "master" : "nope");
      }
    }
    auto r = Admin(std::string(route.method), path, route.method == "GET" ? "" : "{}");
    EXPECT_NE(r.status, 405) << route.method << " " << route.path;
    if (r.status == 404) {
      EXPECT_EQ(r.headers.find("Content-Type")->second, "application/problem+json")
          << route.method << " " << route.path;
    }
  }
}

}  // namespace
}  // namespace idm::admin::testing
