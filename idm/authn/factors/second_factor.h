// SecondFactor: the small interface every second-factor method of the login implements
// (CONVENTIONS.md §3 "Flows × methods"; docs/design/017-mfa-methods-and-flow.md). One file per
// method: totp.cc (RFC 6238 authenticator apps), recovery_codes.cc (single-use fallback codes);
// webauthn.cc and email codes will follow the same shape. The password step stays in
// password_factor.h: it names the user, which a second factor never does.
//
//   Id      the method's stable name ("totp", "recovery_code"), also the form's `method` value
//   Amr     RFC 8176 §2 method references a success adds to the session's amr
//   Has     whether the user has a usable instance (a confirmed authenticator, an unused code)
//   Verify  checks what the user typed, inside the caller's write transaction, and applies the
//           method's single-use rule there (the TOTP step guard, the used recovery code), so a
//           success is committed together with the sign-in or not at all
//   Remove  deletes every instance the user has (administrator reset)
// Enrolment differs per method (a seed and QR code, a list of codes), so each method offers its
// own Enroll calls beside the interface.
//
// Failures (core::ServiceError): kUnavailable, kInternal. A wrong code is not an error: Verify
// returns false and the login flow counts the failure (brute_force.h).
// Thread-safety: implementations are immutable and safe to share; each call uses the caller's
// transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::authn::factors {

class SecondFactor {
 public:
  virtual ~SecondFactor() = default;
  virtual std::string_view Id() const = 0;
  virtual std::vector<std::string> Amr() const = 0;
  virtual core::ServiceResult<bool> Has(store::Transaction& tx, const std::string& realm_id,
                                        const std::string& user_id) const = 0;
  // True when `input` is accepted for `user` at ctx.now (and now used up, where single use
  // applies). Writes its audit event, if any, in tx.
  virtual core::ServiceResult<bool> Verify(store::Transaction& tx, const core::OpContext& ctx,
                                           const core::Realm& realm, const core::User& user,
                                           const std::string& input) const = 0;
  // Returns how many instances it removed.
  virtual core::ServiceResult<int64_t> Remove(store::Transaction& tx, const std::string& realm_id,
                                              const std::string& user_id) const = 0;
};

}  // namespace idm::authn::factors
