// CurlMailSender; see curl_mail_sender.h.
#include "idm/mail/curl_mail_sender.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <cstring>
#include <memory>
#include <string>

namespace idm::mail {
namespace {

// libcurl is loaded on the first mail, not at process start (docs/design/019, "Loading libcurl"):
// through its dependencies (GnuTLS, Kerberos, LDAP, RTMP …) linking it made every start map and
// relocate about 25 more shared libraries and keep ~3 MiB of them resident, for a feature most
// processes use rarely or never. The header still comes from libcurl4-openssl-dev, so every
// signature below is checked against it; "libcurl.so.4" is the soname of that ABI.
struct CurlApi {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
  std::string error;  // why libcurl is unusable; "" when it is loaded and initialised
};

template <class Fn>
void Resolve(void* library, const char* name, Fn* fn, std::string* error) {
  *fn = reinterpret_cast<Fn>(dlsym(library, name));
  if (*fn == nullptr && error->empty()) *error = std::string("libcurl.so.4 lacks ") + name;
}

const CurlApi& Curl() {
  static const CurlApi api = [] {
    CurlApi a;
    void* library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* why = dlerror();
      a.error = std::string("cannot load libcurl (package libcurl4): ") + (why ? why : "unknown");
      return a;
    }
    Resolve(library, "curl_global_init", &a.global_init, &a.error);
    Resolve(library, "curl_easy_init", &a.easy_init, &a.error);
    Resolve(library, "curl_easy_setopt", &a.easy_setopt, &a.error);
    Resolve(library, "curl_easy_perform", &a.easy_perform, &a.error);
    Resolve(library, "curl_easy_getinfo", &a.easy_getinfo, &a.error);
    Resolve(library, "curl_easy_strerror", &a.easy_strerror, &a.error);
    Resolve(library, "curl_easy_cleanup", &a.easy_cleanup, &a.error);
    Resolve(library, "curl_slist_append", &a.slist_append, &a.error);
    Resolve(library, "curl_slist_free_all", &a.slist_free_all, &a.error);
    if (a.error.empty() && a.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      a.error = "curl_global_init failed";
    }
    return a;  // the library stays loaded for the life of the process
  }();
  return api;
}

struct Upload {
  const std::string& data;
  size_t offset = 0;
};

size_t ReadBody(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* upload = static_cast<Upload*>(userdata);
  const size_t n = std::min(size * nitems, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// libcurl reports SMTP refusals as CURLE_SEND_ERROR / CURLE_RECV_ERROR with a text such as
// "RCPT failed: 550" in the error buffer; the text and the code together tell the kinds apart.
MailErrorKind KindOf(CURLcode code, const std::string& text) {
  switch (code) {
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return MailErrorKind::kAuth;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return MailErrorKind::kTls;
    default:
      break;
  }
  if (text.find("RCPT") != std::string::npos) return MailErrorKind::kRejectedRecipient;
  if (text.find("MAIL failed") != std::string::npos || text.find("DATA") != std::string::npos) {
    return MailErrorKind::kRejected;
  }
  if (text.find("uthentication") != std::string::npos) return MailErrorKind::kAuth;
  return MailErrorKind::kConnection;
}

struct CurlDeleter {
  void operator()(CURL* c) const { Curl().easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { Curl().slist_free_all(l); }
};

}  // namespace

bool ParseSmtpSecurity(const std::string& text, SmtpSecurity* out) {
  if (text == "none") *out = SmtpSecurity::kNone;
  else if (text == "starttls") *out = SmtpSecurity::kStartTls;
  else if (text == "tls") *out = SmtpSecurity::kTls;
  else return false;
  return true;
}

const char* SmtpSecurityName(SmtpSecurity security) {
  switch (security) {
    case SmtpSecurity::kNone: return "none";
    case SmtpSecurity::kStartTls: return "starttls";
    case SmtpSecurity::kTls: return "tls";
  }
  return "none";
}

const char* MailErrorKindName(MailErrorKind kind) {
  switch (kind) {
    case MailErrorKind::kNotConfigured: return "not_configured";
    case MailErrorKind::kConnection: return "connection";
    case MailErrorKind::kTls: return "tls";
    case MailErrorKind::kAuth: return "auth";
    case MailErrorKind::kRejectedRecipient: return "rejected_recipient";
    case MailErrorKind::kRejected: return "rejected";
  }
  return "connection";
}

CurlMailSender::CurlMailSender(const core::Clock& clock, core::Random& random,
                               core::metrics::Registry* metrics)
    : clock_(clock), random_(random) {
  if (metrics != nullptr) {
    sent_ = &metrics->AddCounter("idm_mail_sent_total", "Mails accepted by the SMTP server.");
    failures_ = &metrics->AddCounter("idm_mail_send_failures_total",
                                     "Mails that could not be sent, by failure kind.", {"kind"});
  }
}

core::Result<void, MailError> CurlMailSender::Send(const SmtpSettings& s,
                                                   const MailMessage& message) const {
  const CurlApi& curl_api = Curl();
  auto fail = [this](MailErrorKind kind, std::string text) -> core::Result<void, MailError> {
    if (failures_ != nullptr) failures_->WithLabels({MailErrorKindName(kind)}).Inc();
    return MailError{kind, std::move(text)};
  };
  if (!IsPlainAddress(message.to) || !IsPlainAddress(message.from_address)) {
    return fail(MailErrorKind::kRejectedRecipient, "not a plain mail address");
  }
  if (!curl_api.error.empty()) return fail(MailErrorKind::kConnection, curl_api.error);
  std::unique_ptr<CURL, CurlDeleter> curl(curl_api.easy_init());
  if (!curl) return fail(MailErrorKind::kConnection, "libcurl could not start");
  const std::string scheme = s.security == SmtpSecurity::kTls ? "smtps://" : "smtp://";
  const std::string url = scheme + s.host + ":" + std::to_string(s.port);
  const std::string text = BuildMessage(message, clock_.NowMillis(), random_);
  const std::string from = "<" + message.from_address + ">";
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(
      curl_api.slist_append(nullptr, ("<" + message.to + ">").c_str()));
  Upload upload{text};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_api.easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_api.easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.timeout_ms));
  curl_api.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout_ms));
  // RFC 3207 / RFC 8314: with STARTTLS the session must become TLS or the send stops (no
  // silent fallback to plain text); the certificate and host name are always verified.
  const long use_ssl = s.security == SmtpSecurity::kNone ? CURLUSESSL_NONE : CURLUSESSL_ALL;
  curl_api.easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  curl_api.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_api.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!s.ca_file.empty()) curl_api.easy_setopt(c, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.username.empty()) {
    curl_api.easy_setopt(c, CURLOPT_USERNAME, s.username.c_str());
    curl_api.easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
  }
  curl_api.easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_api.easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_api.easy_setopt(c, CURLOPT_READFUNCTION, ReadBody);
  curl_api.easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_api.easy_setopt(c, CURLOPT_UPLOAD, 1L);
  const CURLcode code = curl_api.easy_perform(c);
  if (code != CURLE_OK) {
    std::string detail = error[0] != '\0' ? error : curl_api.easy_strerror(code);
    long reply = 0;
    curl_api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    if (reply != 0) detail += " (server reply " + std::to_string(reply) + ")";
    return fail(KindOf(code, detail), detail);
  }
  if (sent_ != nullptr) sent_->WithLabels({}).Inc();
  return {};
}

}  // namespace idm::mail
