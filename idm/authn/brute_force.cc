// Brute-force arithmetic; see brute_force.h.
#include "idm/authn/brute_force.h"

#include <algorithm>

namespace idm::authn {

int64_t FailureDelayMs(int64_t failures, int64_t max_delay_ms) {
  if (failures <= 0 || max_delay_ms <= 0) return 0;
  // 250 x 2^32 already exceeds any sensible cap; stop doubling before the shift could overflow.
  const int64_t shift = std::min<int64_t>(failures - 1, 32);
  return std::min(kBaseDelayMs << shift, max_delay_ms);
}

std::string UserFailureKey(const std::string& user_id) { return "user:" + user_id; }
std::string AddressFailureKey(const std::string& client_ip) { return "ip:" + client_ip; }

store::LockoutPolicy UserLockoutPolicy(const core::RealmSettings& s) {
  return {s.brute_force_max_failures, s.brute_force_window_s * 1000,
          s.brute_force_lockout_s * 1000};
}

store::LockoutPolicy AddressLockoutPolicy(const core::RealmSettings& s) {
  return {s.brute_force_ip_max_failures, s.brute_force_window_s * 1000,
          s.brute_force_lockout_s * 1000};
}

bool IsLocked(const core::LoginFailureCounter& c, core::UnixMillis now) {
  return c.locked_until > now;
}

bool IsThrottled(const std::optional<core::LoginFailureCounter>& c, const core::RealmSettings& s,
                 core::UnixMillis now) {
  if (!c) return false;
  if (IsLocked(*c, now)) return true;
  if (s.brute_force_window_s > 0 && now >= c->last_failure_at + s.brute_force_window_s * 1000) {
    return false;
  }
  return now < c->last_failure_at + FailureDelayMs(c->failures, s.brute_force_max_delay_ms);
}

}  // namespace idm::authn
