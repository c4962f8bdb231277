// A Runtime over a real SQLite store in a temporary directory, for the app unit tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "idm/app/runtime.h"
#include "idm/config/loader.h"

namespace idm::app {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/idm-app-test.XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    rt_ = OpenRuntime(dir_ + "/idm.db");
    ASSERT_NE(rt_, nullptr);
  }
  void TearDown() override {
    rt_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A runtime on `db` with fast Argon2 parameters and optional bootstrap settings.
  std::unique_ptr<Runtime> OpenRuntime(const std::string& db_path,
                                       std::map<std::string, std::string> env = {}) {
    env["IDM_DB"] = "sqlite:" + db_path;
    env["IDM_ARGON2_MEMORY_KIB"] = "1024";
    env["IDM_ARGON2_ITERATIONS"] = "1";
    auto c = config::Load(config::Sources{"", env, {}});
    EXPECT_TRUE(c) << c.error().message;
    if (!c) return nullptr;
    auto rt = Runtime::Open(*c, RuntimeOptions{});
    EXPECT_TRUE(rt) << rt.error().message;
    return rt ? std::move(rt).value() : nullptr;
  }

  std::string dir_;
  std::unique_ptr<Runtime> rt_;
};

}  // namespace idm::app
