// Scheduled key rotation decision; see rotation_policy.h.
#include "idm/oauth/keys/rotation_policy.h"

#include <algorithm>

#include "idm/oauth/keys/key_store_ops.h"

namespace idm::oauth {

RotationStep NextRotationStep(const std::vector<core::SigningKey>& keys, crypto::JwsAlg alg,
                              int64_t interval_s, int64_t lead_s, core::UnixMillis now) {
  if (interval_s <= 0) return RotationStep::kNothing;
  const core::SigningKey* active = KeyStoreOps::Find(keys, alg, core::KeyStatus::kActive);
  if (active == nullptr) return RotationStep::kNothing;
  core::UnixMillis since = active->activated_at != 0 ? active->activated_at : active->created_at;
  if (now - since < interval_s * 1000) return RotationStep::kNothing;
  const core::SigningKey* next = KeyStoreOps::Find(keys, alg, core::KeyStatus::kNext);
  if (next == nullptr) return RotationStep::kPublishNext;
  int64_t lead_ms = std::min(lead_s, interval_s / 2) * 1000;
  if (now - next->created_at < lead_ms) return RotationStep::kWaitForNext;
  return RotationStep::kRotate;
}

}  // namespace idm::oauth
