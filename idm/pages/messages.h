// MessageCatalog: the localized texts of the server-rendered pages, one JSON object per locale
// (idm/pages/messages/<locale>.json, embedded in the binary). Texts are nested objects of strings
// ({"login": {"title": "..."}}) that templates read as {{msg.login.title}}. English is the
// reference catalog: a key missing from another locale falls back to its English text.
//
// Thread-safety: immutable after construction; safe to share between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/embedded.h"
#include "idm/core/json.h"
#include "idm/core/result.h"

namespace idm::pages {

class MessageCatalog {
 public:
  // Builds catalogs from files named "<locale>.json". Errors (a message naming the file): invalid
  // JSON, a top level that is not an object, a leaf that is not a string, no "en.json".
  static core::Result<MessageCatalog, std::string> FromFiles(
      const std::vector<core::EmbeddedFile>& files);
  // The catalogs compiled into the binary.
  static core::Result<MessageCatalog, std::string> Embedded();

  // Supported locales, "en" first, then the others in name order.
  const std::vector<std::string>& Locales() const { return locales_; }
  // Every text for `locale` with English filling the gaps; English for an unsupported locale.
  const core::Json& Messages(std::string_view locale) const;
  // One text by dotted key ("login.title"); "" when even English lacks it.
  std::string Text(std::string_view locale, std::string_view key) const;

 private:
  std::vector<std::string> locales_;
  std::map<std::string, core::Json, std::less<>> merged_;  // locale → English overlaid by locale
};

}  // namespace idm::pages
