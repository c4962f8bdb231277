// Mail templates (idm/mail/templates/<name>.<locale>.txt, embedded in the binary): the text of
// the mails idm sends, in English and Korean. A template is a "Subject: ..." line, an empty line
// and the body; "{{name}}" is replaced by the value of that name (plain text, so nothing is
// escaped; values come from idm, never from HTML). Templates: "email_code" (code, minutes,
// realm, username) and "recovery_code_used" (realm, username, codes_left).
//
// Thread-safety: pure functions over the embedded files.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace idm::mail {

inline constexpr char kDefaultMailLocale[] = "en";

struct RenderedMail {
  std::string subject;
  std::string body;
};

// The first of `preferred` (BCP 47 tags, e.g. from ui_locales or the user's locale; "ko-KR"
// counts as "ko") that has templates, else "en".
std::string ChooseMailLocale(const std::vector<std::string>& preferred);

// The template `name` in `locale` (falling back to English) with the values filled in; nullopt
// when there is no such template.
std::optional<RenderedMail> RenderMail(const std::string& name, const std::string& locale,
                                       const std::map<std::string, std::string>& values);

}  // namespace idm::mail
