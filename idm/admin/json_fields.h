// Request-body parsing for the admin API with clear, field-named errors:
//  - ParseJsonObject: malformed JSON or a non-object body -> InvalidArgument (400 problem).
//  - FieldReader: reads the known fields of one JSON object into a model struct. A present field of
//    the wrong type adds a violation naming the field ("settings.min_length: expected an
//    integer"); Finish() adds one violation per unknown field, then returns every violation at
//    once as InvalidArgument, so a client fixes all of them in one round trip.
// Absent fields leave the target untouched, which is what PUT (applied onto defaults) and PATCH
// (applied onto the merge-patched current representation) both need.
//
// Thread-safety: FieldReader is a short-lived value used by one request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::admin {

// Parses `body` as one JSON object. InvalidArgument when it is not valid JSON or not an object.
core::ServiceResult<core::Json> ParseJsonObject(std::string_view body);

class FieldReader {
 public:
  // `prefix` names the enclosing object in messages ("settings." for a nested one).
  explicit FieldReader(const core::Json& object, std::string prefix = "");

  void String(std::string_view name, std::string& out);
  void OptionalString(std::string_view name, std::optional<std::string>& out);  // null -> nullopt
  void Bool(std::string_view name, bool& out);
  void Int(std::string_view name, int64_t& out);
  void Int(std::string_view name, int& out);
  void StringList(std::string_view name, std::vector<std::string>& out);
  void Attributes(std::string_view name, core::Attributes& out);
  // A nested object read with its own FieldReader; its violations join this reader's.
  void Object(std::string_view name, const std::function<void(FieldReader&)>& read);
  // A known field whose value is ignored (read-only fields echoed back from a GET).
  void Ignore(std::string_view name);
  // Records a violation found by the caller's own check (e.g. an enum value out of range).
  void AddViolation(std::string_view name, std::string message) { Violation(name, message); }

  // OK, or InvalidArgument listing every type error and unknown field.
  core::ServiceStatus Finish();
  // The violations collected so far, unknown fields included (used by nested readers).
  std::vector<core::FieldViolation> TakeViolations();

 private:
  const core::Json* Find(std::string_view name);
  void Violation(std::string_view name, std::string message);

  const core::Json& object_;
  std::string prefix_;
  std::set<std::string, std::less<>> known_;
  std::vector<core::FieldViolation> violations_;
};

}  // namespace idm::admin
