// A software WebAuthn authenticator for tests: builds what a browser hands back from
// navigator.credentials.create() / .get() (clientDataJSON, attestation objects in CBOR through
// libcbor, authenticator data, signatures through OpenSSL 3) for ES256, EdDSA and RS256 keys it
// generates, with switches to produce each malformed or hostile variant the verifier must refuse.
// Shared by the unit tests (idm/crypto/webauthn.h) and the integration tests (HTTP error paths).
//
// Thread-safety: an instance belongs to one test.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace idm::testing {

// How the attestation statement is made.
enum class TestAttestation {
  kNone,            // fmt "none", empty attStmt
  kPackedSelf,      // fmt "packed", self attestation (§8.2), valid
  kPackedBadSig,    // packed self with a signature over other data
  kPackedWrongAlg,  // packed self whose alg differs from the credential key's
  kPackedX5c,       // packed with an x5c member (a certificate chain idm does not accept)
  kTpm,             // fmt "tpm" (not accepted)
};

// One ceremony's inputs as a browser and authenticator would see them.
struct TestCeremony {
  std::string challenge;  // raw bytes issued by the relying party
  std::string origin;     // what the browser writes into clientData.origin
  std::string rp_id;      // what the authenticator hashes into rpIdHash
  std::string type;       // "" = the ceremony's own ("webauthn.create" / "webauthn.get")
  uint8_t flags = 0x05;   // UP | UV (AT is added by Create)
  uint32_t sign_count = 0;
  std::string user_handle;                 // Get: returned as userHandle ("" = none)
  std::optional<int64_t> cose_alg;         // Create: label 3 of the COSE key (default: the real one)
  TestAttestation attestation = TestAttestation::kNone;
};

struct TestCreated {
  std::string credential_id;  // raw
  std::string client_data_json;
  std::string attestation_object;
  // The JSON the login page posts (PublicKeyCredential, binary members base64url).
  std::string ToJson() const;
};

struct TestAsserted {
  std::string credential_id;  // raw
  std::string client_data_json;
  std::string authenticator_data;
  std::string signature;
  std::string user_handle;  // raw, "" = absent
  std::string ToJson() const;
};

class TestAuthenticator {
 public:
  // alg: -7 (ES256, P-256), -8 (EdDSA, Ed25519) or -257 (RS256, 2048 bits).
  explicit TestAuthenticator(int64_t alg);
  ~TestAuthenticator();
  TestAuthenticator(const TestAuthenticator&) = delete;
  TestAuthenticator& operator=(const TestAuthenticator&) = delete;

  int64_t alg() const { return alg_; }
  const std::string& credential_id() const { return credential_id_; }
  // The COSE_Key of the public key, with `alg_label` as its alg (label 3).
  std::string CoseKey(std::optional<int64_t> alg_label = std::nullopt) const;
  // The signature an authenticator makes: ES256 DER, RS256 PKCS#1 v1.5, Ed25519 raw.
  std::string Sign(std::string_view data) const;

  TestCreated Create(const TestCeremony& c) const;
  TestAsserted Get(const TestCeremony& c) const;

 private:
  int64_t alg_;
  EVP_PKEY* pkey_ = nullptr;
  std::string credential_id_;
};

std::string TestClientDataJson(std::string_view type, std::string_view challenge,
                               std::string_view origin);
// rpIdHash || flags || signCount (+ attested credential data when `cose_key` is not empty).
std::string TestAuthenticatorData(std::string_view rp_id, uint8_t flags, uint32_t sign_count,
                                  std::string_view credential_id = {},
                                  std::string_view cose_key = {});

}  // namespace idm::testing
