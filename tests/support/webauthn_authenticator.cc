#include "tests/support/webauthn_authenticator.h"

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::testing {
namespace {

void Require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test authenticator: ") + what);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  Require(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) == 1,
          "RAND_bytes");
  return out;
}

cbor_item_t* Int(int64_t v) {
  return v >= 0 ? cbor_build_uint64(static_cast<uint64_t>(v))
                : cbor_build_negint64(static_cast<uint64_t>(-1 - v));
}
cbor_item_t* ByteString(std::string_view b) {
  return cbor_build_bytestring(reinterpret_cast<cbor_data>(b.data()), b.size());
}
cbor_item_t* Text(const char* s) { return cbor_build_string(s); }
void Put(cbor_item_t* map, cbor_item_t* key, cbor_item_t* value) {
  Require(cbor_map_add(map, cbor_pair{cbor_move(key), cbor_move(value)}), "cbor_map_add");
}
std::string Serialize(cbor_item_t* item) {
  unsigned char* buffer = nullptr;
  size_t size = 0;
  size_t len = cbor_serialize_alloc(item, &buffer, &size);
  std::string out(reinterpret_cast<const char*>(buffer), len);
  free(buffer);
  cbor_decref(&item);
  return out;
}

std::string BnParam(EVP_PKEY* pkey, const char* name, int width) {
  BIGNUM* bn = nullptr;
  Require(EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, name);
  int n = width > 0 ? width : BN_num_bytes(bn);
  std::string out(static_cast<size_t>(n), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), n);
  BN_free(bn);
  return out;
}

std::string BigEndian(uint32_t v, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

std::string AttStmt(const TestAuthenticator& a, const TestCeremony& c,
                    const std::string& auth_data, const std::string& client_data) {
  const std::string signed_data = auth_data + crypto::Sha256(client_data);
  cbor_item_t* stmt = cbor_new_definite_map(3);
  switch (c.attestation) {
    case TestAttestation::kNone:
    case TestAttestation::kTpm:
      break;
    case TestAttestation::kPackedSelf:
    case TestAttestation::kPackedX5c:
      Put(stmt, Text("alg"), Int(a.alg()));
      Put(stmt, Text("sig"), ByteString(a.Sign(signed_data)));
      if (c.attestation == TestAttestation::kPackedX5c) {
        cbor_item_t* chain = cbor_new_definite_array(1);
        Require(cbor_array_push(chain, cbor_move(ByteString("not-a-certificate"))), "push");
        Put(stmt, Text("x5c"), chain);
      }
      break;
    case TestAttestation::kPackedBadSig:
      Put(stmt, Text("alg"), Int(a.alg()));
      Put(stmt, Text("sig"), ByteString(a.Sign(signed_data + "x")));
      break;
    case TestAttestation::kPackedWrongAlg:
      Put(stmt, Text("alg"), Int(a.alg() == -7 ? -257 : -7));
      Put(stmt, Text("sig"), ByteString(a.Sign(signed_data)));
      break;
  }
  return Serialize(stmt);
}

}  // namespace

std::string TestClientDataJson(std::string_view type, std::string_view challenge,
                               std::string_view origin) {
  core::Json cd = {{"type", type},
                   {"challenge", crypto::Base64UrlEncode(challenge)},
                   {"origin", origin},
                   {"crossOrigin", false}};
  return cd.dump();
}

std::string TestAuthenticatorData(std::string_view rp_id, uint8_t flags, uint32_t sign_count,
                                  std::string_view credential_id, std::string_view cose_key) {
  std::string out = crypto::Sha256(rp_id);
  out.push_back(static_cast<char>(flags));
  out += BigEndian(sign_count, 4);
  if (!cose_key.empty()) {
    out += std::string(16, '\x11');  // aaguid
    out += BigEndian(static_cast<uint32_t>(credential_id.size()), 2);
    out += credential_id;
    out += cose_key;
  }
  return out;
}

