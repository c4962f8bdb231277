// Ids (idm/core/random.h): random version-4 UUIDs, and the time-ordered version-7 ones of
// RFC 9562 §5.7 that audit events get.
#include "idm/core/random.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace idm::core {
namespace {

// Every byte it hands out is `value`, so the bits NewTimeOrderedUuid sets are the only variation.
class ConstantRandom final : public Random {
 public:
  explicit ConstantRandom(uint8_t value) : value_(value) {}
  void Fill(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = value_;
  }

 private:
  uint8_t value_;
};

const std::regex kUuid(
    "[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-"
    "[0-9a-f]{12}");

std::string VersionOf(const std::string& id) {
  std::smatch m;
  if (!std::regex_match(id, m, kUuid)) return "not a UUID: " + id;
  return m[1].str() + "/" + m[2].str();
}

TEST(Uuid, RandomIdsAreVersion4WithTheRfcVariant) {
  ConstantRandom ones(0xff), zeros(0x00);
  EXPECT_EQ(NewUuid(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_EQ(NewUuid(zeros), "00000000-0000-4000-8000-000000000000");
}

TEST(Uuid, TimeOrderedIdsCarryTheMillisecondsInTheirFirst48Bits) {
  ConstantRandom zeros(0x00), ones(0xff);
  // RFC 9562 Appendix A.6's example time, 2022-02-22 19:22:22 UTC = 0x017F22E279B0 ms.
  EXPECT_EQ(NewTimeOrderedUuid(zeros, 0x017F22E279B0), "017f22e2-79b0-7000-8000-000000000000");
  EXPECT_EQ(NewTimeOrderedUuid(ones, 0x017F22E279B0), "017f22e2-79b0-7fff-bfff-ffffffffffff");
  EXPECT_EQ(VersionOf(NewTimeOrderedUuid(ones, 1796264914481)), "7/b");
}

TEST(Uuid, TimeOrderedIdsSortByTimeWhateverTheirRandomBits) {
  ConstantRandom low(0x00), high(0xff);
  // Text order is byte order for fixed-width lower-case hex, which is what an index compares.
  EXPECT_LT(NewTimeOrderedUuid(high, 1796264914481), NewTimeOrderedUuid(low, 1796264914482));
  EXPECT_LT(NewTimeOrderedUuid(high, 255), NewTimeOrderedUuid(low, 256));
}

TEST(Uuid, TimeOrderedIdsClampTimesOutsideTheir48Bits) {
  ConstantRandom zeros(0x00);
  EXPECT_EQ(NewTimeOrderedUuid(zeros, -5), "00000000-0000-7000-8000-000000000000");
  EXPECT_EQ(NewTimeOrderedUuid(zeros, int64_t{1} << 50), "ffffffff-ffff-7000-8000-000000000000");
}

}  // namespace
}  // namespace idm::core
