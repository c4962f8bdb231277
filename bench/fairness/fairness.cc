// idm-bench-fairness: a connection-heavy HTTP/1.1 load client that reports, besides throughput
// and latency, how evenly the server served its connections (bench/README.md, issue 5: "no
// starved connection (every connection gets answers)"). wrk reports totals only; this tool keeps
// a count per connection.
//
//   idm-bench-fairness --url http://127.0.0.1:8080/path --connections 10000 --duration 20
//       [--method POST] [--body 'a=b'] [--header 'Authorization: Basic ...'] [--ramp 2]
//       [--rate R]
//
// Every connection runs a closed loop (send one request, read the whole response, send the
// next) on one epoll thread. With --rate R (requests per second over all connections), each
// connection instead sends on a fixed schedule (one request every connections ÷ R seconds, never
// two at once), and latency counts from the scheduled time, so a server that falls behind is not
// flattered by the client waiting for it (no coordinated omission). Connections are opened over --ramp seconds. A response with
// `Connection: close`, a reset or an error reopens the connection (counted). The result is one
// JSON object on stdout: requests, rps, errors (non-2xx answers), connect/IO failures, reopened
// connections, latency p50/p99/max in ms, and per-connection answered counts (min, p1, median,
// max, and "starved": connections that got no answer at all during the measured window).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <queue>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 80;
  std::string path = "/";
  std::string method = "GET";
  std::string body;
  std::vector<std::string> headers;
  int connections = 100;
  double duration_s = 10;
  double ramp_s = 1;
  double rate = 0;  // requests per second over all connections; 0 = closed loop
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "idm-bench-fairness: %s\nusage: idm-bench-fairness --url http://HOST:PORT/PATH "
               "--connections N --duration S [--ramp S] [--method M] [--body B] "
               "[--header 'Name: value']...\n",
               why);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + a).c_str());
    std::string v = argv[++i];
    if (a == "--url") {
      const std::string prefix = "http://";
      if (v.rfind(prefix, 0) != 0) Usage("only http:// URLs");
      std::string rest = v.substr(prefix.size());
      size_t slash = rest.find('/');
      std::string hostport = rest.substr(0, slash);
      o.path = slash == std::string::npos ? "/" : rest.substr(slash);
      size_t colon = hostport.rfind(':');
      if (colon == std::string::npos) Usage("the URL needs a port");
      o.host = hostport.substr(0, colon);
      o.port = std::atoi(hostport.substr(colon + 1).c_str());
    } else if (a == "--connections") {
      o.connections = std::atoi(v.c_str());
    } else if (a == "--duration") {
      o.duration_s = std::atof(v.c_str());
    } else if (a == "--ramp") {
      o.ramp_s = std::atof(v.c_str());
    } else if (a == "--rate") {
      o.rate = std::atof(v.c_str());
    } else if (a == "--method") {
      o.method = v;
    } else if (a == "--body") {
      o.body = v;
    } else if (a == "--header") {
      o.headers.push_back(v);
    } else {
      Usage(("unknown option " + a).c_str());
    }
  }
  if (o.connections < 1 || o.duration_s <= 0 || o.port <= 0) Usage("bad numbers");
  return o;
}

struct Conn {
  int fd = -1;
  bool connected = false;
  size_t sent = 0;      // bytes of the request written
  std::string in;       // response bytes read so far
  Clock::time_point started;
  long answered = 0;    // responses completed inside the measured window
};

