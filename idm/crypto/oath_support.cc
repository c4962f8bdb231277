// See oath_support.h.
#include "idm/crypto/oath_support.h"

#include <liboath/oath.h>

namespace idm::crypto::oath {

bool OathReady() {
  static const bool ready = oath_init() == OATH_OK;
  return ready;
}

bool AllDigits(std::string_view s, int digits) {
  if (static_cast<int>(s.size()) != digits) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace idm::crypto::oath
