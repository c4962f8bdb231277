// CsrfTokens: the anti-CSRF token every server-rendered form carries (ARCHITECTURE.md decision
// 10; OWASP CSRF Prevention Cheat Sheet, "HMAC based token pattern"). A token is
//   base64url( HMAC-SHA256(server secret, "idm-csrf-v1" 0x00 binding id) )
// where the binding id is the login flow or SSO session the form belongs to, so a token is useless
// for any other flow and nothing needs storing. Checks are constant-time (decision 4). The token
// lives in the form, the binding in server state reached through the session cookie, so a
// cross-site page can neither read the token nor forge it without the secret.
//
// The secret must be at least 32 bytes from a CSPRNG, the same on every node (derive it from the
// key-encryption key with crypto::Hkdf, for instance).
//
// Thread-safety: immutable after Create(); safe to share between threads.
#pragma once

#include <string>
#include <string_view>

#include "idm/core/result.h"

namespace idm::pages {

class CsrfTokens {
 public:
  static constexpr size_t kMinSecretBytes = 32;

  // Errors: a secret shorter than kMinSecretBytes.
  static core::Result<CsrfTokens, std::string> Create(std::string secret);

  // The token for forms of `binding_id` (43 base64url characters). An empty binding id yields ""
  // — which Verify() never accepts.
  std::string Issue(std::string_view binding_id) const;

  // True only when `token` is exactly Issue(binding_id) for a non-empty binding id.
  bool Verify(std::string_view binding_id, std::string_view token) const;

 private:
  explicit CsrfTokens(std::string secret) : secret_(std::move(secret)) {}
  std::string secret_;
};

}  // namespace idm::pages
