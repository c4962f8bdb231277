// `idm role create|list|get|delete|grant|revoke|add-composite|remove-composite`. Roles are realm
// roles, or client roles with --client CLIENT_ID.
#include <CLI/CLI.hpp>
#include <memory>

#include "idm/app/cli_support.h"
#include "idm/app/model_json.h"

namespace idm::app {
namespace {

struct RoleArgs {
  std::string realm;
  std::string client;  // OAuth client_id of the owning client ("" = realm role)
  std::string name;
  std::string description;
  std::string user;   // grant/revoke holder
  std::string group;  // group path
  std::string child;  // composite child (same --client scope)
  std::string child_client;
};

int RoleCreate(Runtime& rt, const RoleArgs& a) {
  core::Role draft;
  draft.name = a.name;
  draft.description = a.description;
  if (!a.client.empty()) {
    auto c = FindClient(rt, a.realm, a.client);
    if (!c) return ReportError(c.error());
    draft.client_id = c->id;
  }
  auto r = rt.roles().Create(rt.CliContext(), a.realm, draft);
  return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
}

int RoleList(Runtime& rt, const RoleArgs& a) {
  std::optional<std::string> client;
  if (!a.client.empty()) {
    auto c = FindClient(rt, a.realm, a.client);
    if (!c) return ReportError(c.error());
    client = c->id;
  }
  store::ListQuery q;
  q.limit = 1000;
  auto page = rt.roles().List(a.realm, client, q);
  if (!page) return ReportError(page.error());
  core::Json out = core::Json::array();
  for (const core::Role& r : page->items) out.push_back(ToJson(r));
  return PrintJson(out);
}

int Mapping(Runtime& rt, const RoleArgs& a, bool grant) {
  if (a.user.empty() == a.group.empty()) {
    return ReportError(core::InvalidArgument("name exactly one of --user and --group"));
  }
  auto role = FindRole(rt, a.realm, a.client, a.name);
  if (!role) return ReportError(role.error());
  core::RoleHolderKind kind = core::RoleHolderKind::kUser;
  std::string holder;
  if (!a.user.empty()) {
    auto u = FindUser(rt, a.realm, a.user);
    if (!u) return ReportError(u.error());
    holder = u->id;
  } else {
    auto g = FindGroup(rt, a.realm, a.group);
    if (!g) return ReportError(g.error());
    kind = core::RoleHolderKind::kGroup;
    holder = g->id;
  }
  auto r = grant ? rt.roles().Grant(rt.CliContext(), a.realm, kind, holder, role->id)
                 : rt.roles().Revoke(rt.CliContext(), a.realm, kind, holder, role->id);
  return r ? kExitOk : ReportError(r.error());
}

int Composite(Runtime& rt, const RoleArgs& a, bool add) {
  auto parent = FindRole(rt, a.realm, a.client, a.name);
  if (!parent) return ReportError(parent.error());
  auto child = FindRole(rt, a.realm, a.child_client, a.child);
  if (!child) return ReportError(child.error());
  auto r = add ? rt.roles().AddComposite(rt.CliContext(), a.realm, parent->id, child->id)
               : rt.roles().RemoveComposite(rt.CliContext(), a.realm, parent->id, child->id);
  return r ? kExitOk : ReportError(r.error());
}

CLI::App* RoleSub(CLI::App* parent, CliContext& ctx, CommandResult& result,
                  std::shared_ptr<RoleArgs> a, const char* name, const char* help,
                  std::function<int(Runtime&, const RoleArgs&)> fn, bool named = true) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--realm,-r", a->realm, "Realm name")->required();
  cmd->add_option("--client", a->client, "client_id of the owning client (client roles)");
  if (named) cmd->add_option("name", a->name, "Role name")->required();
  cmd->callback([&ctx, &result, a, fn] {
    RunWithRuntime(ctx, result, false, [a, fn](Runtime& rt) { return fn(rt, *a); });
  });
  return cmd;
}

void AddHolderFlags(CLI::App* cmd, RoleArgs& a) {
  cmd->add_option("--user", a.user, "Username of the holder");
  cmd->add_option("--group", a.group, "Group path of the holder");
}

void AddChildFlags(CLI::App* cmd, RoleArgs& a) {
  cmd->add_option("child", a.child, "Name of the included role")->required();
  cmd->add_option("--child-client", a.child_client, "client_id owning the included role");
}

}  // namespace

void AddRoleCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* role = app.add_subcommand("role", "Manage realm and client roles and their grants");
  role->require_subcommand(1);
  auto a = std::make_shared<RoleArgs>();
  RoleSub(role, ctx, result, a, "create", "Create a role", RoleCreate)
      ->add_option("--description", a->description, "What holding the role allows");
  RoleSub(role, ctx, result, a, "list", "List realm roles, or a client's roles with --client",
          RoleList, false);
  RoleSub(role, ctx, result, a, "get", "Show one role", [](Runtime& rt, const RoleArgs& x) {
    auto r = FindRole(rt, x.realm, x.client, x.name);
    return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
  });
  RoleSub(role, ctx, result, a, "delete", "Delete a role with its grants",
          [](Runtime& rt, const RoleArgs& x) {
            auto r = FindRole(rt, x.realm, x.client, x.name);
            if (!r) return ReportError(r.error());
            auto d = rt.roles().Delete(rt.CliContext(), x.realm, r->id);
            return d ? kExitOk : ReportError(d.error());
          });
  AddHolderFlags(RoleSub(role, ctx, result, a, "grant", "Grant a role to a user or a group",
                         [](Runtime& rt, const RoleArgs& x) { return Mapping(rt, x, true); }),
                 *a);
  AddHolderFlags(RoleSub(role, ctx, result, a, "revoke", "Revoke a role from a user or a group",
                         [](Runtime& rt, const RoleArgs& x) { return Mapping(rt, x, false); }),
                 *a);
  AddChildFlags(
      RoleSub(role, ctx, result, a, "add-composite", "Make role `name` include role `child`",
              [](Runtime& rt, const RoleArgs& x) { return Composite(rt, x, true); }),
      *a);
  AddChildFlags(
      RoleSub(role, ctx, result, a, "remove-composite", "Stop role `name` including `child`",
              [](Runtime& rt, const RoleArgs& x) { return Composite(rt, x, false); }),
      *a);
}

}  // namespace idm::app