class Load {
 public:
  explicit Load(Options o) : o_(std::move(o)) {
    request_ = o_.method + " " + o_.path + " HTTP/1.1\r\nHost: " + o_.host + ":" +
               std::to_string(o_.port) + "\r\nConnection: keep-alive\r\n";
    for (const std::string& h : o_.headers) request_ += h + "\r\n";
    if (!o_.body.empty() || o_.method == "POST") {
      request_ += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                  std::to_string(o_.body.size()) + "\r\n";
    }
    request_ += "\r\n" + o_.body;
    std::memset(&addr_, 0, sizeof addr_);
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(static_cast<uint16_t>(o_.port));
    if (inet_pton(AF_INET, o_.host.c_str(), &addr_.sin_addr) != 1) Usage("host must be IPv4");
    ep_ = epoll_create1(0);
    conns_.resize(static_cast<size_t>(o_.connections));
  }

  void Run() {
    const auto t0 = Clock::now();
    const auto ramp = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(o_.ramp_s));
    const auto end = t0 + ramp +
                     std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(o_.duration_s));
    measure_from_ = t0 + ramp;
    size_t opened = 0;
    std::vector<epoll_event> events(1024);
    while (Clock::now() < end) {
      // Open the next connections on schedule (evenly over the ramp).
      const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
      size_t due = o_.ramp_s <= 0 ? conns_.size()
                                  : std::min(conns_.size(), static_cast<size_t>(
                                                                conns_.size() * elapsed / o_.ramp_s) +
                                                                1);
      while (opened < due) Open(opened++);
      int timeout_ms = 5;
      if (!parked_.empty()) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(parked_.top().first -
                                                                          Clock::now());
        timeout_ms = static_cast<int>(std::clamp<long>(wait.count(), 0, 5));
      }
      int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), timeout_ms);
      for (int i = 0; i < n; ++i) Handle(events[static_cast<size_t>(i)]);
      const auto now = Clock::now();
      while (!parked_.empty() && parked_.top().first <= now) {
        auto [when, i] = parked_.top();
        parked_.pop();
        Send(i, when);
      }
    }
    Report(std::chrono::duration<double>(Clock::now() - measure_from_).count());
  }

 private:
  void Open(size_t i) {
    Conn& c = conns_[i];
    if (c.fd >= 0) close(c.fd);
    c = Conn{-1, false, 0, {}, {}, c.answered};
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c.fd < 0) {
      ++connect_errors_;
      return;
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r = connect(c.fd, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_);
    if (r != 0 && errno != EINPROGRESS) {
      ++connect_errors_;
      close(c.fd);
      c.fd = -1;
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLIN;
    ev.data.u64 = i;
    epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
    c.started = Clock::now();
  }

  void Reopen(size_t i) {
    ++reopened_;
    epoll_ctl(ep_, EPOLL_CTL_DEL, conns_[i].fd, nullptr);
    Open(i);
  }

  void Handle(const epoll_event& ev) {
    const size_t i = ev.data.u64;
    Conn& c = conns_[i];
    if ((ev.events & (EPOLLERR | EPOLLHUP)) && !(ev.events & EPOLLIN)) {
      ++io_errors_;
      Reopen(i);
      return;
    }
    if (!c.connected && (ev.events & EPOLLOUT)) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        ++connect_errors_;
        Reopen(i);
        return;
      }
      c.connected = true;
      c.started = Clock::now();
    }
    if (c.connected && c.sent < request_.size() && (ev.events & EPOLLOUT)) {
      ssize_t w = send(c.fd, request_.data() + c.sent, request_.size() - c.sent, MSG_NOSIGNAL);
      if (w < 0 && errno != EAGAIN) {
        ++io_errors_;
        Reopen(i);
        return;
      }
      if (w > 0) c.sent += static_cast<size_t>(w);
      if (c.sent == request_.size()) {
        epoll_event mod{};
        mod.events = EPOLLIN;
        mod.data.u64 = i;
        epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &mod);
      }
    }
    if (ev.events & EPOLLIN) Read(i);
  }

  void Read(size_t i) {
    Conn& c = conns_[i];
    char buf[16384];
    for (;;) {
      ssize_t r = recv(c.fd, buf, sizeof buf, 0);
      if (r > 0) {
        c.in.append(buf, static_cast<size_t>(r));
        continue;
      }
      if (r == 0) {  // closed by the server
        if (!c.in.empty()) ++io_errors_;
        Reopen(i);
        return;
      }
      if (errno == EAGAIN) break;
      ++io_errors_;
      Reopen(i);
      return;
    }
    size_t head_end = c.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return;
    std::string head = c.in.substr(0, head_end);
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    size_t length = 0;
    size_t cl = lower.find("\r\ncontent-length:");
    if (cl != std::string::npos) length = std::strtoul(lower.c_str() + cl + 17, nullptr, 10);
    if (c.in.size() < head_end + 4 + length) return;
    const bool close_after = lower.find("\r\nconnection: close") != std::string::npos;
    const int status = head.size() > 12 ? std::atoi(head.c_str() + 9) : 0;
    const auto now = Clock::now();
    if (now >= measure_from_) {
      ++requests_;
      ++c.answered;
      if (status < 200 || status > 299) ++non2xx_;
      latencies_ms_.push_back(
          static_cast<float>(std::chrono::duration<double, std::milli>(now - c.started).count()));
    }
    c.in.erase(0, head_end + 4 + length);
    if (close_after) {
      Reopen(i);
      return;
    }
    if (o_.rate > 0) {
      // The next request is due one interval after this one was due; a late one goes at once.
      const auto interval = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(static_cast<double>(o_.connections) / o_.rate));
      const auto next = c.started + interval;
      if (next > now) {
        parked_.emplace(next, i);
        return;
      }
      Send(i, next);
      return;
    }
    Send(i, now);
  }

  // Starts the next request of connection i, counting its latency from `due`.
  void Send(size_t i, Clock::time_point due) {
    Conn& c = conns_[i];
    if (c.fd < 0 || !c.connected) return;
    c.sent = 0;
    c.started = due;
    epoll_event mod{};
    mod.events = EPOLLOUT | EPOLLIN;
    mod.data.u64 = i;
    epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &mod);
  }

  static double Pct(std::vector<float>& v, double p) {
    if (v.empty()) return 0;
    size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
  }

  void Report(double seconds) {
    std::vector<float> per;
    per.reserve(conns_.size());
    long starved = 0;
    for (const Conn& c : conns_) {
      per.push_back(static_cast<float>(c.answered));
      if (c.answered == 0) ++starved;
    }
    double max_latency = latencies_ms_.empty()
                             ? 0
                             : *std::max_element(latencies_ms_.begin(), latencies_ms_.end());
    std::printf(
        "{\"connections\": %d, \"seconds\": %.2f, \"requests\": %ld, \"rps\": %.1f, "
        "\"non2xx\": %ld, \"connect_errors\": %ld, \"io_errors\": %ld, \"reopened\": %ld, "
        "\"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, \"per_connection\": {\"min\": "
        "%.0f, \"p1\": %.0f, \"median\": %.0f, \"max\": %.0f, \"starved\": %ld}}\n",
        o_.connections, seconds, requests_, static_cast<double>(requests_) / seconds, non2xx_,
        connect_errors_, io_errors_, reopened_, Pct(latencies_ms_, 0.50),
        Pct(latencies_ms_, 0.99), max_latency, Pct(per, 0.0), Pct(per, 0.01), Pct(per, 0.5),
        *std::max_element(per.begin(), per.end()), starved);
  }

  Options o_;
  std::string request_;
  sockaddr_in addr_{};
  int ep_ = -1;
  std::vector<Conn> conns_;
  Clock::time_point measure_from_;
  long requests_ = 0, non2xx_ = 0, connect_errors_ = 0, io_errors_ = 0, reopened_ = 0;
  std::vector<float> latencies_ms_;
  // Connections waiting for their next scheduled request (--rate), earliest first.
  using Due = std::pair<Clock::time_point, size_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> parked_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  Load load(std::move(o));
  load.Run();
  return 0;
}
