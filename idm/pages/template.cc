// Template parsing and rendering. See template.h.
#include "idm/pages/template.h"

#include <functional>
#include <set>

namespace idm::pages {
namespace {

using core::Json;
using Error = TemplateError;

std::string_view TrimBlank(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

int CountLines(std::string_view s) {
  int n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Splits a dotted name; nullopt-like failure is reported as false.
bool SplitName(std::string_view name, std::vector<std::string>* path) {
  if (name == ".") return true;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    std::string_view seg = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (seg.empty()) return false;
    for (char c : seg) {
      if (!IsNameChar(c)) return false;
    }
    path->emplace_back(seg);
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// One tag as read from the source.
struct Tag {
  char sigil = 0;  // 0 for a variable, else one of # ^ / > & ! {
  std::string name;
  size_t end = 0;  // position just after the closing braces
};

core::Result<Tag, Error> ReadTag(std::string_view src, size_t open, int line,
                                 std::string_view tname) {
  auto fail = [&](std::string msg) { return Error{std::string(tname), line, std::move(msg)}; };
  const bool triple = src.substr(open, 3) == "{{{";
  const std::string_view closer = triple ? "}}}" : "}}";
  const size_t body = open + (triple ? 3 : 2);
  const size_t close = src.find(closer, body);
  if (close == std::string_view::npos) return fail("unterminated tag");
  Tag tag;
  tag.end = close + closer.size();
  std::string_view inner = TrimBlank(src.substr(body, close - body));
  if (triple) {
    tag.sigil = '{';
  } else if (!inner.empty() &&
             std::string_view("#^/>&!=").find(inner.front()) != std::string_view::npos) {
    tag.sigil = inner.front();
    inner = TrimBlank(inner.substr(1));
  }
  if (tag.sigil == '!') return tag;
  if (tag.sigil == '=') return fail("set-delimiter tags are not supported");
  if (inner.empty()) return fail("empty tag name");
  tag.name = std::string(inner);
  return tag;
}

struct Frame {
  std::vector<TemplateNode>* nodes;
  std::string name;
  int line;
};

TemplateNode::Kind KindOf(char sigil) {
  switch (sigil) {
    case '#':
      return TemplateNode::Kind::kSection;
    case '^':
      return TemplateNode::Kind::kInverted;
    case '>':
      return TemplateNode::Kind::kPartial;
    case '&':
    case '{':
      return TemplateNode::Kind::kRaw;
    default:
      return TemplateNode::Kind::kEscaped;
  }
}

// Applies one tag to the open-section stack.
core::Result<void, Error> ApplyTag(const Tag& tag, int line, std::string_view tname,
                                   std::vector<Frame>& stack) {
  auto fail = [&](std::string msg) { return Error{std::string(tname), line, std::move(msg)}; };
  if (tag.sigil == '!') return {};
  if (tag.sigil == '/') {
    if (stack.size() == 1) return fail("closing tag '" + tag.name + "' without an open section");
    if (stack.back().name != tag.name) {
      return fail("closing tag '" + tag.name + "' does not match section '" + stack.back().name +
                  "' opened on line " + std::to_string(stack.back().line));
    }
    stack.pop_back();
    return {};
  }
  TemplateNode node;
  node.kind = KindOf(tag.sigil);
  node.text = tag.name;
  node.line = line;
  if (!SplitName(tag.name, &node.path)) return fail("invalid name '" + tag.name + "'");
  std::vector<TemplateNode>* nodes = stack.back().nodes;
  nodes->push_back(std::move(node));
  if (tag.sigil == '#' || tag.sigil == '^') {
    stack.push_back(Frame{&nodes->back().children, tag.name, line});
  }
  return {};
}

void CollectPartials(const std::vector<TemplateNode>& nodes, std::set<std::string>* out) {
  for (const TemplateNode& n : nodes) {
    if (n.kind == TemplateNode::Kind::kPartial) out->insert(n.text);
    CollectPartials(n.children, out);
  }
}

}  // namespace

std::string TemplateError::ToString() const {
  return template_name + ":" + std::to_string(line) + ": " + message;
}

core::Result<Template, TemplateError> Template::Compile(std::string_view name,
                                                        std::string_view source) {
  Template t;
  t.name_ = std::string(name);
  std::vector<Frame> stack{Frame{&t.nodes_, "", 0}};
  int line = 1;
  size_t pos = 0;
  while (pos < source.size()) {
    const size_t open = source.find("{{", pos);
    std::string_view text = source.substr(pos, open == std::string_view::npos ? open : open - pos);
    if (!text.empty()) {
      stack.back().nodes->push_back(
          TemplateNode{TemplateNode::Kind::kText, std::string(text), {}, {}, line});
      line += CountLines(text);
    }
    if (open == std::string_view::npos) break;
    IDM_ASSIGN_OR_RETURN(Tag tag, ReadTag(source, open, line, name));
    IDM_TRY(ApplyTag(tag, line, name, stack));
    line += CountLines(source.substr(open, tag.end - open));
    pos = tag.end;
  }
  if (stack.size() > 1) {
    return TemplateError{t.name_, stack.back().line,
                         "unclosed section '" + stack.back().name + "'"};
  }
  return t;
}

std::vector<std::string> Template::Partials() const {
  std::set<std::string> names;
  CollectPartials(nodes_, &names);
  return {names.begin(), names.end()};
}

void TemplateSet::Add(Template t) {
  std::string name = t.name();
  templates_.insert_or_assign(std::move(name), std::move(t));
}

bool TemplateSet::Contains(std::string_view name) const {
  return templates_.find(name) != templates_.end();
}

core::Result<void, TemplateError> TemplateSet::Validate() const {
  // Depth-first search over the "includes" graph; a grey node reached again is a cycle.
  std::map<std::string, int> colour;  // 0 white, 1 grey, 2 black
  std::function<core::Result<void, TemplateError>(const Template&)> visit =
      [&](const Template& t) -> core::Result<void, TemplateError> {
    colour[t.name()] = 1;
    for (const std::string& p : t.Partials()) {
      auto it = templates_.find(p);
      if (it == templates_.end()) return TemplateError{t.name(), 0, "unknown partial '" + p + "'"};
      if (colour[p] == 1) return TemplateError{t.name(), 0, "partial '" + p + "' includes itself"};
      if (colour[p] == 0) IDM_TRY(visit(it->second));
    }
    colour[t.name()] = 2;
    return {};
  };
  for (const auto& [name, t] : templates_) {
    if (colour[name] == 0) IDM_TRY(visit(t));
  }
  return {};
}

}  // namespace idm::pages
