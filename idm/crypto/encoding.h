// Hex and base64 / base64url (RFC 4648 §4, §5) encodings.
// Decoders are strict: they return nullopt for characters outside the alphabet, whitespace, wrong
// or misplaced padding, and non-zero trailing bits (RFC 4648 §3.5), so each value has exactly one
// accepted encoding. HexDecode accepts both cases.
// Thread-safety: free functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idm::crypto {

std::string HexEncode(std::string_view bytes);               // lower-case
std::optional<std::string> HexDecode(std::string_view hex);  // nullopt on bad input
std::string Base64Encode(std::string_view bytes);            // with padding
std::optional<std::string> Base64Decode(std::string_view b64);
std::string Base64UrlEncode(std::string_view bytes);                  // no padding (RFC 7515 §2)
std::optional<std::string> Base64UrlDecode(std::string_view b64url);  // rejects padding and '+/'

}  // namespace idm::crypto
