// RFC 7591 §3 client registration and RFC 7592 §2 client configuration endpoints.
#include "idm/oauth/registration_endpoint.h"

#include "idm/core/log.h"
#include "idm/oauth/bearer_token.h"
#include "idm/oauth/client_metadata.h"
#include "idm/oauth/issuer.h"

namespace idm::oauth {
namespace {

http::WebResponse RegistrationNoStore(http::WebResponse r) {
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

http::WebResponse ErrorBody(int status, const std::string& error, const std::string& description) {
  core::Json body = {{"error", error}};
  if (!description.empty()) body["error_description"] = description;
  return RegistrationNoStore(http::WebResponse::Json(status, body.dump()));
}

// RFC 7591 §3.2.2: metadata errors; invalid_redirect_uri when a redirect URI is at fault.
http::WebResponse MetadataErrorResponse(const core::ServiceError& e) {
  std::string error = "invalid_client_metadata";
  std::string description = e.detail;
  for (const core::FieldViolation& v : e.violations) {
    if (v.field.rfind("redirect_uris", 0) == 0) error = "invalid_redirect_uri";
  }
  if (!e.violations.empty()) {
    const core::FieldViolation& first = e.violations.front();
    description = first.field + ": " + first.message;
    for (const core::FieldViolation& v : e.violations) {
      if (v.field.rfind("redirect_uris", 0) == 0) description = v.field + ": " + v.message;
    }
  }
  return ErrorBody(400, error, description);
}

// The one mapping of service errors for both endpoints.
http::WebResponse FromService(const core::ServiceError& e, const std::string& realm) {
  switch (e.code) {
    case core::ServiceErrorCode::kInvalidArgument:
      return MetadataErrorResponse(e);
    case core::ServiceErrorCode::kUnauthenticated:
      return BearerErrorResponse({BearerErrorCode::kInvalidToken, e.detail, ""}, realm);
    case core::ServiceErrorCode::kPermissionDenied:
      return ErrorBody(403, "access_denied", e.detail);
    case core::ServiceErrorCode::kNotFound:
      return ErrorBody(404, "not_found", e.detail);
    case core::ServiceErrorCode::kUnavailable:
      return ErrorBody(503, "temporarily_unavailable", "try again later");
    default:
      core::log::Error("client registration failed: " + e.detail);
      return ErrorBody(500, "server_error", "");
  }
}

// The JSON body of a registration or update request.
core::Result<core::Json, http::WebResponse> JsonBody(const http::WebRequest& request) {
  if (request.ContentType() != "application/json") {
    return core::Err(ErrorBody(400, "invalid_client_metadata",
                               "the request body must be application/json (RFC 7591 §3.1)"));
  }
  core::Json body = core::Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return core::Err(ErrorBody(400, "invalid_client_metadata", "the body is not a JSON object"));
  }
  return body;
}

// RFC 7592 §2: the registration access token from the Authorization header.
core::Result<std::string, http::WebResponse> RegistrationToken(const http::WebRequest& request,
                                                               const std::string& realm) {
  auto token = ReadBearerToken(request, /*allow_form_body=*/false);
  if (!token) return core::Err(BearerErrorResponse(token.error(), realm));
  if (!*token) return core::Err(BearerErrorResponse({BearerErrorCode::kNone, "", ""}, realm));
  return **token;
}

}  // namespace

core::OpContext RegistrationEndpoint::Context(const http::WebRequest& request,
                                              const std::string& actor) const {
  core::UnixMillis now = request.received_at != 0 ? request.received_at : clock_.NowMillis();
  return core::OpContext{actor, request.remote_addr, request.request_id, now};
}

std::string RegistrationEndpoint::ClientUri(const std::string& realm,
                                            const std::string& client_id) const {
  return IssuerOf(public_url_, realm) + std::string(kClientRegistrationPath) + "/" + client_id;
}

// RFC 7592 §3: the client information response of a read or update carries the metadata, the
// registration_client_uri and the (new) registration_access_token.
http::WebResponse RegistrationEndpoint::ConfigurationResponse(
    const std::string& realm, const realm::RegisteredClient& registered) const {
  core::Json out = MetadataOf(registered.client);
  out["registration_access_token"] = registered.registration_access_token;
  out["registration_client_uri"] = ClientUri(realm, registered.client.client_id);
  return RegistrationNoStore(http::WebResponse::Json(200, out.dump()));
}

http::WebResponse RegistrationEndpoint::Register(const http::WebRequest& request) const {
  std::string realm = request.PathParam("realm");
  // RFC 7591 §3: the initial access token, when sent, is a bearer token (RFC 6750 §2.1).
  auto token = ReadBearerToken(request, /*allow_form_body=*/false);
  if (!token) return BearerErrorResponse(token.error(), realm);
  auto body = JsonBody(request);
  if (!body) return body.error();
  core::Client draft;
  if (auto applied = ApplyMetadata(*body, draft); !applied) {
    return ErrorBody(400, applied.error().error, applied.error().description);
  }
  if (auto sector = CheckSectorIdentifierUri(draft, sector_); !sector) {
    return ErrorBody(400, sector.error().error, sector.error().description);
  }
  draft.consent_required = true;  // a dynamically registered client is never first-party
  auto registered = registrations_.Register(Context(request, "registration"), realm, draft, *token);
  if (!registered) return FromService(registered.error(), realm);
  core::Json out = MetadataOf(registered->client);
  if (!registered->client_secret.empty()) {
    out["client_secret"] = registered->client_secret;
    out["client_secret_expires_at"] = 0;  // RFC 7591 §3.2.1: 0 = does not expire
  }
  out["registration_access_token"] = registered->registration_access_token;
  out["registration_client_uri"] = ClientUri(realm, registered->client.client_id);
  http::WebResponse r = RegistrationNoStore(http::WebResponse::Json(201, out.dump()));
  r.SetHeader("Location", ClientUri(realm, registered->client.client_id));
  return r;
}

http::WebResponse RegistrationEndpoint::Read(const http::WebRequest& request) const {
  std::string realm = request.PathParam("realm");
  auto token = RegistrationToken(request, realm);
  if (!token) return token.error();
  std::string client_id = request.PathParam("client_id");
  auto read =
      registrations_.Read(Context(request, "client:" + client_id), realm, client_id, *token);
  if (!read) return FromService(read.error(), realm);
  return ConfigurationResponse(realm, *read);
}

http::WebResponse RegistrationEndpoint::Update(const http::WebRequest& request) const {
  std::string realm = request.PathParam("realm");
  std::string client_id = request.PathParam("client_id");
  auto token = RegistrationToken(request, realm);
  if (!token) return token.error();
  auto current = registrations_.Authorize(realm, client_id, *token);
  if (!current) return FromService(current.error(), realm);
  auto body = JsonBody(request);
  if (!body) return body.error();
  // RFC 7592 §2.2: the body carries client_id, equal to the one being updated; omitted
  // metadata is reset (the request replaces the registration).
  auto named = body->find("client_id");
  if (named == body->end() || !named->is_string() || named->get<std::string>() != client_id) {
    return ErrorBody(400, "invalid_client_metadata", "client_id must equal the registered one");
  }
  core::Client changes = *current;
  if (auto applied = ApplyMetadata(*body, changes); !applied) {
    return ErrorBody(400, applied.error().error, applied.error().description);
  }
  if (auto sector = CheckSectorIdentifierUri(changes, sector_); !sector) {
    return ErrorBody(400, sector.error().error, sector.error().description);
  }
  auto updated = registrations_.Update(Context(request, "client:" + client_id), realm, client_id,
                                       *token, changes);
  if (!updated) return FromService(updated.error(), realm);
  return ConfigurationResponse(realm, *updated);
}

http::WebResponse RegistrationEndpoint::Delete(const http::WebRequest& request) const {
  std::string realm = request.PathParam("realm");
  std::string client_id = request.PathParam("client_id");
  auto token = RegistrationToken(request, realm);
  if (!token) return token.error();
  auto deleted =
      registrations_.Delete(Context(request, "client:" + client_id), realm, client_id, *token);
  if (!deleted) return FromService(deleted.error(), realm);
  return RegistrationNoStore(http::WebResponse::Text(204, ""));  // RFC 7592 §2.3
}

}  // namespace idm::oauth
