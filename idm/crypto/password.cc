// Argon2id password hashing (RFC 9106) in PHC string format through libargon2.
#include "idm/crypto/password.h"

#include <argon2.h>
#include <openssl/crypto.h>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include "idm/crypto/argon2_memory.h"
#include "idm/crypto/encoding.h"

namespace idm::crypto {
namespace {

// Verification limits: a stored hash may come from an import, so its parameters are not trusted
// to be sane. 1 GiB and 64 passes/lanes are far above any recommended setting.
constexpr uint32_t kMaxMemoryKib = 1u << 20;
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 64;
constexpr uint32_t kMaxHashBytes = 1024;

struct Phc {
  uint32_t memory_kib = 0, iterations = 0, parallelism = 0;
  std::string salt, hash;
};

std::optional<uint32_t> ParseUint(std::string_view s) {
  uint32_t v = 0;
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// PHC strings carry salt and hash as standard base64 without padding.
std::optional<std::string> DecodePhcBase64(std::string_view s) {
  if (s.find('=') != std::string_view::npos) return std::nullopt;
  std::string padded(s);
  padded.append((4 - padded.size() % 4) % 4, '=');
  return Base64Decode(padded);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// "$argon2id$v=19$m=M,t=T,p=P$salt$hash" with m, t, p in that order (the PHC form libargon2
// writes). Anything else, including other Argon2 variants and versions, is nullopt.
std::optional<Phc> ParsePhc(std::string_view phc) {
  auto parts = Split(phc, '$');
  if (parts.size() != 6 || !parts[0].empty() || parts[1] != "argon2id" || parts[2] != "v=19") {
    return std::nullopt;
  }
  auto params = Split(parts[3], ',');
  if (params.size() != 3 || params[0].substr(0, 2) != "m=" || params[1].substr(0, 2) != "t=" ||
      params[2].substr(0, 2) != "p=") {
    return std::nullopt;
  }
  auto m = ParseUint(params[0].substr(2)), t = ParseUint(params[1].substr(2)),
       p = ParseUint(params[2].substr(2));
  auto salt = DecodePhcBase64(parts[4]), hash = DecodePhcBase64(parts[5]);
  if (!m || !t || !p || !salt || !hash) return std::nullopt;
  return Phc{*m, *t, *p, *std::move(salt), *std::move(hash)};
}

std::string PhcBase64(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

// The PHC string libargon2 itself writes (argon2_encode_string).
std::string EncodePhc(const Argon2Params& p, std::string_view salt, std::string_view tag) {
  return "$argon2id$v=19$m=" + std::to_string(p.memory_kib) + ",t=" + std::to_string(p.iterations) +
         ",p=" + std::to_string(p.parallelism) + "$" + PhcBase64(salt) + "$" + PhcBase64(tag);
}

}  // namespace

Status ValidateArgon2Params(const Argon2Params& p) {
  auto bad = [](const char* what) { return MakeError(ErrorCode::kMalformed, what); };
  if (p.parallelism < 1 || p.parallelism > kMaxParallelism)
    return bad("argon2 parallelism must be 1..64");
  if (p.iterations < 1 || p.iterations > kMaxIterations)
    return bad("argon2 iterations must be 1..64");
  if (p.memory_kib < 8 * p.parallelism || p.memory_kib > kMaxMemoryKib) {
    return bad("argon2 memory must be at least 8 KiB per lane and at most 1 GiB");
  }
  if (p.salt_bytes < ARGON2_MIN_SALT_LENGTH || p.salt_bytes > 64)
    return bad("argon2 salt must be 8..64 bytes");
  if (p.hash_bytes < ARGON2_MIN_OUTLEN || p.hash_bytes > kMaxHashBytes) {
    return bad("argon2 hash length must be 4..1024 bytes");
  }
  return {};
}

Result<std::string> Argon2idRaw(const Argon2Params& params, std::string_view password,
                                std::string_view salt, std::string_view secret,
                                std::string_view associated_data) {
  auto u8 = [](std::string_view s) {
    return reinterpret_cast<uint8_t*>(const_cast<char*>(s.data()));
  };
  auto len = [](std::string_view s) { return static_cast<uint32_t>(s.size()); };
  std::string out(params.hash_bytes, '\0');
  // libargon2 takes non-const pointers but with ARGON2_DEFAULT_FLAGS only reads the inputs.
  argon2_context ctx{};
  ctx.out = reinterpret_cast<uint8_t*>(out.data());
  ctx.outlen = len(out);
  ctx.pwd = u8(password);
  ctx.pwdlen = len(password);
  ctx.salt = u8(salt);
  ctx.saltlen = len(salt);
  ctx.secret = secret.empty() ? nullptr : u8(secret);
  ctx.secretlen = len(secret);
  ctx.ad = associated_data.empty() ? nullptr : u8(associated_data);
  ctx.adlen = len(associated_data);
  ctx.t_cost = params.iterations;
  ctx.m_cost = params.memory_kib;
  ctx.lanes = ctx.threads = params.parallelism;
  ctx.version = ARGON2_VERSION_13;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  // Retained working memory: no page faults per hash (argon2_memory.h).
  ctx.allocate_cbk = argon2_memory::Allocate;
  ctx.free_cbk = argon2_memory::Release;
  int rc = argon2_ctx(&ctx, Argon2_id);
  if (rc != ARGON2_OK) return MakeError(ErrorCode::kMalformed, argon2_error_message(rc));
  return out;
}

std::string PasswordHasher::Hash(std::string_view password) const {
  if (auto ok = ValidateArgon2Params(params_); !ok) throw std::invalid_argument(ok.error().message);
  std::string salt = random_.Bytes(params_.salt_bytes);
  auto tag = Argon2idRaw(params_, password, salt);
  // With validated parameters only allocation failure remains: out of memory is not recoverable.
  if (!tag) throw std::runtime_error(tag.error().message);
  return EncodePhc(params_, salt, *tag);
}

std::string PasswordHasher::DecoyHash() const {
  return EncodePhc(params_, random_.Bytes(params_.salt_bytes), random_.Bytes(params_.hash_bytes));
}

bool PasswordHasher::Verify(std::string_view password, std::string_view phc) const {
  auto parsed = ParsePhc(phc);
  if (!parsed) return false;
  Argon2Params stored{parsed->memory_kib, parsed->iterations, parsed->parallelism,
                      static_cast<uint32_t>(parsed->salt.size()),
                      static_cast<uint32_t>(parsed->hash.size())};
  if (!ValidateArgon2Params(stored)) return false;
  auto tag = Argon2idRaw(stored, password, parsed->salt);
  // The tags have the same length (hash_bytes is the stored one); compared in constant time.
  return tag && tag->size() == parsed->hash.size() &&
         CRYPTO_memcmp(tag->data(), parsed->hash.data(), tag->size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view phc) const {
  auto parsed = ParsePhc(phc);
  if (!parsed) return true;
  return parsed->memory_kib != params_.memory_kib || parsed->iterations != params_.iterations ||
         parsed->parallelism != params_.parallelism || parsed->salt.size() != params_.salt_bytes ||
         parsed->hash.size() != params_.hash_bytes;
}

}  // namespace idm::crypto
