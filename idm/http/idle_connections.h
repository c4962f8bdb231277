// Ending idle keep-alive connections when the server stops.
//
// cpp-httplib 0.11 holds a worker on each keep-alive connection until keep_alive_timeout passes,
// even after stop(): a stopping server waited up to that long for any client that kept a
// connection open (every browser and proxy does). Stop() now shuts the read side of the server's
// connections that are between requests, so their workers see end-of-stream and exit at once.
// A connection whose request is being handled is left alone: its response is written, then the
// library closes it because the server is stopping. The library gives no handle on its accepted
// sockets, so they are found in /proc/self/fd by their local port (design 006).
//
// Thread-safety: BusyPeers is written by the worker threads (one slot each) and read by the
// stopping thread; everything is atomic.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

namespace idm::http {

// A nonzero key for a peer address and port, as cpp-httplib writes them into a Request
// (numeric host, port). Distinct peers may share a key; Stop() then leaves that one connection to
// the keep-alive timeout.
uint64_t PeerKey(std::string_view numeric_host, int port);

// The peers whose requests are being handled, one slot per worker thread.
class BusyPeers {
 public:
  explicit BusyPeers(int workers);

  // Marks the calling worker's request as coming from `key` until the scope ends.
  class Scope {
   public:
    Scope(BusyPeers& peers, uint64_t key);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::atomic<uint64_t>* slot_;
  };

  bool Busy(uint64_t key) const;

 private:
  std::atomic<uint64_t>* SlotOfThisThread();

  int size_;
  std::unique_ptr<std::atomic<uint64_t>[]> slots_;
  std::atomic<int> claimed_{0};
};

// Shuts the read side (shutdown(SHUT_RD)) of every connected TCP socket of this process whose
// local port is `port` and that is neither listening, holding unread bytes, nor busy. Returns how
// many it shut.
int EndIdleConnections(int port, const BusyPeers& busy);

}  // namespace idm::http
