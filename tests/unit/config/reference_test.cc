// docs/configuration.md is generated from the option table; it must not go stale.
#include "idm/config/reference.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "idm/config/options.h"

namespace idm::config {
namespace {

TEST(ConfigReference, CommittedDocsEqualTheGeneratedReference) {
  std::ifstream in(std::string(IDM_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(committed.str() == RenderReference())
      << "docs/configuration.md is stale: run `idm config reference > docs/configuration.md`";
}

TEST(ConfigReference, NamesEveryOptionWithItsEnvironmentVariable) {
  std::string doc = RenderReference();
  for (const Option& o : Options()) {
    EXPECT_NE(doc.find("### `" + std::string(o.name) + "`"), std::string::npos) << o.name;
    EXPECT_NE(doc.find("`" + std::string(o.env) + "`"), std::string::npos) << o.name;
  }
}

}  // namespace
}  // namespace idm::config
