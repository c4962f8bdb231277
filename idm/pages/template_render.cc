// Rendering a TemplateSet against a JSON context. See template.h.
#include <string>
#include <vector>

#include "idm/pages/template.h"

namespace idm::pages {
namespace {

using core::Json;

// Partials nest at most this deep; Validate() already rejects cycles, this bounds templates
// added after it ran.
constexpr int kMaxPartialDepth = 16;

// Mustache name resolution: the first segment is looked up from the innermost frame outward;
// once found, the remaining segments descend from there only. nullptr when missing.
const Json* Lookup(const std::vector<const Json*>& stack, const std::vector<std::string>& path) {
  if (path.empty()) return stack.back();
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    const Json& frame = **it;
    if (!frame.is_object()) continue;
    auto found = frame.find(path[0]);
    if (found == frame.end()) continue;
    const Json* v = &*found;
    for (size_t i = 1; i < path.size(); ++i) {
      if (!v->is_object()) return nullptr;
      auto next = v->find(path[i]);
      if (next == v->end()) return nullptr;
      v = &*next;
    }
    return v;
  }
  return nullptr;
}

bool Truthy(const Json* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) return !v->get_ref<const std::string&>().empty();
  if (v->is_array()) return !v->empty();
  return true;
}

std::string Scalar(const Json* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number()) return v->dump();
  return "";  // null, objects and arrays have no text form
}

class Renderer {
 public:
  Renderer(const std::map<std::string, Template, std::less<>>& templates, std::string* out)
      : templates_(templates), out_(out) {}

  void Nodes(const std::vector<TemplateNode>& nodes, std::vector<const Json*>& stack, int depth) {
    for (const TemplateNode& n : nodes) Node(n, stack, depth);
  }

 private:
  void Node(const TemplateNode& n, std::vector<const Json*>& stack, int depth) {
    switch (n.kind) {
      case TemplateNode::Kind::kText:
        out_->append(n.text);
        return;
      case TemplateNode::Kind::kEscaped:
        out_->append(HtmlEscape(Scalar(Lookup(stack, n.path))));
        return;
      case TemplateNode::Kind::kRaw:
        out_->append(Scalar(Lookup(stack, n.path)));
        return;
      case TemplateNode::Kind::kInverted:
        if (!Truthy(Lookup(stack, n.path))) Nodes(n.children, stack, depth);
        return;
      case TemplateNode::Kind::kSection:
        Section(n, stack, depth);
        return;
      case TemplateNode::Kind::kPartial:
        Partial(n, stack, depth);
        return;
    }
  }

  void Section(const TemplateNode& n, std::vector<const Json*>& stack, int depth) {
    const Json* v = Lookup(stack, n.path);
    if (!Truthy(v)) return;
    if (v->is_array()) {
      for (const Json& item : *v) {
        stack.push_back(&item);
        Nodes(n.children, stack, depth);
        stack.pop_back();
      }
      return;
    }
    stack.push_back(v);
    Nodes(n.children, stack, depth);
    stack.pop_back();
  }

  void Partial(const TemplateNode& n, std::vector<const Json*>& stack, int depth) {
    if (depth >= kMaxPartialDepth) return;
    auto it = templates_.find(n.text);
    if (it == templates_.end()) return;
    Nodes(it->second.nodes(), stack, depth + 1);
  }

  const std::map<std::string, Template, std::less<>>& templates_;
  std::string* out_;
};

}  // namespace

std::string TemplateSet::Render(std::string_view name, const core::Json& context) const {
  std::string out;
  auto it = templates_.find(name);
  if (it == templates_.end()) return out;
  std::vector<const Json*> stack{&context};
  Renderer(templates_, &out).Nodes(it->second.nodes(), stack, 0);
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '`':
        out += "&#96;";
        break;
      case '=':
        out += "&#61;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace idm::pages
