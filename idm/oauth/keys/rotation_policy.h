// When a realm's signing key of one algorithm is due for scheduled rotation
// (RealmSettings::key_rotation_interval_s; ARCHITECTURE.md decision 5: "rotation publishes the
// next key in JWKS before it signs"). Pure logic, so the schedule is unit-tested without a clock.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <vector>

#include "idm/core/model.h"
#include "idm/crypto/jwk.h"

namespace idm::oauth {

enum class RotationStep {
  kNothing,      // rotation by hand (interval 0), or the active key is younger than the interval
  kPublishNext,  // due, but there is no next key: publish one now, promote it on a later run
  kWaitForNext,  // due, but the next key is too recently published for caches to know it
  kRotate,       // promote the next key now
};

// `keys` are the realm's keys (any alg), interval_s the realm's key_rotation_interval_s, and
// lead_s how long a next key must have been in JWKS before it may sign; the lead is capped at
// half the interval so short intervals still rotate. A realm without an active key of `alg`
// gets kNothing (KeyService::EnsureKeys creates it).
RotationStep NextRotationStep(const std::vector<core::SigningKey>& keys, crypto::JwsAlg alg,
                              int64_t interval_s, int64_t lead_s, core::UnixMillis now);

}  // namespace idm::oauth
