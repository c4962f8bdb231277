// Signing keys for unit-test fixtures without the cost of RSA generation: each fixture's
// KeyService creates four keys per realm (active and next, for the realm's alg and RS256), and
// generating one RSA-2048 key takes 50-500 ms, which made RSA generation most of the unit suite's
// CPU time. PooledKeys() hands out the checked-in test keys of tests/vectors/rsa2048_test_keys.txt
// in order, each once per generator, so the keys of one test are all distinct; after the last one,
// and for every other algorithm, it generates real keys. Use one generator per test (fixture).
//
// Thread-safety: a generator may be called from several threads (it locks).
#pragma once

#include "idm/oauth/keys/key_service.h"

namespace idm::testing {

oauth::KeyGenerator PooledKeys();

}  // namespace idm::testing
