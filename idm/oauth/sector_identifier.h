// The sector_identifier_uri check of dynamic registration (OpenID Connect Dynamic Client
// Registration 1.0 §2 and §5, OIDC Core §8.1; docs/design/015).
//
// A client that registers a sector_identifier_uri (stored as core::Client::sector_identifier)
// names a JSON document, under the control of its organisation, that lists redirect URIs:
//   - the URI must use https (OIDC Core §8.1, Registration §2);
//   - idm fetches it (GET, no redirects followed, short timeouts, at most kMaxSectorDocumentBytes);
//   - the document must be a JSON array of strings (Registration §5) containing every
//     redirect_uri the client registers (Registration §2: "The values registered in
//     redirect_uris MUST be included in the elements of the array").
// Each registration and each update re-checks it. The host of the URI is then the client's
// sector identifier for pairwise subjects (SubjectFor in claims.h), so clients of one
// organisation that share the document see the same pairwise `sub`.
//
// Failures are invalid_client_metadata (RFC 7591 §3.2.2) with a description naming the problem;
// the description never echoes the fetched body.
//
// Thread-safety: pure apart from the outbound request; safe to call concurrently.
#pragma once

#include <chrono>
#include <cstddef>

#include "idm/core/model.h"
#include "idm/core/result.h"
#include "idm/http/client.h"
#include "idm/oauth/client_metadata.h"

namespace idm::oauth {

inline constexpr size_t kMaxSectorDocumentBytes = 64 * 1024;

struct SectorFetchOptions {
  http::ClientOptions http = [] {
    http::ClientOptions o;
    o.connect_timeout = std::chrono::milliseconds(2'000);
    o.read_timeout = std::chrono::milliseconds(3'000);
    o.write_timeout = std::chrono::milliseconds(3'000);
    o.keep_alive = false;
    return o;
  }();
};

// Checks client.sector_identifier as above; succeeds at once when it is empty.
core::Result<void, MetadataError> CheckSectorIdentifierUri(const core::Client& client,
                                                           const SectorFetchOptions& options);

}  // namespace idm::oauth
