// The WebAuthn factor; see webauthn.h and docs/design/018-webauthn.md.
#include "idm/authn/factors/webauthn.h"

#include <utility>

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/crypto/webauthn.h"
#include "idm/realm/service_support.h"

namespace idm::authn::factors {
namespace {

using realm::FromStoreError;
using realm::WriteAuditEvent;
namespace wa = crypto::webauthn;

constexpr size_t kChallengeBytes = 32;    // §13.4.3: at least 16 random bytes
constexpr size_t kUserHandleBytes = 32;   // §5.4.3: at most 64 bytes, no personal data
constexpr int64_t kCeremonyTimeoutMs = 300'000;  // §5.4 timeout hint and the challenge's life

// The handle of a user's first passkey: 32 bytes derived from the registration's random
// challenge, so BeginRegistration (which hands it to the authenticator) and FinishRegistration
// (which stores it) agree without storing it twice. Later passkeys reuse the stored handle.
std::string FirstUserHandle(const std::string& challenge) {
  static_assert(kUserHandleBytes == 32, "a SHA-256 digest");
  return crypto::Base64UrlEncode(crypto::Sha256("idm-webauthn-user-handle-v1:" + challenge));
}

// The first `max` code points of UTF-8 `text` (a cut never splits a multi-byte sequence, so a
// long Korean name stays valid UTF-8).
std::string FirstCodePoints(const std::string& text, size_t max) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (count++ == max) return text.substr(0, i);
  }
  return text;
}

PasskeyOutcome Refused(std::string failure, std::string user_id = "") {
  PasskeyOutcome out;
  out.failure = std::move(failure);
  out.user_id = std::move(user_id);
  return out;
}

// A base64url member of obj decoded, or nullopt.
std::optional<std::string> B64Member(const core::Json& obj, const char* name) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return crypto::Base64UrlDecode(it->get_ref<const std::string&>());
}

// The (still encoded) challenge inside clientDataJSON: the key to find the challenge issued.
std::optional<std::string> ChallengeOf(const std::string& client_data_json) {
  core::Json cd = core::Json::parse(client_data_json, nullptr, /*allow_exceptions=*/false);
  if (!cd.is_object() || !cd.contains("challenge") || !cd["challenge"].is_string()) {
    return std::nullopt;
  }
  return cd["challenge"].get<std::string>();
}

bool RequireUv(const core::Realm& realm) {
  return realm.settings.webauthn_user_verification == "required";
}

core::Json CredentialDescriptors(const std::vector<core::WebAuthnCredential>& creds) {
  core::Json out = core::Json::array();
  for (const core::WebAuthnCredential& c : creds) {
    core::Json d = {{"type", "public-key"}, {"id", c.credential_id}};
    core::Json transports = core::Json::array();
    std::string t;
    for (char ch : c.transports + " ") {
      if (ch != ' ') {
        t.push_back(ch);
      } else if (!t.empty()) {
        transports.push_back(t);
        t.clear();
      }
    }
    if (!transports.empty()) d["transports"] = transports;
    out.push_back(std::move(d));
  }
  return out;
}

std::string Transports(const core::Json& response) {
  std::string out;
  auto it = response.find("transports");
  if (it == response.end() || !it->is_array()) return out;
  for (const core::Json& t : *it) {
    if (!t.is_string()) continue;
    const std::string& s = t.get_ref<const std::string&>();
    // AuthenticatorTransport tokens (§5.8.4) are short lower-case words; anything else is dropped.
    if (s.empty() || s.size() > 16 || s.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") !=
                                          std::string::npos) {
      continue;
    }
    if (!out.empty()) out += " ";
    out += s;
  }
  return out;
}

// §10.4 credProps: whether the browser reports the credential as discoverable.
std::optional<bool> CredPropsRk(const core::Json& credential) {
  auto ext = credential.find("clientExtensionResults");
  if (ext == credential.end() || !ext->is_object()) return std::nullopt;
  auto props = ext->find("credProps");
  if (props == ext->end() || !props->is_object()) return std::nullopt;
  auto rk = props->find("rk");
  if (rk == props->end() || !rk->is_boolean()) return std::nullopt;
  return rk->get<bool>();
}

}  // namespace

