#include "idm/crypto/signature.h"

#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "idm/crypto/openssl_util.h"

namespace idm::crypto::internal {
namespace {

constexpr int kEs256Half = 32;  // RFC 7518 §3.4: R and S are 32 octets each

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, FreeWith<ECDSA_SIG_free>>;

// Prepares ctx to sign (sign = true) or verify with pkey under alg.
bool Init(EVP_MD_CTX* ctx, EVP_PKEY* pkey, JwsAlg alg, bool sign) {
  EVP_PKEY_CTX* pctx = nullptr;
  const char* md = alg == JwsAlg::kEdDsa ? nullptr : "SHA256";  // Ed25519 hashes internally
  int ok = sign ? EVP_DigestSignInit_ex(ctx, &pctx, md, nullptr, nullptr, pkey, nullptr)
                : EVP_DigestVerifyInit_ex(ctx, &pctx, md, nullptr, nullptr, pkey, nullptr);
  if (ok != 1) return false;
  if (alg == JwsAlg::kPs256) {
    // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash output.
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  }
  if (alg == JwsAlg::kRs256) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  return true;
}

// DER ECDSA-Sig-Value (what OpenSSL produces) to fixed-width R || S.
std::string DerToRaw(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return {};
  const BIGNUM *r = nullptr, *s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  return BnToBytes(r, kEs256Half) + BnToBytes(s, kEs256Half);
}

// R || S to DER; empty if raw is not exactly 64 bytes.
std::string RawToDer(std::string_view raw) {
  if (raw.size() != 2 * kEs256Half) return {};
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r = BytesToBn(raw.substr(0, kEs256Half)), s = BytesToBn(raw.substr(kEs256Half));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return {};
  r.release();  // now owned by sig
  s.release();
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return {};
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* p = Bytes(der);
  if (i2d_ECDSA_SIG(sig.get(), &p) != len) return {};
  return der;
}

// SHA-256, fetched from the default provider once for the process.
const EVP_MD* Sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// A context for EVP_PKEY_sign of a SHA-256 digest under alg (not EdDSA); null if OpenSSL fails.
// The padding settings mirror Init's for the DigestSign path.
EVP_PKEY_CTX* NewDigestSigner(EVP_PKEY* pkey, JwsAlg alg) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), Sha256()) != 1) {
    return nullptr;
  }
  EVP_PKEY_CTX* p = ctx.get();
  if (alg == JwsAlg::kPs256) {
    // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash output.
    if (EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(p, Sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(p, RSA_PSS_SALTLEN_DIGEST) != 1) {
      return nullptr;
    }
  } else if (alg == JwsAlg::kRs256) {
    if (EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PADDING) != 1) return nullptr;
  }
  return ctx.release();
}

// The ES256 wire form of an OpenSSL signature: DER to R || S; other algorithms as they are.
Result<std::string> ToJws(JwsAlg alg, std::string sig) {
  if (alg != JwsAlg::kEs256) return sig;
  std::string raw = DerToRaw(sig);
  if (raw.size() != 2 * kEs256Half) {
    return MakeError(ErrorCode::kInternal, "cannot convert ECDSA signature");
  }
  return raw;
}

}  // namespace

SignerPool::~SignerPool() {
  for (EVP_PKEY_CTX* ctx : idle_) EVP_PKEY_CTX_free(ctx);
}

EVP_PKEY_CTX* SignerPool::Take() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      EVP_PKEY_CTX* ctx = idle_.back();
      idle_.pop_back();
      return ctx;
    }
  }
  return NewDigestSigner(pkey_, alg_);
}

void SignerPool::Give(EVP_PKEY_CTX* ctx) {
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdle) {
      idle_.push_back(ctx);
      return;
    }
  }
  EVP_PKEY_CTX_free(ctx);
}

Result<std::string> SignerPool::Sign(std::string_view input) {
  if (alg_ == JwsAlg::kEdDsa || Sha256() == nullptr) return SignWith(pkey_, alg_, input);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &digest_len, Sha256(), nullptr) != 1) {
    return MakeError(ErrorCode::kInternal, "signing failed: " + OpensslReason());
  }
  EVP_PKEY_CTX* ctx = Take();
  if (ctx == nullptr) return MakeError(ErrorCode::kInternal, "signing failed: " + OpensslReason());
  size_t len = 0;
  std::string sig;
  bool ok = EVP_PKEY_sign(ctx, nullptr, &len, digest, digest_len) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_PKEY_sign(ctx, Bytes(sig), &len, digest, digest_len) == 1;
  }
  if (!ok) {
    EVP_PKEY_CTX_free(ctx);  // not put back: its state after a failure is not known
    return MakeError(ErrorCode::kInternal, "signing failed: " + OpensslReason());
  }
  Give(ctx);
  sig.resize(len);
  return ToJws(alg_, std::move(sig));
}

Result<std::string> SignWith(EVP_PKEY* pkey, JwsAlg alg, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || !Init(ctx.get(), pkey, alg, true) ||
      EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(input), input.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "signing failed: " + OpensslReason());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), Bytes(sig), &len, Bytes(input), input.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "signing failed: " + OpensslReason());
  }
  sig.resize(len);
  return ToJws(alg, std::move(sig));
}

bool VerifyWith(EVP_PKEY* pkey, JwsAlg alg, std::string_view input, std::string_view signature) {
  std::string der;
  if (alg == JwsAlg::kEs256) {
    der = RawToDer(signature);
    if (der.empty()) return false;
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = ctx && Init(ctx.get(), pkey, alg, false) &&
            EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(input),
                             input.size()) == 1;
  ERR_clear_error();  // a failed verification leaves reasons nobody will read
  return ok;
}

}  // namespace idm::crypto::internal
