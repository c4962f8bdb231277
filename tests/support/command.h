// Running an independent tool (Debian's oathtool) from a test.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace idm::testing {

// Runs a shell command and returns its stdout (without the trailing newline); nullopt on failure.
inline std::optional<std::string> RunCommand(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return std::nullopt;
  std::string out;
  char buf[256];
  while (size_t n = fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace idm::testing
