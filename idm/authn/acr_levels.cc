// Authentication levels; see acr_levels.h.
#include "idm/authn/acr_levels.h"

#include <algorithm>

#include "idm/core/oidc_model.h"

namespace idm::authn {
namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

int AcrRank(std::string_view acr) {
  if (acr == core::kAcrPwd) return kRankPwd;
  if (acr == core::kAcrMfa) return kRankMfa;
  if (acr == core::kAcrPhishingResistant) return kRankPhishingResistant;
  return 0;
}

std::string AcrName(int rank) {
  switch (rank) {
    case kRankPwd:
      return core::kAcrPwd;
    case kRankMfa:
      return core::kAcrMfa;
    case kRankPhishingResistant:
      return core::kAcrPhishingResistant;
    default:
      return "";
  }
}

std::string AcrForAmr(const std::vector<std::string>& amr) {
  // RFC 8176 §2: "hwk" / "swk" = proof of possession of a hardware- / software-secured key.
  if (Contains(amr, "hwk") || Contains(amr, "swk")) return core::kAcrPhishingResistant;
  // RFC 8176 §2: "mfa" = multiple-factor authentication.
  if (Contains(amr, "mfa")) return core::kAcrMfa;
  return core::kAcrPwd;
}

int SessionRank(const std::string& session_acr) {
  return std::max(kRankPwd, AcrRank(session_acr));
}

AcrRequest ReadAcrRequest(const AuthRequest& request, const std::vector<std::string>& offered) {
  AcrRequest out;
  // OIDC Core §3.1.2.1: acr_values "in order of preference"; the first one offered wins.
  for (const std::string& v : request.acr_values) {
    if (Contains(offered, v) && AcrRank(v) > 0) {
      out.voluntary = AcrRank(v);
      break;
    }
  }
  // OIDC Core §5.5.1.1: an essential acr must be one of the values; with ordered levels the
  // weakest offered value is the bar.
  for (const std::string& v : request.essential_acr) {
    if (!Contains(offered, v) || AcrRank(v) == 0) continue;
    out.essential = out.essential == 0 ? AcrRank(v) : std::min(out.essential, AcrRank(v));
  }
  out.essential_unknown = !request.essential_acr.empty() && out.essential == 0;
  return out;
}

std::string ReportedAcr(const std::string& achieved, const AuthRequest& request) {
  if (request.essential_acr.empty()) return achieved;
  const int rank = AcrRank(achieved);
  int best = 0;
  for (const std::string& v : request.essential_acr) {
    if (AcrRank(v) > best && AcrRank(v) <= rank) best = AcrRank(v);
  }
  return best > 0 ? AcrName(best) : achieved;
}

}  // namespace idm::authn
