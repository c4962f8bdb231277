// Address ranges and the client address behind trusted proxies (idm/core/net_address.h).
#include "idm/core/net_address.h"

#include <gtest/gtest.h>

namespace idm::core {
namespace {

std::vector<AddressRange> Ranges(std::string_view text) {
  auto r = ParseAddressRanges(text);
  EXPECT_TRUE(r) << (r ? "" : r.error());
  return r ? *r : std::vector<AddressRange>{};
}

bool In(std::string_view range, std::string_view address) {
  auto r = ParseAddressRange(range);
  std::array<uint8_t, 16> a{};
  EXPECT_TRUE(r) << (r ? "" : r.error());
  EXPECT_TRUE(ParseAddress(address, &a)) << address;
  return r && r->Contains(a);
}

TEST(AddressRange, MatchesIpv4NetworksByPrefix) {
  EXPECT_TRUE(In("10.0.0.0/8", "10.200.3.4"));
  EXPECT_FALSE(In("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(In("192.168.1.0/25", "192.168.1.127"));
  EXPECT_FALSE(In("192.168.1.0/25", "192.168.1.128"));
  EXPECT_TRUE(In("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(In("127.0.0.1", "127.0.0.2"));
  EXPECT_TRUE(In("0.0.0.0/0", "203.0.113.9"));
}

TEST(AddressRange, MatchesIpv6NetworksAndKeepsTheFamiliesApart) {
  EXPECT_TRUE(In("2001:db8::/32", "2001:db8:ffff::1"));
  EXPECT_FALSE(In("2001:db8::/32", "2001:db9::1"));
  EXPECT_TRUE(In("::1", "[::1]"));
  EXPECT_FALSE(In("0.0.0.0/0", "2001:db8::1"));  // an IPv4 range never covers IPv6
  EXPECT_TRUE(In("::ffff:0:0/96", "198.51.100.1"));  // IPv4-mapped, RFC 4291 §2.5.5.2
}

TEST(AddressRange, RefusesWhatIsNotAnAddressOrAPrefix) {
  for (const char* bad : {"", "example.com", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/",
                          "10.0.0.0/8x", "10.0.0/8", "1.2.3.4/-1"}) {
    auto r = ParseAddressRange(bad);
    EXPECT_FALSE(r) << bad;
  }
  auto list = ParseAddressRanges("10.0.0.0/8, nonsense");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().find("nonsense"), std::string::npos);
}

TEST(AddressRange, ListsAreCommaOrSpaceSeparatedAndMayBeEmpty) {
  EXPECT_EQ(Ranges("").size(), 0u);
  EXPECT_EQ(Ranges("127.0.0.1, ::1 10.0.0.0/8,,").size(), 3u);
}

TEST(ClientAddress, IgnoresForwardedForFromAnUntrustedPeer) {
  EXPECT_EQ(ClientAddress("198.51.100.7", "203.0.113.1", Ranges("127.0.0.1")), "198.51.100.7");
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.1", {}), "127.0.0.1");
}

TEST(ClientAddress, TakesTheAddressATrustedProxyReports) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.1", Ranges("127.0.0.1")), "203.0.113.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", Ranges("127.0.0.1")), "127.0.0.1");
}

TEST(ClientAddress, SkipsTrustedHopsAndStopsAtTheFirstUntrustedOne) {
  // The client forged the first entry; the edge proxy (10.0.0.5) appended the real peer.
  auto trusted = Ranges("127.0.0.1 10.0.0.0/8");
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.1.1.1, 203.0.113.1, 10.0.0.5", trusted), "203.0.113.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.9,10.0.0.5", trusted), "10.0.0.9");
  EXPECT_EQ(ClientAddress("127.0.0.1", " [2001:db8::7] ", trusted), "2001:db8::7");
}

TEST(ClientAddress, AGarbledHopEndsTheWalkAtTheLastTrustedAddress) {
  auto trusted = Ranges("127.0.0.1 10.0.0.0/8");
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.1, unknown", trusted), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "garbage, 10.0.0.5", trusted), "10.0.0.5");
}

}  // namespace
}  // namespace idm::core
