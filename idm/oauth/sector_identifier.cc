// OIDC Dynamic Client Registration 1.0 §5: the sector_identifier_uri document; see
// sector_identifier.h.
#include "idm/oauth/sector_identifier.h"

#include <algorithm>
#include <string>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/log.h"
#include "idm/oauth/redirect_uri.h"

namespace idm::oauth {
namespace {

using MetadataStatus = core::Result<void, MetadataError>;

MetadataError InvalidSector(std::string description) {
  return {"invalid_client_metadata", "sector_identifier_uri: " + std::move(description)};
}

// The document at `uri` (an https URI with a host), or an error saying why there is none.
core::Result<std::string, MetadataError> Fetch(const std::string& uri, const UriParts& parts,
                                               const SectorFetchOptions& options) {
  std::string origin = parts.scheme + "://" + parts.host;
  if (!parts.port.empty()) origin += ":" + parts.port;
  std::string target = parts.path_and_query.empty() ? "/" : parts.path_and_query;
  http::Client client(origin, options.http);
  auto response = client.Get(target, {{"Accept", "application/json"}});
  if (!response) {
    core::log::Warn("registration: sector_identifier_uri fetch failed",
                    {{"sector_identifier_uri", uri}, {"error", response.error().message}});
    return core::Err(InvalidSector("could not be fetched"));
  }
  if (response->status != 200) {
    return core::Err(InvalidSector("could not be fetched (HTTP status " +
                                   std::to_string(response->status) + ")"));
  }
  if (response->body.size() > kMaxSectorDocumentBytes) {
    return core::Err(InvalidSector("the document is larger than 64 KiB"));
  }
  return std::move(response->body);
}

}  // namespace

MetadataStatus CheckSectorIdentifierUri(const core::Client& client,
                                        const SectorFetchOptions& options) {
  const std::string& uri = client.sector_identifier;
  if (uri.empty()) return {};
  // OIDC Core §8.1: "The sector_identifier_uri MUST use the https scheme".
  std::optional<UriParts> parts = SplitUri(uri);
  if (!parts || parts->scheme != "https" || !parts->has_authority || parts->host.empty() ||
      parts->has_fragment) {
    return core::Err(InvalidSector("must be an https URL without a fragment (OIDC Core §8.1)"));
  }
  auto body = Fetch(uri, *parts, options);
  if (!body) return core::Err(body.error());
  // Registration §5: "a JSON array of redirect_uri values".
  core::Json doc = core::Json::parse(*body, nullptr, /*allow_exceptions=*/false);
  bool strings =
      !doc.is_discarded() && doc.is_array() &&
      std::all_of(doc.begin(), doc.end(), [](const core::Json& v) { return v.is_string(); });
  if (!strings) return core::Err(InvalidSector("the document is not a JSON array of strings"));
  std::vector<std::string> listed = doc.get<std::vector<std::string>>();
  // Registration §2: every registered redirect_uri must be among the array's elements.
  for (const std::string& redirect : client.redirect_uris) {
    if (std::find(listed.begin(), listed.end(), redirect) == listed.end()) {
      return core::Err(InvalidSector("the document does not list the redirect URI " + redirect));
    }
  }
  return {};
}

}  // namespace idm::oauth
