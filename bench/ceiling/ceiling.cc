// The benchmark's ceilings (bench/README.md, docs/performance.md): what a bare cpp-httplib +
// OpenSSL server does with nothing else around it, so idm's numbers are read as a ratio to the
// best this stack can do on the same core.
//
//   idm-bench-ceiling serve --port P [--threads N] [--body-file F]
//       GET  /hello  the bytes of F (precomputed; idm's discovery document is the usual F)
//       POST /token  client_credentials with client_secret_basic: checks the secret against its
//                    SHA-256 in constant time (as idm does), then signs an RFC 9068 access token
//                    (ES256, typ at+jwt, the claims idm puts in one) and answers it as JSON.
//   idm-bench-ceiling argon2 --memory-kib M --iterations T --parallelism P [--count N]
//       Argon2id verification alone at idm's parameters, on warm memory: prints the mean
//       milliseconds per check.
//
// The client is "bench" with the secret in CEILING_SECRET. Deliberately independent of idm's code.
#include <argon2.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string B64Url(const unsigned char* data, size_t len) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((len * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 2 < len; i += 3) {
    unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (len - i == 1) {
    unsigned v = data[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (len - i == 2) {
    unsigned v = (data[i] << 16) | (data[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::string B64Url(const std::string& s) {
  return B64Url(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

std::string Sha256(const std::string& s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return std::string(reinterpret_cast<char*>(d), sizeof d);
}

// base64 (standard alphabet) decoding for the Basic header; "" on malformed input.
std::string B64Decode(const std::string& in) {
  std::string out(in.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return "";
  size_t pad = 0;
  for (size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

struct Signer {
  EVP_PKEY* key = nullptr;
  std::string header_b64;

  Signer() {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_CTX_set_group_name(ctx, "P-256");
    EVP_PKEY_keygen(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    header_b64 = B64Url(std::string(R"({"alg":"ES256","kid":"ceiling-1","typ":"at+jwt"})"));
  }
  ~Signer() { EVP_PKEY_free(key); }

  // JWS compact serialization with the raw R||S signature (RFC 7518 §3.4).
  std::string Sign(const std::string& payload) const {
    std::string input = header_b64 + "." + B64Url(payload);
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key);
    size_t der_len = 0;
    EVP_DigestSign(md, nullptr, &der_len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::vector<unsigned char> der(der_len);
    EVP_DigestSign(md, der.data(), &der_len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    EVP_MD_CTX_free(md);
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
    unsigned char raw[64];
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
    ECDSA_SIG_free(sig);
    return input + "." + B64Url(raw, sizeof raw);
  }
};

std::string Option(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

int Serve(int argc, char** argv) {
  const int port = std::stoi(Option(argc, argv, "--port", "0"));
  const int threads = std::stoi(Option(argc, argv, "--threads", "16"));
  const std::string body_file = Option(argc, argv, "--body-file", "");
  const char* secret_env = std::getenv("CEILING_SECRET");
  if (port <= 0 || secret_env == nullptr) {
    std::cerr << "usage: CEILING_SECRET=S idm-bench-ceiling serve --port P [--threads N] "
                 "[--body-file F]\n";
    return 2;
  }
  std::string hello = "hello";
  if (!body_file.empty()) {
    std::ifstream in(body_file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    hello = s.str();
  }
  const std::string secret_hash = Sha256(secret_env);
  const std::string issuer = "http://127.0.0.1:" + std::to_string(port);
  Signer signer;

  httplib::Server svr;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_tcp_nodelay(true);
  svr.Get("/hello", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(hello, "application/json");
  });
  svr.Post("/token", [&](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    const std::string auth = req.get_header_value("Authorization");
    std::string creds = auth.rfind("Basic ", 0) == 0 ? B64Decode(auth.substr(6)) : "";
    const size_t colon = creds.find(':');
    const bool ok = colon != std::string::npos && creds.substr(0, colon) == "bench" &&
                    CRYPTO_memcmp(Sha256(creds.substr(colon + 1)).data(), secret_hash.data(),
                                  secret_hash.size()) == 0;
    if (!ok) {
      res.status = 401;
      res.set_content(R"({"error":"invalid_client"})", "application/json");
      return;
    }
    if (req.get_param_value("grant_type") != "client_credentials") {
      res.status = 400;
      res.set_content(R"({"error":"unsupported_grant_type"})", "application/json");
      return;
    }
    unsigned char jti_raw[16];
    RAND_bytes(jti_raw, sizeof jti_raw);
    const long now = static_cast<long>(std::time(nullptr));
    char payload[512];
    std::snprintf(payload, sizeof payload,
                  R"({"aud":"%s","client_id":"bench","exp":%ld,"iat":%ld,"iss":"%s",)"
                  R"("jti":"%s","scope":"read","sub":"service-account-bench"})",
                  issuer.c_str(), now + 300, now, issuer.c_str(),
                  B64Url(jti_raw, sizeof jti_raw).c_str());
    res.set_content(R"({"access_token":")" + signer.Sign(payload) +
                        R"(","token_type":"Bearer","expires_in":300,"scope":"read"})",
                    "application/json");
  });
  if (!svr.bind_to_port("127.0.0.1", port)) {
    std::cerr << "cannot bind 127.0.0.1:" << port << "\n";
    return 1;
  }
  svr.listen_after_bind();
  return 0;
}

// The hash at its best: the working memory is one buffer, mapped once (2 MiB pages advised, as
// idm's crypto/argon2_memory does) and faulted in by an untimed first hash, so the timed loop is
// Argon2id computation and libargon2's own wipe of the memory, nothing else.
uint8_t* g_argon2_memory = nullptr;
size_t g_argon2_bytes = 0;

int KeepArgon2Memory(uint8_t** memory, size_t bytes) {
  if (g_argon2_memory == nullptr || g_argon2_bytes != bytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return ARGON2_MEMORY_ALLOCATION_ERROR;
    madvise(p, bytes, MADV_HUGEPAGE);
    g_argon2_memory = static_cast<uint8_t*>(p);
    g_argon2_bytes = bytes;
  }
  *memory = g_argon2_memory;
  return ARGON2_OK;
}

void KeepArgon2MemoryFree(uint8_t*, size_t) {}

int Argon2(int argc, char** argv) {
  const uint32_t m = static_cast<uint32_t>(std::stoul(Option(argc, argv, "--memory-kib", "19456")));
  const uint32_t t = static_cast<uint32_t>(std::stoul(Option(argc, argv, "--iterations", "2")));
  const uint32_t p = static_cast<uint32_t>(std::stoul(Option(argc, argv, "--parallelism", "1")));
  const int count = std::stoi(Option(argc, argv, "--count", "40"));
  std::string password = "bench user password 2026";
  unsigned char salt[16];
  RAND_bytes(salt, sizeof salt);
  unsigned char expected[32], tag[32];
  auto hash = [&](unsigned char* out) {
    argon2_context ctx{};
    ctx.out = out;
    ctx.outlen = 32;
    ctx.pwd = reinterpret_cast<uint8_t*>(password.data());
    ctx.pwdlen = static_cast<uint32_t>(password.size());
    ctx.salt = salt;
    ctx.saltlen = sizeof salt;
    ctx.t_cost = t;
    ctx.m_cost = m;
    ctx.lanes = ctx.threads = p;
    ctx.version = ARGON2_VERSION_13;
    ctx.flags = ARGON2_DEFAULT_FLAGS;
    ctx.allocate_cbk = KeepArgon2Memory;
    ctx.free_cbk = KeepArgon2MemoryFree;
    return argon2_ctx(&ctx, Argon2_id) == ARGON2_OK;
  };
  if (!hash(expected)) {  // untimed: maps and faults in the memory
    std::cerr << "argon2_ctx failed\n";
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    if (!hash(tag) || CRYPTO_memcmp(tag, expected, sizeof tag) != 0) return 1;
  }
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  std::printf("%.3f\n", took.count() / count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "serve") return Serve(argc, argv);
  if (mode == "argon2") return Argon2(argc, argv);
  std::cerr << "usage: idm-bench-ceiling serve|argon2 [options] (see bench/ceiling/ceiling.cc)\n";
  return 2;
}
