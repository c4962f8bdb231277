// JsonWriter: appends compact JSON text (RFC 8259) to a string as it is written, without building
// a core::Json tree first. For the documents a hot path answers with every request — the claim set
// of an access token, a JWS header, the token endpoint's response — where building the tree and
// dumping it cost more than the ES256 signature's own hashing (docs/design/025, decision 11).
// Everything else builds core::Json: it is the simpler tool where speed does not matter.
//
// Strings are escaped as core::Json::dump() escapes them (", \, the C0 controls; "/" and non-ASCII
// are written as they are), except that a byte sequence that is not valid UTF-8 becomes U+FFFD
// where dump() would throw. The writer does not check the structure (a key inside an array, an
// unclosed object): callers write fixed shapes, and the tests parse what they write.
//
// Thread-safety: a JsonWriter is used by one thread; it only appends to the string it was given.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "idm/core/json.h"

namespace idm::core {

// Appends `text` as a JSON string literal (quotes included) to `out`.
void AppendJsonString(std::string& out, std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The member name; the next call writes its value.
  JsonWriter& Key(std::string_view name);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  // A value that is already JSON text, written as it is.
  JsonWriter& Raw(std::string_view json);
  // A core::Json value (dumped with invalid UTF-8 replaced, as String does).
  JsonWriter& Value(const Json& value);
  // An array of strings.
  template <typename Range>
  JsonWriter& Strings(const Range& values) {
    BeginArray();
    for (const auto& v : values) String(v);
    return EndArray();
  }

 private:
  void Separate();

  std::string& out_;
  bool comma_ = false;  // a value was written at this level: the next one needs a ','
};

}  // namespace idm::core
