// Request-body parsing; see json_fields.h.
#include "idm/admin/json_fields.h"

#include <limits>

namespace idm::admin {

core::ServiceResult<core::Json> ParseJsonObject(std::string_view body) {
  core::Json parsed = core::Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return core::InvalidArgument("The request body is not valid JSON.");
  }
  if (!parsed.is_object()) {
    return core::InvalidArgument("The request body must be a JSON object.");
  }
  return parsed;
}

FieldReader::FieldReader(const core::Json& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

const core::Json* FieldReader::Find(std::string_view name) {
  known_.emplace(name);
  auto it = object_.find(name);
  return it == object_.end() ? nullptr : &*it;
}

void FieldReader::Violation(std::string_view name, std::string message) {
  violations_.push_back({prefix_ + std::string(name), std::move(message)});
}

void FieldReader::String(std::string_view name, std::string& out) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  if (!v->is_string()) return Violation(name, "expected a string");
  out = v->get<std::string>();
}

void FieldReader::OptionalString(std::string_view name, std::optional<std::string>& out) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  if (v->is_null()) {
    out.reset();
    return;
  }
  if (!v->is_string()) return Violation(name, "expected a string or null");
  out = v->get<std::string>();
}

void FieldReader::Bool(std::string_view name, bool& out) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  if (!v->is_boolean()) return Violation(name, "expected true or false");
  out = v->get<bool>();
}

void FieldReader::Int(std::string_view name, int64_t& out) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  if (!v->is_number_integer()) return Violation(name, "expected an integer");
  if (v->is_number_unsigned() &&
      v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Violation(name, "integer out of range");
  }
  out = v->get<int64_t>();
}

void FieldReader::Int(std::string_view name, int& out) {
  int64_t wide = out;
  const size_t before = violations_.size();
  Int(name, wide);
  if (violations_.size() != before) return;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return Violation(name, "integer out of range");
  }
  out = static_cast<int>(wide);
}

void FieldReader::StringList(std::string_view name, std::vector<std::string>& out) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  if (!v->is_array()) return Violation(name, "expected an array of strings");
  std::vector<std::string> values;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return Violation(std::string(name) + "[" + std::to_string(i) + "]", "expected a string");
    }
    values.push_back((*v)[i].get<std::string>());
  }
  out = std::move(values);
}

void FieldReader::Attributes(std::string_view name, core::Attributes& out) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  const char* kShape = "expected an object of string arrays";
  if (!v->is_object()) return Violation(name, kShape);
  core::Attributes attrs;
  for (const auto& [key, values] : v->items()) {
    const std::string field = std::string(name) + "." + key;
    if (!values.is_array()) return Violation(field, "expected an array of strings");
    for (const auto& value : values) {
      if (!value.is_string()) return Violation(field, "expected an array of strings");
      attrs[key].push_back(value.get<std::string>());
    }
  }
  out = std::move(attrs);
}

void FieldReader::Object(std::string_view name, const std::function<void(FieldReader&)>& read) {
  const core::Json* v = Find(name);
  if (v == nullptr) return;
  if (!v->is_object()) return Violation(name, "expected an object");
  FieldReader nested(*v, prefix_ + std::string(name) + ".");
  read(nested);
  for (auto& violation : nested.TakeViolations()) violations_.push_back(std::move(violation));
}

void FieldReader::Ignore(std::string_view name) { known_.emplace(name); }

std::vector<core::FieldViolation> FieldReader::TakeViolations() {
  for (const auto& [key, value] : object_.items()) {
    if (known_.count(key) == 0) Violation(key, "unknown field");
  }
  known_.clear();
  for (const auto& [key, value] : object_.items()) known_.insert(key);  // report each once
  return std::move(violations_);
}

core::ServiceStatus FieldReader::Finish() {
  std::vector<core::FieldViolation> violations = TakeViolations();
  if (violations.empty()) return {};
  std::string detail = "The request body has invalid fields:";
  for (const auto& v : violations) detail += " " + v.field + " (" + v.message + ");";
  detail.pop_back();
  detail += ".";
  return core::InvalidArgument(std::move(detail), std::move(violations));
}

}  // namespace idm::admin
