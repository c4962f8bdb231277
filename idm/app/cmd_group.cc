// `idm group create|list|get|delete|add-member|remove-member|members`. Groups are named by path
// from the top level ("/engineering/backend").
#include <CLI/CLI.hpp>
#include <memory>

#include "idm/app/cli_support.h"
#include "idm/app/model_json.h"

namespace idm::app {
namespace {

struct GroupArgs {
  std::string realm;
  std::string path;
  std::string username;
};

// "/a/b/c" -> ("/a/b", "c"); "c" -> ("", "c").
std::pair<std::string, std::string> SplitPath(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return {"", p};
  return {p.substr(0, slash), p.substr(slash + 1)};
}

int GroupCreate(Runtime& rt, const GroupArgs& a) {
  auto [parent_path, name] = SplitPath(a.path);
  core::Group draft;
  draft.name = name;
  if (!parent_path.empty() && parent_path != "/") {
    auto parent = FindGroup(rt, a.realm, parent_path);
    if (!parent) return ReportError(parent.error());
    draft.parent_id = parent->id;
  }
  auto g = rt.groups().Create(rt.CliContext(), a.realm, draft);
  return g ? PrintJson(ToJson(*g)) : ReportError(g.error());
}

int GroupList(Runtime& rt, const GroupArgs& a) {
  std::optional<std::string> parent;
  if (!a.path.empty() && a.path != "/") {
    auto g = FindGroup(rt, a.realm, a.path);
    if (!g) return ReportError(g.error());
    parent = g->id;
  }
  store::ListQuery q;
  q.limit = 1000;
  auto page = rt.groups().List(a.realm, parent, q);
  if (!page) return ReportError(page.error());
  core::Json out = core::Json::array();
  for (const core::Group& g : page->items) out.push_back(ToJson(g));
  return PrintJson(out);
}

int Members(Runtime& rt, const GroupArgs& a) {
  auto g = FindGroup(rt, a.realm, a.path);
  if (!g) return ReportError(g.error());
  store::ListQuery q;
  q.limit = 1000;
  auto page = rt.groups().ListMembers(a.realm, g->id, q);
  if (!page) return ReportError(page.error());
  core::Json out = core::Json::array();
  for (const core::User& u : page->items) out.push_back(ToJson(u));
  return PrintJson(out);
}

int Membership(Runtime& rt, const GroupArgs& a, bool add) {
  auto g = FindGroup(rt, a.realm, a.path);
  if (!g) return ReportError(g.error());
  auto u = FindUser(rt, a.realm, a.username);
  if (!u) return ReportError(u.error());
  auto r = add ? rt.groups().AddMember(rt.CliContext(), a.realm, g->id, u->id)
               : rt.groups().RemoveMember(rt.CliContext(), a.realm, g->id, u->id);
  return r ? kExitOk : ReportError(r.error());
}

CLI::App* GroupSub(CLI::App* parent, CliContext& ctx, CommandResult& result,
                   std::shared_ptr<GroupArgs> a, const char* name, const char* help,
                   std::function<int(Runtime&, const GroupArgs&)> fn, bool path_required = true) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--realm,-r", a->realm, "Realm name")->required();
  auto* path = cmd->add_option("path", a->path, "Group path, e.g. /engineering/backend");
  if (path_required) path->required();
  cmd->callback([&ctx, &result, a, fn] {
    RunWithRuntime(ctx, result, false, [a, fn](Runtime& rt) { return fn(rt, *a); });
  });
  return cmd;
}

}  // namespace

void AddGroupCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* group = app.add_subcommand("group", "Manage the (nested) groups of a realm");
  group->require_subcommand(1);
  auto a = std::make_shared<GroupArgs>();
  GroupSub(group, ctx, result, a, "create", "Create a group; its parent is the path's prefix",
           GroupCreate);
  GroupSub(group, ctx, result, a, "list", "List the top-level groups, or the children of a path",
           GroupList, false);
  GroupSub(group, ctx, result, a, "get", "Show one group", [](Runtime& rt, const GroupArgs& x) {
    auto g = FindGroup(rt, x.realm, x.path);
    return g ? PrintJson(ToJson(*g)) : ReportError(g.error());
  });
  GroupSub(group, ctx, result, a, "delete", "Delete a group and its subgroups",
           [](Runtime& rt, const GroupArgs& x) {
             auto g = FindGroup(rt, x.realm, x.path);
             if (!g) return ReportError(g.error());
             auto r = rt.groups().Delete(rt.CliContext(), x.realm, g->id);
             return r ? kExitOk : ReportError(r.error());
           });
  GroupSub(group, ctx, result, a, "members", "List the direct members", Members);
  GroupSub(group, ctx, result, a, "add-member", "Add a user to a group",
           [](Runtime& rt, const GroupArgs& x) { return Membership(rt, x, true); })
      ->add_option("username", a->username, "Username")
      ->required();
  GroupSub(group, ctx, result, a, "remove-member", "Remove a user from a group",
           [](Runtime& rt, const GroupArgs& x) { return Membership(rt, x, false); })
      ->add_option("username", a->username, "Username")
      ->required();
}

}  // namespace idm::app
