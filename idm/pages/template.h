// Template: a logic-less, Mustache-like template compiled once (at start-up) and rendered many
// times from a JSON context (ARCHITECTURE.md decision 8). The supported subset:
//   {{name}}        the value HTML-escaped (& < > " ' ` = become entities), safe in element text
//                   and in quoted attribute values
//   {{{name}}} and {{&name}}  the value unescaped; only for HTML the server built itself
//   {{#name}}..{{/name}}      a section: once per element of a non-empty array, once with an
//                   object or other truthy value pushed on the context stack
//   {{^name}}..{{/name}}      an inverted section: rendered when name is falsy
//   {{> name}}      a partial (another template of the same TemplateSet)
//   {{! comment}}   ignored
// Names are dotted (`a.b.c`); `.` is the current element. Lookup walks the context stack from the
// innermost frame outward for the first segment, then descends. Unknown names render empty.
// Falsy: missing, null, false, "", []. Numbers render as JSON numbers, booleans as true/false,
// objects and arrays as nothing. Set-delimiter tags are not supported (a parse error).
//
// Thread-safety: immutable after Compile(); Render may run concurrently from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/result.h"

namespace idm::pages {

// A template that failed to load: which one, the 1-based line, and why.
struct TemplateError {
  std::string template_name;
  int line = 0;
  std::string message;

  std::string ToString() const;  // "login.html:12: unclosed section 'scopes'"
};

// One parsed piece of a template.
struct TemplateNode {
  enum class Kind { kText, kEscaped, kRaw, kSection, kInverted, kPartial };
  Kind kind = Kind::kText;
  std::string text;                    // literal text, or the name as written
  std::vector<std::string> path;       // the dotted name split; empty for "."
  std::vector<TemplateNode> children;  // body of a (inverted) section
  int line = 0;
};

class Template {
 public:
  // Parses `source`. Errors: an unterminated tag, an empty name, an unclosed section, a closing
  // tag that does not match the open one (or none is open), a set-delimiter tag.
  static core::Result<Template, TemplateError> Compile(std::string_view name,
                                                       std::string_view source);

  const std::string& name() const { return name_; }
  const std::vector<TemplateNode>& nodes() const { return nodes_; }
  // Names of the partials this template refers to (at any depth).
  std::vector<std::string> Partials() const;

 private:
  std::string name_;
  std::vector<TemplateNode> nodes_;
};

// A set of named templates that may include each other as partials.
class TemplateSet {
 public:
  // Adds or replaces a compiled template under its name.
  void Add(Template t);
  // Checks that every partial named by a template exists and that no template includes itself
  // (directly or through others). Call once after the last Add().
  core::Result<void, TemplateError> Validate() const;
  bool Contains(std::string_view name) const;
  // Renders template `name` against `context`. An unknown name renders "" (Validate() and the
  // callers' fixed page list rule that out).
  std::string Render(std::string_view name, const core::Json& context) const;

 private:
  std::map<std::string, Template, std::less<>> templates_;
};

// HTML-escapes & < > " ' ` = (OWASP XSS Prevention Cheat Sheet rule #1/#2 for text and quoted
// attribute values).
std::string HtmlEscape(std::string_view text);

}  // namespace idm::pages
