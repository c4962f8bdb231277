#include "idm/store/sql/postgres_errors.h"

#include <algorithm>
#include <memory>

#include "idm/store/sql/libpq.h"

namespace idm::store::sql {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The raw password of the userinfo and of `password=` query parameters of a URI.
void UriPasswords(std::string_view uri, std::vector<std::string>* out) {
  std::string_view rest = uri.substr(uri.find("://") + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) out->emplace_back(userinfo.substr(colon + 1));
  }
  size_t q = rest.find('?');
  if (q == std::string_view::npos) return;
  std::string_view query = rest.substr(q + 1);
  while (!query.empty()) {
    std::string_view param = query.substr(0, query.find('&'));
    if (StartsWith(param, "password=")) out->emplace_back(param.substr(9));
    query.remove_prefix(std::min(query.size(), param.size() + 1));
  }
}

// The value of `password = VALUE` or `password='VALUE'` in a keyword/value string.
void KeywordPasswords(std::string_view s, std::vector<std::string>* out) {
  for (size_t pos = s.find("password"); pos != std::string_view::npos;
       pos = s.find("password", pos + 1)) {
    size_t i = s.find_first_not_of(' ', pos + 8);
    if (i == std::string_view::npos || s[i] != '=') continue;
    i = s.find_first_not_of(' ', i + 1);
    if (i == std::string_view::npos) continue;
    std::string value;
    if (s[i] == '\'') {
      for (++i; i < s.size() && s[i] != '\''; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i]);
      }
    } else {
      size_t end = s.find_first_of(" \t\n", i);
      value = std::string(s.substr(i, end == std::string_view::npos ? s.size() - i : end - i));
    }
    out->push_back(value);
  }
}

}  // namespace

SqlStateClass ClassifySqlState(std::string_view st) {
  if (st.empty()) return {ErrorCode::kUnavailable, true, false};
  if (st == "23505" || st == "23503") return {ErrorCode::kConflict, false, false};
  if (st == "40001" || st == "40P01") return {ErrorCode::kConflict, false, true};
  if (StartsWith(st, "08") || st == "57P01" || st == "57P02" || st == "57P03" || st == "53300") {
    return {ErrorCode::kUnavailable, true, false};
  }
  if (st == "25006" || StartsWith(st, "53") || st == "57014") {
    return {ErrorCode::kUnavailable, false, true};
  }
  if (st == "XX001" || st == "XX002") return {ErrorCode::kCorrupt, false, false};
  return {ErrorCode::kInvalid, false, false};
}

std::vector<std::string> UrlSecrets(std::string_view url) {
  std::vector<std::string> raw;
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    UriPasswords(url, &raw);
  } else {
    KeywordPasswords(url, &raw);
  }
  std::vector<std::string> out;
  for (const std::string& r : raw) {
    if (r.empty()) continue;
    out.push_back(r);
    std::string decoded = PercentDecode(r);
    if (decoded != r && !decoded.empty()) out.push_back(decoded);
  }
  return out;
}

std::string ScrubSecrets(std::string message, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = message.find(secret); pos != std::string::npos;
         pos = message.find(secret, pos + 3)) {
      message.replace(pos, secret.size(), "***");
    }
  }
  return message;
}

std::string DescribeUrl(const std::string& url) {
  if (!Pq().error.empty()) return "a PostgreSQL server (libpq is not loaded)";
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(
      Pq().PQconninfoParse(url.c_str(), &err), Pq().PQconninfoFree);
  if (err != nullptr) Pq().PQfreemem(err);  // may quote the URL; never shown
  if (!opts) return "an unparsable PostgreSQL URL";
  std::string host, port, dbname, user;
  for (PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string_view k = o->keyword;
    if (k == "host" || k == "hostaddr") host = host.empty() ? o->val : host;
    if (k == "port") port = o->val;
    if (k == "dbname") dbname = o->val;
    if (k == "user") user = o->val;
  }
  std::string d = host.empty() ? "localhost" : host;
  if (!port.empty()) d += ":" + port;
  if (!dbname.empty()) d += "/" + dbname;
  if (!user.empty()) d += " as " + user;
  return d;
}

}  // namespace idm::store::sql
