// idm-bench-login: idm's full browser login, without a browser, timed login by login
// (bench/README.md; issue 5: "Password login round trip: at least 90 % of the Argon2id ceiling").
//
//   idm-bench-login --url http://HOST:PORT --realm R --client-id C --authorization 'Basic ...'
//       --username U --password P [--count N] [--redirect-uri URI] [--scope S]
//
// Each login uses a fresh keep-alive connection and a fresh cookie jar (so the password is
// verified with Argon2id every time), as bench/benchlib.py's idm_login does:
//   GET  /realms/R/protocol/openid-connect/auth (PKCE S256)   -> 303 to the login page
//   GET  the login page                                        -> 200, csrf_token and flow_id
//   POST /realms/R/login-actions/authenticate                  -> 302 to the redirect URI + code
//   POST /realms/R/protocol/openid-connect/token (the code, the PKCE verifier) -> 200
// bench/compare.py measured the same round trip with Python's http.client, which added about
// 5 ms per login on the other core: that is the client's work, not the server's.
//
// Prints one JSON object: {"times_ms": [...], "steps_ms": {...}}: one wall-clock time per login,
// and the mean time of each of the four requests (connecting is part of the first). Any unexpected
// answer stops the run with the step, the status and the start of the body on stderr (exit 1).
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 80;
  std::string realm = "bench";
  std::string client_id;
  std::string authorization;
  std::string username;
  std::string password;
  std::string redirect_uri = "https://app.bench.test/cb";
  std::string scope = "openid profile";
  int count = 20;
};

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "idm-bench-login: %s\n", why.c_str());
  std::exit(1);
}

std::string B64Url(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) Fail("RAND_bytes failed");
  return B64Url(raw.data(), raw.size());
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += UrlEncode(k) + '=' + UrlEncode(v);
  }
  return out;
}

// The path and query of an absolute or relative Location.
std::string PathOf(const std::string& location) {
  size_t scheme = location.find("://");
  if (scheme == std::string::npos) return location;
  size_t slash = location.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : location.substr(slash);
}

// The value of query parameter `name` in `url` ("" if absent); code values need no decoding.
std::string QueryParam(const std::string& url, const std::string& name) {
  size_t q = url.find('?');
  while (q != std::string::npos) {
    size_t start = q + 1;
    size_t end = url.find('&', start);
    std::string pair =
        url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    q = end;
  }
  return "";
}

// The value attribute that follows name="<name>" in the page ("" if absent).
std::string InputValue(const std::string& page, const std::string& name) {
  std::string marker = "name=\"" + name + "\" value=\"";
  size_t at = page.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  size_t end = page.find('"', at);
  return end == std::string::npos ? "" : page.substr(at, end - at);
}

// One login's connection and cookie jar.
class Browser {
 public:
  explicit Browser(const Options& o) : client_(o.host, o.port) {
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);
    client_.set_follow_location(false);
  }

  httplib::Result Get(const std::string& path) { return Keep(client_.Get(path, Headers({}))); }
  httplib::Result Post(const std::string& path, const std::string& form,
                       httplib::Headers extra = {}) {
    return Keep(
        client_.Post(path, Headers(std::move(extra)), form, "application/x-www-form-urlencoded"));
  }

 private:
  httplib::Headers Headers(httplib::Headers h) const {
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      if (!cookie.empty()) cookie += "; ";
      cookie += name + "=" + value;
    }
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return h;
  }
  httplib::Result Keep(httplib::Result r) {
    if (!r) return r;
    auto [begin, end] = r->headers.equal_range("Set-Cookie");
    for (auto it = begin; it != end; ++it) {
      const std::string& v = it->second;
      size_t eq = v.find('=');
      if (eq == std::string::npos) continue;
      std::string name = v.substr(0, eq);
      std::string value = v.substr(eq + 1, v.find(';', eq) - eq - 1);
      std::string lower;
      for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.find("max-age=0") != std::string::npos) {
        cookies_.erase(name);
      } else {
        cookies_[name] = value;
      }
    }
    return r;
  }

  httplib::Client client_;
  std::map<std::string, std::string> cookies_;
};

void Expect(const httplib::Result& r, int status, const char* step) {
  if (!r) Fail(std::string(step) + ": " + httplib::to_string(r.error()));
  if (r->status != status) {
    Fail(std::string(step) + ": status " + std::to_string(r->status) + ", expected " +
         std::to_string(status) + ": " + r->body.substr(0, 300));
  }
}

