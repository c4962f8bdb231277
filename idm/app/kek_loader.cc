#include "idm/app/kek_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace idm::app {
namespace {

// Creates path exclusively with mode 0600 and writes text; fails if it exists.
core::Result<void, std::string> WriteNewSecretFile(const std::string& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return core::Err("cannot create directory " + parent.string() + ": " + ec.message());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return core::Err("cannot create " + path + ": " + std::strerror(errno));
  std::string data = text + "\n";
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return core::Err("cannot write " + path);
  }
  return {};
}

}  // namespace

core::Result<LoadedKek, std::string> LoadKek(const config::Config& config, core::Random& random,
                                             bool allow_generate) {
  LoadedKek out;
  if (!config.kek.empty()) {
    auto k = crypto::Kek::FromText(config.kek);
    if (!k) return core::Err("IDM_KEK: " + k.error().message);
    out.kek = *k;
    out.source = "IDM_KEK";
    return out;
  }
  out.source = config.kek_file;
  std::error_code ec;
  if (std::filesystem::exists(config.kek_file, ec)) {
    auto k = crypto::Kek::FromFile(config.kek_file);
    if (!k) return core::Err("kek file " + config.kek_file + ": " + k.error().message);
    out.kek = *k;
    return out;
  }
  if (!allow_generate) {
    return core::Err("no KEK: set IDM_KEK or create " + config.kek_file);
  }
  crypto::Kek k = crypto::Kek::Generate(random);
  auto written = WriteNewSecretFile(config.kek_file, k.ToText());
  if (!written) return core::Err(written.error());
  out.kek = k;
  out.generated = true;
  return out;
}

}  // namespace idm::app