WebAuthnRelyingParty RelyingPartyFromUrl(const std::string& public_url) {
  WebAuthnRelyingParty rp;
  const size_t scheme_end = public_url.find("://");
  if (scheme_end == std::string::npos) return rp;
  const size_t host_start = scheme_end + 3;
  const size_t host_end = public_url.find_first_of("/?#", host_start);
  const std::string authority = public_url.substr(
      host_start, host_end == std::string::npos ? std::string::npos : host_end - host_start);
  if (authority.empty()) return rp;
  rp.origin = public_url.substr(0, host_start) + authority;
  // An RP ID is a host name: the authority without the port (IPv6 literals are not valid RP IDs).
  rp.id = authority.substr(0, authority.rfind(':') == std::string::npos ||
                                      authority.front() == '['
                                  ? std::string::npos
                                  : authority.rfind(':'));
  return rp;
}

core::ServiceResult<bool> WebAuthnFactor::Has(store::Transaction& tx, const std::string& realm_id,
                                              const std::string& user_id) const {
  auto creds = tx.webauthn().ListByUser(realm_id, user_id);
  if (!creds) return FromStoreError(creds.error(), "passkeys");
  return !creds->empty();
}

core::ServiceResult<bool> WebAuthnFactor::Verify(store::Transaction& tx,
                                                 const core::OpContext& ctx,
                                                 const core::Realm& realm, const core::User& user,
                                                 const std::string& input) const {
  IDM_ASSIGN_OR_RETURN(PasskeyOutcome outcome,
                       FinishAuthentication(tx, ctx, realm, user, /*flow_id=*/"", input));
  return outcome.ok;
}

core::ServiceResult<int64_t> WebAuthnFactor::Remove(store::Transaction& tx,
                                                    const std::string& realm_id,
                                                    const std::string& user_id) const {
  auto creds = tx.webauthn().ListByUser(realm_id, user_id);
  if (!creds) return FromStoreError(creds.error(), "passkeys");
  for (const core::WebAuthnCredential& c : *creds) {
    // The webauthn_credentials row goes with its credentials row (ON DELETE CASCADE).
    auto d = tx.credentials().Delete(realm_id, user_id, c.id);
    if (!d) return FromStoreError(d.error(), "credential");
  }
  return static_cast<int64_t>(creds->size());
}

core::ServiceResult<std::string> WebAuthnFactor::NewChallenge(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const std::string& user_id, const std::string& flow_id, const char* purpose) const {
  core::WebAuthnChallenge ch;
  ch.realm_id = realm.id;
  ch.flow_id = flow_id;
  ch.purpose = purpose;
  ch.challenge = crypto::Base64UrlEncode(random_.Bytes(kChallengeBytes));
  ch.user_id = user_id;
  ch.created_at = ctx.now;
  ch.expires_at = ctx.now + kCeremonyTimeoutMs;
  if (auto put = tx.webauthn().PutChallenge(ch); !put) {
    return FromStoreError(put.error(), "webauthn challenge");
  }
  return ch.challenge;
}

// The user's handle (§5.4.3: "a user handle is an opaque byte sequence", never the username or
// e-mail): the one of their existing passkeys, "" before the first (see FirstUserHandle).
core::ServiceResult<std::string> WebAuthnFactor::UserHandle(store::Transaction& tx,
                                                            const core::Realm& realm,
                                                            const core::User& user) const {
  auto creds = tx.webauthn().ListByUser(realm.id, user.id);
  if (!creds) return FromStoreError(creds.error(), "passkeys");
  if (!creds->empty()) return creds->front().user_handle;
  return std::string();
}

core::ServiceResult<std::string> WebAuthnFactor::BeginRegistration(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user, const std::string& flow_id) const {
  IDM_ASSIGN_OR_RETURN(std::string challenge,
                       NewChallenge(tx, ctx, realm, user.id, flow_id, core::kWebAuthnRegister));
  IDM_ASSIGN_OR_RETURN(std::string handle, UserHandle(tx, realm, user));
  if (handle.empty()) handle = FirstUserHandle(challenge);
  auto creds = tx.webauthn().ListByUser(realm.id, user.id);
  if (!creds) return FromStoreError(creds.error(), "passkeys");
  const bool passwordless = realm.settings.passwordless_webauthn;
  core::Json options = {
      {"rp", {{"id", rp_.id}, {"name", realm.display_name.empty() ? realm.name
                                                                   : realm.display_name}}},
      {"user", {{"id", handle}, {"name", user.username}, {"displayName", user.username}}},
      {"challenge", challenge},
      {"pubKeyCredParams", core::Json::array({{{"type", "public-key"}, {"alg", wa::kCoseEs256}},
                                              {{"type", "public-key"}, {"alg", wa::kCoseEdDsa}},
                                              {{"type", "public-key"}, {"alg", wa::kCoseRs256}}})},
      {"timeout", kCeremonyTimeoutMs},
      // §5.4 excludeCredentials: the authenticator refuses to make a second passkey for the user.
      {"excludeCredentials", CredentialDescriptors(*creds)},
      // §5.4.4: a discoverable credential is needed for username-less sign-in.
      {"authenticatorSelection",
       {{"residentKey", passwordless ? "required" : "preferred"},
        {"requireResidentKey", passwordless},
        {"userVerification", passwordless ? "required" : realm.settings.webauthn_user_verification}}},
      {"attestation", "none"},
      {"extensions", {{"credProps", true}}}};
  return options.dump();
}

