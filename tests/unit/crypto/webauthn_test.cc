// W3C WebAuthn Level 2 §7.1 / §7.2 verification (idm/crypto/webauthn.h) against responses built by
// the software authenticator in tests/support, for ES256, EdDSA and RS256 and every refused case.
#include "idm/crypto/webauthn.h"

#include <gtest/gtest.h>

#include "tests/support/webauthn_authenticator.h"

namespace idm::crypto::webauthn {
namespace {

using idm::testing::TestAttestation;
using idm::testing::TestAuthenticator;
using idm::testing::TestCeremony;

constexpr char kOrigin[] = "https://id.example.com";
constexpr char kRpId[] = "id.example.com";
constexpr char kChallenge[] = "0123456789abcdef0123456789abcdef";

Expected Expect(bool require_uv = false) {
  return Expected{kChallenge, kOrigin, kRpId, require_uv};
}

TestCeremony Ceremony() {
  TestCeremony c;
  c.challenge = kChallenge;
  c.origin = kOrigin;
  c.rp_id = kRpId;
  return c;
}

Result<Registration> Register(const TestAuthenticator& a, const TestCeremony& c,
                              bool require_uv = false) {
  auto created = a.Create(c);
  return VerifyRegistration(Expect(require_uv), created.client_data_json,
                            created.attestation_object);
}

Result<Assertion> Authenticate(const TestAuthenticator& a, const TestCeremony& c,
                               uint32_t stored_count, bool require_uv = false) {
  auto got = a.Get(c);
  return VerifyAssertion(Expect(require_uv), a.CoseKey(), stored_count, got.client_data_json,
                         got.authenticator_data, got.signature);
}

class WebAuthnAlgorithms : public ::testing::TestWithParam<int64_t> {};

TEST_P(WebAuthnAlgorithms, RegistrationWithNoneAttestationYieldsTheCredentialKey) {
  TestAuthenticator a(GetParam());
  auto reg = Register(a, Ceremony());
  ASSERT_TRUE(reg.ok()) << reg.error().message;
  EXPECT_EQ(reg->alg, GetParam());
  EXPECT_EQ(reg->credential_id, a.credential_id());
  EXPECT_EQ(reg->public_key, a.CoseKey());
  EXPECT_EQ(reg->fmt, "none");
  EXPECT_EQ(reg->aaguid.size(), 16u);
  EXPECT_TRUE(reg->user_verified);
}

TEST_P(WebAuthnAlgorithms, RegistrationWithPackedSelfAttestationVerifiesItsSignature) {
  TestAuthenticator a(GetParam());
  TestCeremony c = Ceremony();
  c.attestation = TestAttestation::kPackedSelf;
  auto reg = Register(a, c);
  ASSERT_TRUE(reg.ok()) << reg.error().message;
  EXPECT_EQ(reg->fmt, "packed");
}

TEST_P(WebAuthnAlgorithms, AssertionSignedWithTheRegisteredKeyVerifies) {
  TestAuthenticator a(GetParam());
  TestCeremony c = Ceremony();
  c.sign_count = 8;
  auto assertion = Authenticate(a, c, 7);
  ASSERT_TRUE(assertion.ok()) << assertion.error().message;
  EXPECT_EQ(assertion->sign_count, 8u);
  EXPECT_TRUE(assertion->user_verified);
}

TEST_P(WebAuthnAlgorithms, AssertionWithAnAlteredSignatureIsRefused) {
  TestAuthenticator a(GetParam());
  auto got = a.Get(Ceremony());
  got.signature[got.signature.size() / 2] ^= 0x01;
  auto r = VerifyAssertion(Expect(), a.CoseKey(), 0, got.client_data_json,
                           got.authenticator_data, got.signature);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, Check::kBadSignature);
}

INSTANTIATE_TEST_SUITE_P(Es256EdDsaRs256, WebAuthnAlgorithms,
                         ::testing::Values(kCoseEs256, kCoseEdDsa, kCoseRs256));

struct RegistrationCase {
  const char* name;
  void (*mutate)(TestCeremony&);
  bool require_uv;
  Check want;
};

TEST(WebAuthnRegistration, RefusesEachFailedCheckOfSection7_1) {
  const RegistrationCase cases[] = {
      {"wrong type", [](TestCeremony& c) { c.type = "webauthn.get"; }, false, Check::kWrongType},
      {"wrong challenge", [](TestCeremony& c) { c.challenge = "another challenge"; }, false,
       Check::kWrongChallenge},
      {"wrong origin", [](TestCeremony& c) { c.origin = "https://evil.example"; }, false,
       Check::kWrongOrigin},
      {"origin with other port", [](TestCeremony& c) { c.origin += ":8443"; }, false,
       Check::kWrongOrigin},
      {"wrong rp id", [](TestCeremony& c) { c.rp_id = "example.com"; }, false,
       Check::kWrongRpId},
      {"UP missing", [](TestCeremony& c) { c.flags = 0x04; }, false, Check::kUserNotPresent},
      {"UV missing when required", [](TestCeremony& c) { c.flags = 0x01; }, true,
       Check::kUserNotVerified},
      {"unknown alg (ES384 label)", [](TestCeremony& c) { c.cose_alg = -35; }, false,
       Check::kUnsupportedAlgorithm},
      {"unsupported fmt tpm", [](TestCeremony& c) { c.attestation = TestAttestation::kTpm; },
       false, Check::kUnsupportedAttestation},
      {"packed with x5c",
       [](TestCeremony& c) { c.attestation = TestAttestation::kPackedX5c; }, false,
       Check::kUnsupportedAttestation},
      {"packed self with bad signature",
       [](TestCeremony& c) { c.attestation = TestAttestation::kPackedBadSig; }, false,
       Check::kBadAttestation},
      {"packed self alg differs from key",
       [](TestCeremony& c) { c.attestation = TestAttestation::kPackedWrongAlg; }, false,
       Check::kBadAttestation},
  };
  TestAuthenticator a(kCoseEs256);
  for (const RegistrationCase& rc : cases) {
    TestCeremony c = Ceremony();
    rc.mutate(c);
    auto r = Register(a, c, rc.require_uv);
    ASSERT_FALSE(r.ok()) << rc.name;
    EXPECT_EQ(r.error().check, rc.want) << rc.name << ": " << r.error().message;
  }
}

TEST(WebAuthnRegistration, AcceptsMissingUvWhenPolicyOnlyPrefersIt) {
  TestAuthenticator a(kCoseEs256);
  TestCeremony c = Ceremony();
  c.flags = 0x01;
  auto r = Register(a, c, /*require_uv=*/false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->user_verified);
}

TEST(WebAuthnRegistration, RefusesGarbageAttestationObjectAsMalformed) {
  auto r = VerifyRegistration(Expect(), idm::testing::TestClientDataJson("webauthn.create", kChallenge,
                                                                    kOrigin),
                              "\xa1\x63" "fmt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, Check::kMalformed);
}

struct AssertionCase {
  const char* name;
  void (*mutate)(TestCeremony&);
  uint32_t stored_count;
  bool require_uv;
  Check want;
};

TEST(WebAuthnAuthentication, RefusesEachFailedCheckOfSection7_2) {
  const AssertionCase cases[] = {
      {"wrong type", [](TestCeremony& c) { c.type = "webauthn.create"; }, 0, false,
       Check::kWrongType},
      {"wrong challenge", [](TestCeremony& c) { c.challenge = "replayed challenge"; }, 0, false,
       Check::kWrongChallenge},
      {"wrong origin", [](TestCeremony& c) { c.origin = "http://id.example.com"; }, 0, false,
       Check::kWrongOrigin},
      {"wrong rp id", [](TestCeremony& c) { c.rp_id = "evil.example"; }, 0, false,
       Check::kWrongRpId},
      {"UP missing", [](TestCeremony& c) { c.flags = 0x00; }, 0, false, Check::kUserNotPresent},
      {"UV missing when required", [](TestCeremony& c) { c.flags = 0x01; }, 0, true,
       Check::kUserNotVerified},
      {"counter equal to stored", [](TestCeremony& c) { c.sign_count = 5; }, 5, false,
       Check::kSignCountRegression},
      {"counter below stored", [](TestCeremony& c) { c.sign_count = 3; }, 5, false,
       Check::kSignCountRegression},
      {"counter zero after non-zero", [](TestCeremony& c) { c.sign_count = 0; }, 5, false,
       Check::kSignCountRegression},
  };
  TestAuthenticator a(kCoseEs256);
  for (const AssertionCase& ac : cases) {
    TestCeremony c = Ceremony();
    ac.mutate(c);
    auto r = Authenticate(a, c, ac.stored_count, ac.require_uv);
    ASSERT_FALSE(r.ok()) << ac.name;
    EXPECT_EQ(r.error().check, ac.want) << ac.name << ": " << r.error().message;
  }
}

TEST(WebAuthnAuthentication, AuthenticatorsWithoutCounterKeepZeroAndAreAccepted) {
  TestAuthenticator a(kCoseEdDsa);
  auto r = Authenticate(a, Ceremony(), 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sign_count, 0u);
}

TEST(WebAuthnAuthentication, SignatureOfAnotherKeyIsRefused) {
  TestAuthenticator a(kCoseEs256);
  TestAuthenticator other(kCoseEs256);
  auto got = other.Get(Ceremony());
  auto r = VerifyAssertion(Expect(), a.CoseKey(), 0, got.client_data_json,
                           got.authenticator_data, got.signature);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().check, Check::kBadSignature);
}

TEST(WebAuthnAuthenticatorData, ParsesFlagsCounterAndAttestedCredential) {
  TestAuthenticator a(kCoseEs256);
  std::string data = idm::testing::TestAuthenticatorData(kRpId, 0x45, 0x01020304, "cred-id",
                                                    a.CoseKey());
  auto ad = ParseAuthenticatorData(data);
  ASSERT_TRUE(ad.ok()) << ad.error().message;
  EXPECT_EQ(ad->flags, 0x45);
  EXPECT_EQ(ad->sign_count, 0x01020304u);
  ASSERT_TRUE(ad->attested.has_value());
  EXPECT_EQ(ad->attested->credential_id, "cred-id");
  EXPECT_EQ(ad->attested->public_key, a.CoseKey());
}

TEST(WebAuthnAuthenticatorData, RefusesTruncatedAndTrailingBytes) {
  std::string data = idm::testing::TestAuthenticatorData(kRpId, 0x05, 1);
  EXPECT_FALSE(ParseAuthenticatorData(data.substr(0, 36)).ok());
  EXPECT_FALSE(ParseAuthenticatorData(data + "x").ok());
  EXPECT_TRUE(ParseAuthenticatorData(data).ok());
}

}  // namespace
}  // namespace idm::crypto::webauthn
