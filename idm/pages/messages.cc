// Message catalogs. See messages.h.
#include "idm/pages/messages.h"

#include <algorithm>

namespace idm::embedded {
const std::vector<core::EmbeddedFile>& message_catalogs();
}  // namespace idm::embedded

namespace idm::pages {
namespace {

using core::Json;

// True when every leaf of `j` (an object) is a string.
bool OnlyStrings(const Json& j) {
  for (const auto& [key, value] : j.items()) {
    if (value.is_object()) {
      if (!OnlyStrings(value)) return false;
    } else if (!value.is_string()) {
      return false;
    }
  }
  return true;
}

// `base` with every string of `overlay` written over it, recursively.
void Overlay(Json& base, const Json& overlay) {
  for (const auto& [key, value] : overlay.items()) {
    if (value.is_object() && base.contains(key) && base[key].is_object()) {
      Overlay(base[key], value);
    } else {
      base[key] = value;
    }
  }
}

core::Result<std::pair<std::string, Json>, std::string> ParseCatalog(const core::EmbeddedFile& f) {
  std::string_view path = f.path;
  if (path.size() <= 5 || path.substr(path.size() - 5) != ".json") {
    return std::string(path) + ": not a <locale>.json file";
  }
  Json j = Json::parse(f.content.begin(), f.content.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::string(path) + ": invalid JSON";
  if (!j.is_object()) return std::string(path) + ": the top level must be an object";
  if (!OnlyStrings(j)) return std::string(path) + ": every message must be a string";
  return std::make_pair(std::string(path.substr(0, path.size() - 5)), std::move(j));
}

}  // namespace

core::Result<MessageCatalog, std::string> MessageCatalog::FromFiles(
    const std::vector<core::EmbeddedFile>& files) {
  std::map<std::string, Json> parsed;
  for (const core::EmbeddedFile& f : files) {
    IDM_ASSIGN_OR_RETURN(auto entry, ParseCatalog(f));
    parsed.insert_or_assign(std::move(entry.first), std::move(entry.second));
  }
  auto en = parsed.find("en");
  if (en == parsed.end()) return std::string("en.json: missing (English is the fallback)");
  MessageCatalog c;
  c.locales_.push_back("en");
  for (const auto& [locale, texts] : parsed) {
    Json merged = en->second;
    Overlay(merged, texts);
    if (locale != "en") c.locales_.push_back(locale);
    c.merged_.emplace(locale, std::move(merged));
  }
  return c;
}

core::Result<MessageCatalog, std::string> MessageCatalog::Embedded() {
  return FromFiles(embedded::message_catalogs());
}

const core::Json& MessageCatalog::Messages(std::string_view locale) const {
  auto it = merged_.find(locale);
  if (it == merged_.end()) it = merged_.find("en");
  return it->second;
}

std::string MessageCatalog::Text(std::string_view locale, std::string_view key) const {
  const Json* v = &Messages(locale);
  while (!key.empty()) {
    const size_t dot = key.find('.');
    const std::string part(key.substr(0, dot));
    key = dot == std::string_view::npos ? std::string_view() : key.substr(dot + 1);
    if (!v->is_object() || !v->contains(part)) return "";
    v = &(*v)[part];
  }
  return v->is_string() ? v->get<std::string>() : "";
}

}  // namespace idm::pages
