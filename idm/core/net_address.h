// IP address ranges and the client address behind trusted reverse proxies (docs/deploy-proxy.md,
// docs/design/022-connections.md).
//
// Behind a proxy the TCP peer of every request is the proxy, so the audit trail and the
// per-address brute-force counters would all see one address. The proxy says whom it serves in
// X-Forwarded-For, a comma-separated list to which each proxy appends the address it received the
// request from. Anyone can send that header, so it is believed only from a peer the operator
// lists in `server.trusted_proxies`, and only as far as the chain stays in trusted hands: the
// client is the right-most address that is not itself a trusted proxy (the same rule as nginx's
// real_ip_recursive and haproxy's trusted sources).
//
// Thread-safety: value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/result.h"

namespace idm::core {

// An IPv4 or IPv6 network: the first `prefix_bits` bits of `address`. IPv4 addresses are held as
// IPv4-mapped IPv6 (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) so one comparison serves both families.
struct AddressRange {
  std::array<uint8_t, 16> address{};
  int prefix_bits = 128;
  bool Contains(const std::array<uint8_t, 16>& a) const;
};

// "203.0.113.7", "2001:db8::1" (a whole address) or "10.0.0.0/8", "2001:db8::/32". Error: a
// sentence naming what is wrong.
Result<AddressRange, std::string> ParseAddressRange(std::string_view text);

// A comma- or space-separated list of ranges ("" = none). Error names the first bad entry.
Result<std::vector<AddressRange>, std::string> ParseAddressRanges(std::string_view text);

// The address `text` as 16 bytes (IPv4 mapped); false if it is not a literal IPv4/IPv6 address.
// Accepts "[2001:db8::1]" with brackets too, as some proxies write IPv6 that way.
bool ParseAddress(std::string_view text, std::array<uint8_t, 16>* out);

// The client's address: `peer` unless `peer` is in `trusted`; then the right-most entry of the
// X-Forwarded-For value that is not in `trusted` (or the left-most entry if every one is
// trusted). An unparseable entry ends the walk: it is returned as it is only when it came from a
// trusted hop, otherwise the last trusted address is. `forwarded_for` is "" when absent.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<AddressRange>& trusted);

}  // namespace idm::core
