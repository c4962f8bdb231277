// CSRF tokens. See csrf.h.
#include "idm/pages/csrf.h"

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::pages {
namespace {

// Domain separation, so the same secret could key other HMACs without their outputs colliding.
std::string Message(std::string_view binding_id) {
  std::string m = "idm-csrf-v1";
  m.push_back('\0');
  m.append(binding_id);
  return m;
}

}  // namespace

core::Result<CsrfTokens, std::string> CsrfTokens::Create(std::string secret) {
  if (secret.size() < kMinSecretBytes) {
    return std::string("CSRF secret must be at least 32 bytes");
  }
  return CsrfTokens(std::move(secret));
}

std::string CsrfTokens::Issue(std::string_view binding_id) const {
  if (binding_id.empty()) return "";
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret_, Message(binding_id)));
}

bool CsrfTokens::Verify(std::string_view binding_id, std::string_view token) const {
  if (binding_id.empty() || token.empty()) return false;
  // Length is public (fixed at 43), so comparing it first leaks nothing about the token.
  return crypto::ConstantTimeEquals(Issue(binding_id), token);
}

}  // namespace idm::pages
