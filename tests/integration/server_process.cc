#include "tests/integration/server_process.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace idm::testing {
namespace {

std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    if (kv.rfind("IDM_", 0) == 0 && kv.rfind("IDM_TEST_", 0) != 0) continue;
    out.push_back(kv);
  }
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

bool WaitPid(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + ".XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) std::abort();
  ::chmod(made, 0777);
  return made;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ServerProcess::ServerProcess(std::string dir, std::map<std::string, std::string> env,
                             std::string as_user)
    : dir_(std::move(dir)), env_(std::move(env)), as_user_(std::move(as_user)) {
  env_.emplace("IDM_DATA_DIR", dir_);
  env_.emplace("IDM_LISTEN", "127.0.0.1:0");
  env_.emplace("IDM_LOG_FORMAT", "json");
  // Fast Argon2 for tests: the parameters are configuration, not what is under test here.
  env_.emplace("IDM_ARGON2_MEMORY_KIB", "1024");
  env_.emplace("IDM_ARGON2_ITERATIONS", "1");
  static int instances = 0;  // one log per process object: a restart never reads the old log
  log_path_ = dir_ + "/serve-" + std::to_string(++instances) + ".log";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

pid_t ServerProcess::Spawn(const std::vector<std::string>& args, const std::string& log_path) const {
  // Everything the child needs is made before fork(): the child of a threaded process (a test
  // with a receiver thread) may only call async-signal-safe functions until execve. Allocating
  // there can deadlock on an allocator lock another thread held at the fork (seen under ASan,
  // whose allocator has no fork handler in GCC 12).
  std::vector<std::string> env = ChildEnvironment(env_);
  std::vector<std::string> argv{IDM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv, cenv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  bool switch_user = !as_user_.empty() && ::geteuid() == 0;
  uid_t uid = 0;
  gid_t gid = 0;
  if (switch_user) {
    struct passwd* pw = ::getpwnam(as_user_.c_str());
    if (pw == nullptr) return -1;
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  }
  // Truncate before forking, so the parent never reads what an earlier child wrote.
  ::close(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666));
  const char* log = log_path.c_str();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int fd = ::open(log, O_WRONLY | O_APPEND);
  ::dup2(fd, 1);
  ::dup2(fd, 2);
  int devnull = ::open("/dev/null", O_RDONLY);
  ::dup2(devnull, 0);
  if (switch_user && (::setgid(gid) != 0 || ::setuid(uid) != 0)) ::_exit(127);
  ::execve(cargv[0], cargv.data(), cenv.data());
  ::_exit(127);
}

void ServerProcess::Note(const std::string& line) const {
  std::ofstream(log_path_, std::ios::app) << "[test harness] " << line << "\n";
}

bool ServerProcess::Start(std::chrono::seconds timeout) {
  pid_ = Spawn({"serve"}, log_path_);
  if (pid_ < 0) {
    Note("could not start the child (fork failed or user " + as_user_ + " unknown)");
    return false;
  }
  static const std::regex kListening("\"msg\":\"listening\"[^\\n]*\"port\":([0-9]+)|"
                                     "\"port\":([0-9]+)[^\\n]*\"msg\":\"listening\"");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    std::string out = Output();
    if (std::regex_search(out, m, kListening)) {
      port_ = std::stoi(m[1].matched ? m[1].str() : m[2].str());
      return true;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      Note("idm serve exited before listening: " +
           (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                              : "signal " + std::to_string(WTERMSIG(status))));
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  // Say which way it failed, and leave no child behind for the next test to trip on.
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  Note("idm serve logged no \"listening\" line within " + std::to_string(timeout.count()) +
       " s; killed");
  return false;
}

std::optional<int> ServerProcess::Signal(int sig, std::chrono::seconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, sig);
  return Wait(timeout);
}

std::optional<int> ServerProcess::Wait(std::chrono::seconds timeout) {
  int status = 0;
  if (pid_ <= 0 || !WaitPid(pid_, timeout, &status)) return std::nullopt;
  pid_ = -1;
  return ExitCode(status);
}

std::string ServerProcess::Output() const { return ReadFile(log_path_); }

RunResult ServerProcess::Run(const std::vector<std::string>& args,
                             std::chrono::seconds timeout) const {
  std::string log = dir_ + "/run.log";
  pid_t pid = Spawn(args, log);
  RunResult r;
  if (pid < 0) {
    r.output = "[test harness] could not start the child (fork failed or user " + as_user_ +
               " unknown)";
    return r;
  }
  int status = 0;
  if (WaitPid(pid, timeout, &status)) {
    r.exit_code = ExitCode(status);
  } else {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  r.output = ReadFile(log);
  return r;
}

}  // namespace idm::testing