core::ServiceResult<PasskeyOutcome> WebAuthnFactor::FinishRegistration(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user, const std::string& flow_id, const std::string& name,
    const std::string& credential_json) const {
  core::Json cred = core::Json::parse(credential_json, nullptr, /*allow_exceptions=*/false);
  const core::Json response = cred.is_object() ? cred.value("response", core::Json()) : core::Json();
  std::optional<std::string> client_data = B64Member(response, "clientDataJSON");
  std::optional<std::string> att = B64Member(response, "attestationObject");
  std::optional<std::string> challenge = client_data ? ChallengeOf(*client_data) : std::nullopt;
  if (!client_data || !att || !challenge) return Refused("malformed");
  auto taken = tx.webauthn().TakeChallenge(realm.id, *challenge, core::kWebAuthnRegister);
  if (!taken) return FromStoreError(taken.error(), "webauthn challenge");
  const std::optional<core::WebAuthnChallenge>& issued = *taken;
  if (!issued || issued->flow_id != flow_id || issued->user_id != user.id ||
      issued->expires_at < ctx.now) {
    return Refused("unknown_challenge");
  }
  const bool passwordless = realm.settings.passwordless_webauthn;
  wa::Expected expected{*crypto::Base64UrlDecode(issued->challenge), rp_.origin, rp_.id,
                        passwordless || RequireUv(realm)};
  wa::Result<wa::Registration> reg = wa::VerifyRegistration(expected, *client_data, *att);
  if (!reg) return Refused(wa::CheckName(reg.error().check));
  core::WebAuthnCredential w;
  w.id = core::NewUuid(random_);
  w.realm_id = realm.id;
  w.user_id = user.id;
  w.name = name.empty() ? "passkey" : FirstCodePoints(name, 64);
  w.credential_id = crypto::Base64UrlEncode(reg->credential_id);
  // §7.1 step 22: a credential ID registered already (to anyone) is refused.
  auto existing = tx.webauthn().GetByCredentialId(realm.id, w.credential_id);
  if (existing) return Refused("already_registered", existing->user_id);
  if (existing.error().code != store::ErrorCode::kNotFound) {
    return FromStoreError(existing.error(), "passkey");
  }
  IDM_ASSIGN_OR_RETURN(w.user_handle, UserHandle(tx, realm, user));
  if (w.user_handle.empty()) w.user_handle = FirstUserHandle(issued->challenge);
  w.public_key = crypto::Base64UrlEncode(reg->public_key);
  w.alg = reg->alg;
  w.sign_count = reg->sign_count;
  w.aaguid = crypto::Base64UrlEncode(reg->aaguid);
  w.transports = Transports(response);
  w.discoverable = CredPropsRk(cred).value_or(passwordless);
  w.user_verified = reg->user_verified;
  w.attestation_fmt = reg->fmt;
  w.created_at = ctx.now;
  if (auto created = tx.webauthn().Create(w); !created) {
    return FromStoreError(created.error(), "passkey");
  }
  IDM_TRY(WriteAuditEvent(tx, ctx, random_, realm.id, "MfaEnrolled", "user", user.id,
                          {{"method", kWebAuthnMethod}, {"credential_id", w.id}, {"name", w.name},
                           {"alg", w.alg}, {"attestation", w.attestation_fmt}}));
  PasskeyOutcome out;
  out.ok = true;
  out.user_id = user.id;
  out.credential_id = w.id;
  out.user_verified = reg->user_verified;
  out.amr = Amr();
  return out;
}

