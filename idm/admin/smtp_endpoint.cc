// /admin/api/v1/realms/{realm}/smtp: the realm's outgoing mail server
// (docs/design/019-email-codes-and-smtp.md), and /smtp/test to send a test message. The password
// is write-only, as client secrets are: it is accepted on PUT (absent = keep, "" = remove) and the
// representation only says `has_password`. A failed test send answers 502 problem+json whose
// `smtp_error` names the kind (connection, tls, auth, rejected_recipient, rejected) and `detail`
// the server's answer.
#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/json_fields.h"
#include "idm/admin/problem.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

core::ServiceError MailNotConfigured() {
  return {core::ServiceErrorCode::kUnavailable, "mail is not configured", {}};
}

core::Json ViewToJson(const mail::SmtpView& v) {
  const core::SmtpConfig& c = v.config;
  return {{"host", c.host},
          {"port", c.port},
          {"security", c.security},
          {"username", c.username},
          {"has_password", v.has_password},
          {"from_address", c.from_address},
          {"from_name", c.from_name},
          {"updated_at", c.updated_at}};
}

Result GetSmtp(AdminDeps& deps, const Call& call) {
  if (deps.smtp == nullptr) return MailNotConfigured();
  IDM_ASSIGN_OR_RETURN(mail::SmtpView view, deps.smtp->Get(call.Realm()));
  return JsonResponse(200, ViewToJson(view));
}

Result PutSmtp(AdminDeps& deps, const Call& call) {
  if (deps.smtp == nullptr) return MailNotConfigured();
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  mail::SmtpInput in;
  FieldReader r(body);
  r.String("host", in.host);
  r.Int("port", in.port);
  r.String("security", in.security);
  r.String("username", in.username);
  r.OptionalString("password", in.password);
  r.String("from_address", in.from_address);
  r.String("from_name", in.from_name);
  IDM_TRY(r.Finish());
  IDM_ASSIGN_OR_RETURN(mail::SmtpView view, deps.smtp->Put(call.op, call.Realm(), in));
  return JsonResponse(200, ViewToJson(view));
}

Result DeleteSmtp(AdminDeps& deps, const Call& call) {
  if (deps.smtp == nullptr) return MailNotConfigured();
  IDM_TRY(deps.smtp->Delete(call.op, call.Realm()));
  return NoContent();
}

Result TestSmtp(AdminDeps& deps, const Call& call) {
  if (deps.smtp == nullptr) return MailNotConfigured();
  IDM_ASSIGN_OR_RETURN(core::Json body, JsonBody(call.request));
  std::string to;
  FieldReader r(body);
  r.String("to", to);
  IDM_TRY(r.Finish());
  IDM_ASSIGN_OR_RETURN(std::optional<mail::MailError> failed,
                       deps.smtp->TestSend(call.op, call.Realm(), to));
  if (!failed) return NoContent();
  // RFC 9110 §15.6.3: 502, the upstream (the SMTP server) answered badly or not at all.
  http::WebResponse response = Problem(502, failed->message, call.request.request_id);
  core::Json problem = core::Json::parse(response.body);
  problem["smtp_error"] = mail::MailErrorKindName(failed->kind);
  response.body = problem.dump();
  return response;
}

}  // namespace

std::vector<Route> SmtpRoutes() {
  return {
      {"GET", "/realms/{realm}/smtp", Access::kRealm, GetSmtp},
      {"PUT", "/realms/{realm}/smtp", Access::kRealm, PutSmtp},
      {"DELETE", "/realms/{realm}/smtp", Access::kRealm, DeleteSmtp},
      {"POST", "/realms/{realm}/smtp/test", Access::kRealm, TestSmtp},
  };
}

}  // namespace idm::admin
