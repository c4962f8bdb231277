// ServerProcess: runs the real `idm` binary (IDM_BINARY) as a child process for integration tests
// — `idm serve` on an ephemeral port with a temporary data directory and the environment the test
// chooses — and reads its port from the "listening" log line. Also runs one-shot subcommands.
//
// Thread-safety: one test thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace idm::testing {

struct RunResult {
  int exit_code = -1;   // -1 if killed by a signal or timed out
  std::string output;   // stdout + stderr
};

class ServerProcess {
 public:
  // dir: the data directory (created); env: IDM_* variables (other IDM_* of the test's own
  // environment, except IDM_TEST_*, are removed); as_user: run as this user when we are root
  // ("" = as ourselves).
  ServerProcess(std::string dir, std::map<std::string, std::string> env, std::string as_user = "");
  ~ServerProcess();  // SIGKILLs a child still running

  // Starts `idm serve` and waits until it logs "listening" (true) or exits / times out (false).
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(60));
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  // Sends sig and waits for the exit status (nullopt on timeout).
  std::optional<int> Signal(int sig, std::chrono::seconds timeout = std::chrono::seconds(30));
  // Waits for the child to exit by itself.
  std::optional<int> Wait(std::chrono::seconds timeout);

  // Everything the child wrote so far.
  std::string Output() const;

  // Runs `idm <args>` to completion with this object's directory and environment.
  RunResult Run(const std::vector<std::string>& args,
                std::chrono::seconds timeout = std::chrono::seconds(60)) const;

 private:
  // -1 if the child could not be made.
  pid_t Spawn(const std::vector<std::string>& args, const std::string& log_path) const;
  // Appends a line of the harness's own to the log Output() returns (why Start failed).
  void Note(const std::string& line) const;

  std::string dir_;
  std::map<std::string, std::string> env_;
  std::string as_user_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A fresh temporary directory under /tmp, world-traversable, removed by the caller.
std::string MakeTempDir(const std::string& prefix);

// Reads a whole file ("" if absent).
std::string ReadFile(const std::string& path);

}  // namespace idm::testing
