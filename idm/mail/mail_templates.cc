// Mail templates; see mail_templates.h.
#include "idm/mail/mail_templates.h"

#include "idm/core/embedded.h"

namespace idm::embedded {
const std::vector<core::EmbeddedFile>& mail_templates();  // idm_embed (CMakeLists.txt)
}  // namespace idm::embedded

namespace idm::mail {
namespace {

std::optional<std::string> Find(const std::string& path) {
  for (const core::EmbeddedFile& f : embedded::mail_templates()) {
    if (f.path == path) return std::string(f.content);
  }
  return std::nullopt;
}

std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("{{", i);
    const size_t close = open == std::string::npos ? open : text.find("}}", open);
    if (close == std::string::npos) break;
    out += text.substr(i, open - i);
    auto it = values.find(text.substr(open + 2, close - open - 2));
    if (it != values.end()) out += it->second;
    i = close + 2;
  }
  if (i < text.size()) out += text.substr(i);
  return out;
}

}  // namespace

std::string ChooseMailLocale(const std::vector<std::string>& preferred) {
  for (const std::string& tag : preferred) {
    const std::string lang = tag.substr(0, tag.find_first_of("-_"));
    if (Find("email_code." + lang + ".txt")) return lang;
  }
  return kDefaultMailLocale;
}

std::optional<RenderedMail> RenderMail(const std::string& name, const std::string& locale,
                                       const std::map<std::string, std::string>& values) {
  std::optional<std::string> text = Find(name + "." + locale + ".txt");
  if (!text) text = Find(name + "." + kDefaultMailLocale + ".txt");
  if (!text || text->rfind("Subject: ", 0) != 0) return std::nullopt;
  const size_t eol = text->find('\n');
  if (eol == std::string::npos) return std::nullopt;
  RenderedMail out;
  out.subject = Fill(text->substr(9, eol - 9), values);
  size_t body = eol + 1;
  if (body < text->size() && (*text)[body] == '\n') ++body;  // the empty line
  out.body = Fill(text->substr(body), values);
  return out;
}

}  // namespace idm::mail
