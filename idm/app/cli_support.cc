#include "idm/app/cli_support.h"

#include <iostream>

namespace idm::app {

void RunWithRuntime(const CliContext& ctx, CommandResult& result, bool read_only,
                    const std::function<int(Runtime&)>& body) {
  auto config = ctx.LoadConfig(std::cerr);
  if (!config) {
    result.code = config.error();
    return;
  }
  RuntimeOptions options;
  options.read_only = read_only;
  options.migrate = !read_only;
  auto rt = Runtime::Open(*config, options);
  if (!rt) {
    std::cerr << "idm: " << rt.error().message << "\n";
    result.code = kExitFailure;
    return;
  }
  result.code = body(**rt);
}

int ReportError(const core::ServiceError& error) {
  std::cerr << "idm: " << (error.detail.empty() ? "request failed" : error.detail) << "\n";
  for (const core::FieldViolation& v : error.violations) {
    std::cerr << "  " << v.field << ": " << v.message << "\n";
  }
  return kExitFailure;
}

int PrintJson(const core::Json& j) {
  std::cout << j.dump(2) << "\n";
  return kExitOk;
}

std::optional<std::string> ReadSecretLine() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

core::ServiceResult<core::User> FindUser(Runtime& rt, const std::string& realm,
                                         const std::string& username) {
  return rt.users().GetByUsername(realm, username);
}

core::ServiceResult<core::Client> FindClient(Runtime& rt, const std::string& realm,
                                             const std::string& client_id) {
  return rt.clients().GetByClientId(realm, client_id);
}

core::ServiceResult<core::Group> FindGroup(Runtime& rt, const std::string& realm,
                                           const std::string& path) {
  std::optional<std::string> parent;
  std::optional<core::Group> found;
  size_t pos = path.empty() || path[0] != '/' ? 0 : 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string name = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    pos = slash == std::string::npos ? path.size() + 1 : slash + 1;
    if (name.empty()) continue;
    store::ListQuery q;
    q.prefix = name;
    q.limit = 1000;
    IDM_ASSIGN_OR_RETURN(auto page, rt.groups().List(realm, parent, q));
    found.reset();
    for (core::Group& g : page.items) {
      if (g.name == name) found = std::move(g);
    }
    if (!found) return core::NotFoundError("group " + path + " not found");
    parent = found->id;
  }
  if (!found) return core::NotFoundError("group path is empty");
  return *found;
}

core::ServiceResult<core::Role> FindRole(Runtime& rt, const std::string& realm,
                                         const std::string& client, const std::string& name) {
  std::optional<std::string> client_internal;
  if (!client.empty()) {
    IDM_ASSIGN_OR_RETURN(core::Client c, FindClient(rt, realm, client));
    client_internal = c.id;
  }
  return rt.roles().GetByName(realm, client_internal, name);
}

}  // namespace idm::app
