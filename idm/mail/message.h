// MailMessage and BuildMessage: an outgoing message as RFC 5322 text, ready for SMTP DATA.
//
//   Date (RFC 5322 §3.3), Message-ID (§3.6.4), From, To, Subject, MIME-Version (RFC 2045 §4),
//   Content-Type: text/plain; charset=UTF-8, Content-Transfer-Encoding: base64 (RFC 2045 §6.8).
//
// Every line ends in CRLF (RFC 5322 §2.1) and is at most 78 characters (§2.1.1). A subject or
// display name that is not printable ASCII is written as RFC 2047 encoded-words ("=?UTF-8?B?...?=",
// §4.1), split between whole UTF-8 characters so each word stays within 75 characters (§2) and
// decodes on its own. The body is base64 in lines of 76 characters, so any UTF-8 text (Korean)
// passes 7-bit transports unchanged. Dot-stuffing (RFC 5321 §4.5.2) is the SMTP client's job.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "idm/core/clock.h"
#include "idm/core/random.h"

namespace idm::mail {

struct MailMessage {
  std::string from_address;  // addr-spec, e.g. "no-reply@example.com"
  std::string from_name;     // display name, may be empty or non-ASCII
  std::string to;            // addr-spec of the one recipient
  std::string subject;       // UTF-8
  std::string body;          // UTF-8 text, '\n' or "\r\n" line ends
};

// The message with its header section; `message_id` is used as given (without angle brackets) or,
// when empty, made from 16 random bytes and the sender's domain.
std::string BuildMessage(const MailMessage& message, core::UnixMillis now, core::Random& random,
                         const std::string& message_id = "");

// RFC 2047 §4.1 "B" encoding of UTF-8 text as one or more encoded-words joined by CRLF SP
// (folding, RFC 5322 §2.2.3); printable ASCII without "=?" is returned unchanged.
std::string EncodeHeaderText(const std::string& text);

// RFC 5322 §3.3 date-time in UTC, e.g. "Tue, 01 Dec 2026 16:51:35 +0000".
std::string FormatDate(core::UnixMillis now);

// True when `address` looks like a plain addr-spec (local@domain) without whitespace, angle
// brackets, quotes or control characters, so it can be placed in a header and an SMTP command.
bool IsPlainAddress(const std::string& address);

}  // namespace idm::mail