core::ServiceResult<std::string> WebAuthnFactor::BeginAuthentication(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const std::optional<core::User>& user, const std::string& flow_id) const {
  IDM_ASSIGN_OR_RETURN(std::string challenge,
                       NewChallenge(tx, ctx, realm, user ? user->id : "", flow_id,
                                    core::kWebAuthnAuthenticate));
  core::Json allow = core::Json::array();
  if (user) {
    auto creds = tx.webauthn().ListByUser(realm.id, user->id);
    if (!creds) return FromStoreError(creds.error(), "passkeys");
    allow = CredentialDescriptors(*creds);
  }
  // A username-less sign-in replaces password and second factor: user verification is required.
  const std::string uv =
      user ? realm.settings.webauthn_user_verification : std::string("required");
  core::Json options = {{"challenge", challenge},
                        {"timeout", kCeremonyTimeoutMs},
                        {"rpId", rp_.id},
                        {"allowCredentials", allow},
                        {"userVerification", uv}};
  return options.dump();
}

core::ServiceResult<PasskeyOutcome> WebAuthnFactor::FinishAuthentication(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const std::optional<core::User>& user, const std::string& flow_id,
    const std::string& credential_json) const {
  core::Json cred = core::Json::parse(credential_json, nullptr, /*allow_exceptions=*/false);
  const core::Json response = cred.is_object() ? cred.value("response", core::Json()) : core::Json();
  std::optional<std::string> raw_id = B64Member(cred, "rawId");
  std::optional<std::string> client_data = B64Member(response, "clientDataJSON");
  std::optional<std::string> auth_data = B64Member(response, "authenticatorData");
  std::optional<std::string> signature = B64Member(response, "signature");
  std::optional<std::string> challenge = client_data ? ChallengeOf(*client_data) : std::nullopt;
  if (!raw_id || !client_data || !auth_data || !signature || !challenge) {
    return Refused("malformed");
  }
  auto taken = tx.webauthn().TakeChallenge(realm.id, *challenge, core::kWebAuthnAuthenticate);
  if (!taken) return FromStoreError(taken.error(), "webauthn challenge");
  const std::optional<core::WebAuthnChallenge>& issued = *taken;
  const std::string expected_user = user ? user->id : "";
  if (!issued || (!flow_id.empty() && issued->flow_id != flow_id) ||
      issued->user_id != expected_user || issued->expires_at < ctx.now) {
    return Refused("unknown_challenge");
  }
  // §7.2 step 5 (allowCredentials) and step 6 (the credential's owner).
  auto stored = tx.webauthn().GetByCredentialId(realm.id, crypto::Base64UrlEncode(*raw_id));
  if (!stored) {
    if (stored.error().code == store::ErrorCode::kNotFound) return Refused("unknown_credential");
    return FromStoreError(stored.error(), "passkey");
  }
  if (user && stored->user_id != user->id) return Refused("wrong_user");
  std::optional<std::string> handle = B64Member(response, "userHandle");
  if ((!user && !handle) || (handle && crypto::Base64UrlEncode(*handle) != stored->user_handle)) {
    return Refused("wrong_user", stored->user_id);
  }
  std::optional<std::string> public_key = crypto::Base64UrlDecode(stored->public_key);
  if (!public_key) return core::ServiceError{core::ServiceErrorCode::kInternal, "corrupt key", {}};
  wa::Expected expected{*crypto::Base64UrlDecode(issued->challenge), rp_.origin, rp_.id,
                        !user || RequireUv(realm)};
  wa::Result<wa::Assertion> assertion =
      wa::VerifyAssertion(expected, *public_key, static_cast<uint32_t>(stored->sign_count),
                          *client_data, *auth_data, *signature);
  if (!assertion) {
    PasskeyOutcome out = Refused(wa::CheckName(assertion.error().check), stored->user_id);
    out.credential_id = stored->id;
    return out;
  }
  auto updated = tx.webauthn().UpdateSignCount(realm.id, stored->id, stored->sign_count,
                                               assertion->sign_count, ctx.now);
  if (!updated) return FromStoreError(updated.error(), "passkey");
  if (!*updated) return Refused("sign_count_conflict", stored->user_id);
  PasskeyOutcome out;
  out.ok = true;
  out.user_id = stored->user_id;
  out.credential_id = stored->id;
  out.user_verified = assertion->user_verified;
  out.amr = Amr();
  return out;
}

}  // namespace idm::authn::factors
