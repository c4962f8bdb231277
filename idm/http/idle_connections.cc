// Ending idle keep-alive connections at stop; see idle_connections.h.
#include "idm/http/idle_connections.h"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstdlib>
#include <functional>
#include <string>

namespace idm::http {
namespace {

int LocalPort(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return -1;
}

// The key of a connected socket's peer, formatted the way cpp-httplib formats Request::remote_addr
// (getnameinfo with NI_NUMERICHOST); 0 when the socket has no peer.
uint64_t PeerKeyOf(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return 0;
  char host[NI_MAXHOST];
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&peer), len, host, sizeof host, nullptr, 0,
                    NI_NUMERICHOST) != 0) {
    return 0;
  }
  return PeerKey(host, LocalPort(peer));
}

bool IsIdleConnectionOf(int fd, int port, const BusyPeers& busy) {
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return false;
  if (LocalPort(local) != port) return false;
  int value = 0;
  socklen_t size = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &size) != 0 || value != SOCK_STREAM) {
    return false;
  }
  size = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &size) != 0 || value != 0) return false;
  const uint64_t key = PeerKeyOf(fd);
  if (key == 0 || busy.Busy(key)) return false;
  int unread = 0;
  // Bytes waiting mean a request is arriving: let the worker read and answer it.
  return ::ioctl(fd, FIONREAD, &unread) == 0 && unread == 0;
}

}  // namespace

uint64_t PeerKey(std::string_view numeric_host, int port) {
  const uint64_t h = std::hash<std::string_view>{}(numeric_host);
  const uint64_t key = (h * 65537u) ^ static_cast<uint64_t>(static_cast<uint16_t>(port));
  return key == 0 ? 1 : key;
}

BusyPeers::BusyPeers(int workers)
    : size_(workers < 1 ? 1 : workers), slots_(std::make_unique<std::atomic<uint64_t>[]>(size_)) {
  for (int i = 0; i < size_; ++i) slots_[i].store(0, std::memory_order_relaxed);
}

std::atomic<uint64_t>* BusyPeers::SlotOfThisThread() {
  // A worker thread belongs to one server's pool for its whole life.
  struct Claim {
    const BusyPeers* owner = nullptr;
    std::atomic<uint64_t>* slot = nullptr;
  };
  thread_local Claim claim;
  if (claim.owner != this) {
    const int index = claimed_.fetch_add(1, std::memory_order_relaxed);
    claim = {this, index < size_ ? &slots_[index] : nullptr};
  }
  return claim.slot;
}

BusyPeers::Scope::Scope(BusyPeers& peers, uint64_t key) : slot_(peers.SlotOfThisThread()) {
  if (slot_ != nullptr) slot_->store(key, std::memory_order_release);
}

BusyPeers::Scope::~Scope() {
  if (slot_ != nullptr) slot_->store(0, std::memory_order_release);
}

bool BusyPeers::Busy(uint64_t key) const {
  for (int i = 0; i < size_; ++i) {
    if (slots_[i].load(std::memory_order_acquire) == key) return true;
  }
  return false;
}

int EndIdleConnections(int port, const BusyPeers& busy) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int ended = 0;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == own) continue;
    if (IsIdleConnectionOf(static_cast<int>(fd), port, busy) &&
        ::shutdown(static_cast<int>(fd), SHUT_RD) == 0) {
      ++ended;
    }
  }
  ::closedir(dir);
  return ended;
}

}  // namespace idm::http
