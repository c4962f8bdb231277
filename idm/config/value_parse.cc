#include "idm/config/value_parse.h"

#include <charconv>

namespace idm::config {
namespace {

std::string Join(const std::vector<std::string_view>& values) {
  std::string out;
  for (std::string_view v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

}  // namespace

core::Result<void, std::string> ApplyInt(const Option& option, int64_t value, Config& config) {
  auto* field = std::get_if<int64_t Config::*>(&option.field);
  if (field == nullptr) return core::Err(std::string(option.name) + ": expected a string");
  if (value < option.min || value > option.max) {
    return core::Err(std::string(option.name) + ": " + std::to_string(value) +
                     " is out of range [" + std::to_string(option.min) + ", " +
                     std::to_string(option.max) + "]");
  }
  config.*(*field) = value;
  return {};
}

core::Result<void, std::string> ApplyText(const Option& option, const std::string& text,
                                          Config& config) {
  if (option.type == OptionType::kInt) {
    int64_t v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || ptr != end) {
      return core::Err(std::string(option.name) + ": expected an integer, got \"" + text + "\"");
    }
    return ApplyInt(option, v, config);
  }
  auto* field = std::get_if<std::string Config::*>(&option.field);
  if (field == nullptr) return core::Err(std::string(option.name) + ": expected an integer");
  if (option.type == OptionType::kEnum) {
    bool known = false;
    for (std::string_view a : option.allowed) known = known || a == text;
    if (!known) {
      return core::Err(std::string(option.name) + ": expected one of " + Join(option.allowed) +
                       ", got \"" + text + "\"");
    }
  }
  config.*(*field) = text;
  return {};
}

}  // namespace idm::config
