// Brute-force protection of the password step (ARCHITECTURE.md "Account lifecycle"; OWASP
// Authentication Cheat Sheet, "Protect against automated attacks"). Counters live in the store
// (store::LoginFailureRepo) under two keys, so every node sees the same counts:
//   "user:<user id>"      failures against one account (lock at brute_force_max_failures)
//   "ip:<client address>" failures from one address, unknown usernames included (lock at
//                         brute_force_ip_max_failures)
//
// Delay: after n consecutive failures the next attempt is refused until
// last_failure_at + min(250 ms x 2^(n-1), brute_force_max_delay_ms). A refused attempt is
// answered at once with the generic failure message and is not counted, so no server thread ever
// sleeps and a fast attacker only collects refusals (docs/design/013 explains the choice).
// Lockout: when failures reach the maximum the key is locked for brute_force_lockout_s; an
// administrator can lift it (LoginFailureRepo::Unlock). A failure after brute_force_window_s of
// quiet starts a new count. A successful login resets the user's counter (not the address's, so
// an attacker cannot clear an address's count with an account of their own).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "idm/core/model.h"
#include "idm/core/oidc_model.h"
#include "idm/store/oidc_repos.h"

namespace idm::authn {

inline constexpr int64_t kBaseDelayMs = 250;

// min(250 x 2^(failures-1), max_delay_ms); 0 for failures <= 0 (never overflows).
int64_t FailureDelayMs(int64_t failures, int64_t max_delay_ms);

// The counter keys.
std::string UserFailureKey(const std::string& user_id);
std::string AddressFailureKey(const std::string& client_ip);

// The store policies of the two keys from the realm's settings.
store::LockoutPolicy UserLockoutPolicy(const core::RealmSettings& s);
store::LockoutPolicy AddressLockoutPolicy(const core::RealmSettings& s);

// True while the counter is locked at now.
bool IsLocked(const core::LoginFailureCounter& c, core::UnixMillis now);

// True when an attempt at now must be refused: the counter is locked, or the delay after its
// last failure has not passed (a counter whose last failure is older than the window imposes no
// delay). nullopt counter (no failures recorded) never refuses.
bool IsThrottled(const std::optional<core::LoginFailureCounter>& c, const core::RealmSettings& s,
                 core::UnixMillis now);

}  // namespace idm::authn