// Sums of each step's wall-clock time over the run, in milliseconds.
struct Steps {
  double authorize = 0, page = 0, password = 0, token = 0;
};

class StepTimer {
 public:
  explicit StepTimer(double* sum) : sum_(sum) {}
  void Next(double* sum) {
    auto now = std::chrono::steady_clock::now();
    *sum_ += std::chrono::duration<double, std::milli>(now - start_).count();
    start_ = now;
    sum_ = sum;
  }

 private:
  double* sum_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void Login(const Options& o, Steps& steps) {
  StepTimer timer(&steps.authorize);
  Browser b(o);
  const std::string verifier = RandomToken(48);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  const std::string base = "/realms/" + o.realm;
  auto r = b.Get(base + "/protocol/openid-connect/auth?" +
                 Form({{"client_id", o.client_id},
                       {"response_type", "code"},
                       {"scope", o.scope},
                       {"redirect_uri", o.redirect_uri},
                       {"state", RandomToken(8)},
                       {"nonce", RandomToken(8)},
                       {"code_challenge", B64Url(digest, sizeof digest)},
                       {"code_challenge_method", "S256"}}));
  Expect(r, 303, "authorization request");
  timer.Next(&steps.page);
  r = b.Get(PathOf(r->get_header_value("Location")));
  Expect(r, 200, "login page");
  const std::string csrf = InputValue(r->body, "csrf_token");
  const std::string flow = InputValue(r->body, "flow_id");
  if (csrf.empty() || flow.empty()) Fail("login page: no csrf_token or flow_id field");
  timer.Next(&steps.password);
  r = b.Post(base + "/login-actions/authenticate", Form({{"csrf_token", csrf},
                                                         {"flow_id", flow},
                                                         {"username", o.username},
                                                         {"password", o.password}}));
  Expect(r, 302, "password");
  const std::string code = QueryParam(r->get_header_value("Location"), "code");
  if (code.empty()) Fail("password: the redirect has no code");
  timer.Next(&steps.token);
  r = b.Post(base + "/protocol/openid-connect/token",
             Form({{"grant_type", "authorization_code"},
                   {"code", code},
                   {"redirect_uri", o.redirect_uri},
                   {"code_verifier", verifier}}),
             {{"Authorization", o.authorization}});
  Expect(r, 200, "token");
  if (r->body.find("\"access_token\"") == std::string::npos) Fail("token: no access_token");
  timer.Next(&steps.token);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) Fail("missing value for " + flag);
    std::string value = argv[++i];
    if (flag == "--url") {
      const std::string prefix = "http://";
      if (value.rfind(prefix, 0) != 0) Fail("--url must be http://HOST:PORT");
      std::string hostport = value.substr(prefix.size());
      if (size_t slash = hostport.find('/'); slash != std::string::npos) hostport.resize(slash);
      size_t colon = hostport.rfind(':');
      if (colon == std::string::npos) Fail("--url needs a port");
      o.host = hostport.substr(0, colon);
      o.port = std::atoi(hostport.c_str() + colon + 1);
    } else if (flag == "--realm") {
      o.realm = value;
    } else if (flag == "--client-id") {
      o.client_id = value;
    } else if (flag == "--authorization") {
      o.authorization = value;
    } else if (flag == "--username") {
      o.username = value;
    } else if (flag == "--password") {
      o.password = value;
    } else if (flag == "--redirect-uri") {
      o.redirect_uri = value;
    } else if (flag == "--scope") {
      o.scope = value;
    } else if (flag == "--count") {
      o.count = std::atoi(value.c_str());
    } else {
      Fail("unknown flag " + flag);
    }
  }
  if (o.client_id.empty() || o.username.empty() || o.count < 1) {
    Fail(
        "usage: idm-bench-login --url http://HOST:PORT --realm R --client-id C "
        "--authorization 'Basic ...' --username U --password P [--count N]");
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = Parse(argc, argv);
  std::vector<double> times;
  Steps steps;
  for (int i = 0; i < o.count; ++i) {
    auto start = std::chrono::steady_clock::now();
    Login(o, steps);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::string out = "{\"times_ms\": [";
  for (size_t i = 0; i < times.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.3f", i ? ", " : "", times[i]);
    out += buf;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "], \"steps_ms\": {\"authorize\": %.3f, \"login_page\": %.3f, "
                "\"password\": %.3f, \"token\": %.3f}}\n",
                steps.authorize / o.count, steps.page / o.count, steps.password / o.count,
                steps.token / o.count);
  out += buf;
  std::fputs(out.c_str(), stdout);
  return 0;
}