TestAuthenticator::TestAuthenticator(int64_t alg) : alg_(alg), credential_id_(RandomBytes(16)) {
  if (alg == -7) {
    pkey_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (alg == -8) {
    pkey_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else if (alg == -257) {
    pkey_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  }
  Require(pkey_ != nullptr, "key generation");
}

TestAuthenticator::~TestAuthenticator() { EVP_PKEY_free(pkey_); }

std::string TestAuthenticator::CoseKey(std::optional<int64_t> alg_label) const {
  cbor_item_t* key = cbor_new_definite_map(5);
  const int64_t label = alg_label.value_or(alg_);
  if (alg_ == -7) {
    Put(key, Int(1), Int(2));  // kty EC2
    Put(key, Int(3), Int(label));
    Put(key, Int(-1), Int(1));  // crv P-256
    Put(key, Int(-2), ByteString(BnParam(pkey_, OSSL_PKEY_PARAM_EC_PUB_X, 32)));
    Put(key, Int(-3), ByteString(BnParam(pkey_, OSSL_PKEY_PARAM_EC_PUB_Y, 32)));
  } else if (alg_ == -8) {
    std::string x(32, '\0');
    size_t len = x.size();
    Require(EVP_PKEY_get_raw_public_key(pkey_, reinterpret_cast<unsigned char*>(x.data()),
                                        &len) == 1,
            "raw public key");
    Put(key, Int(1), Int(1));  // kty OKP
    Put(key, Int(3), Int(label));
    Put(key, Int(-1), Int(6));  // crv Ed25519
    Put(key, Int(-2), ByteString(x));
  } else {
    Put(key, Int(1), Int(3));  // kty RSA
    Put(key, Int(3), Int(label));
    Put(key, Int(-1), ByteString(BnParam(pkey_, OSSL_PKEY_PARAM_RSA_N, 0)));
    Put(key, Int(-2), ByteString(BnParam(pkey_, OSSL_PKEY_PARAM_RSA_E, 0)));
  }
  return Serialize(key);
}

std::string TestAuthenticator::Sign(std::string_view data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = alg_ == -8 ? nullptr : EVP_sha256();
  Require(EVP_DigestSignInit(ctx, nullptr, md, nullptr, pkey_) == 1, "DigestSignInit");
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  Require(EVP_DigestSign(ctx, nullptr, &len, in, data.size()) == 1, "DigestSign size");
  std::string sig(len, '\0');
  Require(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                         data.size()) == 1,
          "DigestSign");
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  return sig;
}

TestCreated TestAuthenticator::Create(const TestCeremony& c) const {
  TestCreated out;
  out.credential_id = credential_id_;
  out.client_data_json =
      TestClientDataJson(c.type.empty() ? "webauthn.create" : c.type, c.challenge, c.origin);
  const std::string auth_data = TestAuthenticatorData(
      c.rp_id, static_cast<uint8_t>(c.flags | 0x40), c.sign_count, credential_id_,
      CoseKey(c.cose_alg));
  cbor_item_t* att = cbor_new_definite_map(3);
  Put(att, Text("fmt"),
      Text(c.attestation == TestAttestation::kNone  ? "none"
           : c.attestation == TestAttestation::kTpm ? "tpm"
                                                    : "packed"));
  const std::string stmt = AttStmt(*this, c, auth_data, out.client_data_json);
  cbor_load_result r{};
  cbor_item_t* stmt_item = cbor_load(reinterpret_cast<cbor_data>(stmt.data()), stmt.size(), &r);
  Put(att, Text("attStmt"), stmt_item);
  Put(att, Text("authData"), ByteString(auth_data));
  out.attestation_object = Serialize(att);
  return out;
}

TestAsserted TestAuthenticator::Get(const TestCeremony& c) const {
  TestAsserted out;
  out.credential_id = credential_id_;
  out.client_data_json =
      TestClientDataJson(c.type.empty() ? "webauthn.get" : c.type, c.challenge, c.origin);
  out.authenticator_data = TestAuthenticatorData(c.rp_id, c.flags, c.sign_count);
  out.signature = Sign(out.authenticator_data + crypto::Sha256(out.client_data_json));
  out.user_handle = c.user_handle;
  return out;
}

std::string TestCreated::ToJson() const {
  const std::string id = crypto::Base64UrlEncode(credential_id);
  core::Json j = {{"id", id},
                  {"rawId", id},
                  {"type", "public-key"},
                  {"response",
                   {{"clientDataJSON", crypto::Base64UrlEncode(client_data_json)},
                    {"attestationObject", crypto::Base64UrlEncode(attestation_object)},
                    {"transports", core::Json::array({"internal"})}}}};
  return j.dump();
}

std::string TestAsserted::ToJson() const {
  const std::string id = crypto::Base64UrlEncode(credential_id);
  core::Json response = {{"clientDataJSON", crypto::Base64UrlEncode(client_data_json)},
                         {"authenticatorData", crypto::Base64UrlEncode(authenticator_data)},
                         {"signature", crypto::Base64UrlEncode(signature)}};
  if (!user_handle.empty()) response["userHandle"] = crypto::Base64UrlEncode(user_handle);
  core::Json j = {{"id", id}, {"rawId", id}, {"type", "public-key"}, {"response", response}};
  return j.dump();
}

}  // namespace idm::testing
