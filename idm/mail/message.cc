// RFC 5322 message text; see message.h.
#include "idm/mail/message.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "idm/crypto/encoding.h"

namespace idm::mail {
namespace {

// 39 bytes -> 52 base64 characters + 12 of "=?UTF-8?B?" "?=" = 64 <= 75 (RFC 2047 §2), and
// "Subject: " + one word stays within 78 characters (RFC 5322 §2.1.1).
constexpr size_t kWordBytes = 39;
constexpr size_t kBodyLine = 76;     // RFC 2045 §6.8: at most 76 characters per encoded line

bool IsPrintableAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return s.find("=?") == std::string::npos;
}

// Length of the UTF-8 sequence starting with `lead` (1 for a stray continuation byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// The body with every line end as CRLF.
std::string WithCrlf(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string Base64Lines(const std::string& bytes) {
  const std::string b64 = crypto::Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += kBodyLine) out += b64.substr(i, kBodyLine) + "\r\n";
  return out;
}

std::string Domain(const std::string& address) {
  const size_t at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

// RFC 5322 §3.4: a display name as a quoted-string when ASCII, else encoded-words.
std::string Mailbox(const std::string& name, const std::string& address) {
  if (name.empty()) return address;
  if (!IsPrintableAscii(name)) return EncodeHeaderText(name) + " <" + address + ">";
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\" <" + address + ">";
}

}  // namespace

std::string EncodeHeaderText(const std::string& text) {
  if (IsPrintableAscii(text)) return text;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size()) {
      const size_t n = Utf8Length(static_cast<unsigned char>(text[end]));
      if (end + n - i > kWordBytes) break;
      end += n;
    }
    if (end == i) end = std::min(text.size(), i + 1);  // cannot happen with kWordBytes >= 4
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + crypto::Base64Encode(std::string_view(text).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string FormatDate(core::UnixMillis now) {
  const std::time_t t = static_cast<std::time_t>(now / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

bool IsPlainAddress(const std::string& address) {
  const size_t at = address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string::npos || address.size() > 254) return false;
  for (unsigned char c : address) {
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        c == '\\' || c == '(' || c == ')' || c == '[' || c == ']') {
      return false;
    }
  }
  return true;
}

std::string BuildMessage(const MailMessage& m, core::UnixMillis now, core::Random& random,
                         const std::string& message_id) {
  const std::string id = message_id.empty()
                             ? crypto::HexEncode(random.Bytes(16)) + "@" + Domain(m.from_address)
                             : message_id;
  std::string out;
  out += "Date: " + FormatDate(now) + "\r\n";
  out += "Message-ID: <" + id + ">\r\n";
  out += "From: " + Mailbox(m.from_name, m.from_address) + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  out += Base64Lines(WithCrlf(m.body));
  return out;
}

}  // namespace idm::mail
