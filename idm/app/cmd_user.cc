// `idm user create|list|get|update|set-password|delete|groups|roles|unlock|reset-mfa`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "idm/app/cli_support.h"
#include "idm/app/model_json.h"
#include "idm/authn/consent_service.h"
#include "idm/authn/mfa_admin_service.h"
#include "idm/rbac/effective_roles.h"

namespace idm::app {
namespace {

struct UserArgs {
  std::string realm;
  std::string username;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::optional<bool> enabled;
  bool password_stdin = false;
  std::string prefix;
  std::string cursor;
  int limit = 100;
};

void AddRealmAndUser(CLI::App* cmd, UserArgs& a) {
  cmd->add_option("--realm,-r", a.realm, "Realm name")->required();
  cmd->add_option("username", a.username, "Username")->required();
}

void AddProfileFlags(CLI::App* cmd, UserArgs& a) {
  cmd->add_option("--email", a.email, "Email address");
  cmd->add_option("--first-name", a.first_name, "Given name");
  cmd->add_option("--last-name", a.last_name, "Family name");
  cmd->add_option("--enabled", a.enabled, "true or false: a disabled user cannot sign in");
}

void ApplyProfile(const UserArgs& a, core::User& u) {
  if (!a.email.empty()) u.email = a.email;
  if (!a.first_name.empty()) u.first_name = a.first_name;
  if (!a.last_name.empty()) u.last_name = a.last_name;
  if (a.enabled) u.enabled = *a.enabled;
}

int UserCreate(Runtime& rt, const UserArgs& a) {
  core::User draft;
  draft.username = a.username;
  ApplyProfile(a, draft);
  std::optional<std::string> password;
  if (a.password_stdin) {
    password = ReadSecretLine();
    if (!password) return ReportError(core::InvalidArgument("no password on standard input"));
  }
  auto r = rt.users().Create(rt.CliContext(), a.realm, draft, password);
  return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
}

int UserList(Runtime& rt, const UserArgs& a) {
  store::ListQuery q{a.prefix, a.cursor, a.limit};
  auto page = rt.users().List(a.realm, q);
  if (!page) return ReportError(page.error());
  core::Json items = core::Json::array();
  for (const core::User& u : page->items) items.push_back(ToJson(u));
  return PrintJson(core::Json{{"items", items}, {"next_cursor", page->next_cursor}});
}

int Update(Runtime& rt, const UserArgs& a) {
  auto user = FindUser(rt, a.realm, a.username);
  if (!user) return ReportError(user.error());
  core::User changes = *user;
  ApplyProfile(a, changes);
  auto r = rt.users().Update(rt.CliContext(), a.realm, user->id, changes, user->version);
  return r ? PrintJson(ToJson(*r)) : ReportError(r.error());
}

int SetPassword(Runtime& rt, const UserArgs& a) {
  auto user = FindUser(rt, a.realm, a.username);
  if (!user) return ReportError(user.error());
  if (!a.password_stdin) std::cerr << "New password (one line on standard input): " << std::flush;
  auto password = ReadSecretLine();
  if (!password) return ReportError(core::InvalidArgument("no password on standard input"));
  auto r = rt.users().SetPassword(rt.CliContext(), a.realm, user->id, *password);
  return r ? kExitOk : ReportError(r.error());
}

int Roles(Runtime& rt, const UserArgs& a) {
  auto user = FindUser(rt, a.realm, a.username);
  if (!user) return ReportError(user.error());
  auto set = rbac::EffectiveRoles(rt.store(), a.realm, user->id);
  if (!set) return ReportError(set.error());
  return PrintJson(
      core::Json{{"realm_roles", set->realm_roles}, {"client_roles", set->client_roles}});
}

int Groups(Runtime& rt, const UserArgs& a) {
  auto user = FindUser(rt, a.realm, a.username);
  if (!user) return ReportError(user.error());
  auto groups = rt.groups().ListUserGroups(a.realm, user->id);
  if (!groups) return ReportError(groups.error());
  core::Json out = core::Json::array();
  for (const core::Group& g : *groups) out.push_back(ToJson(g));
  return PrintJson(out);
}

// Lifts the user's brute-force lock (docs/design/013); writes UserUnlocked.
int Unlock(Runtime& rt, const UserArgs& a) {
  auto user = FindUser(rt, a.realm, a.username);
  if (!user) return ReportError(user.error());
  authn::LockoutService lockouts(rt.store(), rt.random());
  auto r = lockouts.Unlock(rt.CliContext(), a.realm, user->id);
  return r ? kExitOk : ReportError(r.error());
}

// Removes every second factor of the user (docs/design/017), for a lost device; writes MfaReset.
// Prints {"credentials_removed": n}.
int ResetMfa(Runtime& rt, const UserArgs& a) {
  auto user = FindUser(rt, a.realm, a.username);
  if (!user) return ReportError(user.error());
  authn::MfaAdminService mfa(rt.store(), rt.random());
  auto n = mfa.Reset(rt.CliContext(), a.realm, user->id);
  if (!n) return ReportError(n.error());
  return PrintJson(core::Json{{"credentials_removed", *n}});
}

// Registers `idm user <name>` running fn with the parsed arguments.
CLI::App* UserSub(CLI::App* parent, CliContext& ctx, CommandResult& result,
                  std::shared_ptr<UserArgs> a, const char* name, const char* help, bool read_only,
                  int (*fn)(Runtime&, const UserArgs&)) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->callback([&ctx, &result, a, read_only, fn] {
    RunWithRuntime(ctx, result, read_only, [a, fn](Runtime& rt) { return fn(rt, *a); });
  });
  return cmd;
}

}  // namespace

void AddUserCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* user = app.add_subcommand("user", "Manage the users of a realm");
  user->require_subcommand(1);
  auto a = std::make_shared<UserArgs>();

  CLI::App* create =
      UserSub(user, ctx, result, a, "create",
              "Create a user; with --password-stdin, its first password", false, UserCreate);
  AddRealmAndUser(create, *a);
  AddProfileFlags(create, *a);
  create->add_flag("--password-stdin", a->password_stdin,
                   "Read the password from the first line of standard input (never a flag: "
                   "flags show in process listings)");

  CLI::App* list = UserSub(user, ctx, result, a, "list", "List users (JSON page)", false, UserList);
  list->add_option("--realm,-r", a->realm, "Realm name")->required();
  list->add_option("--prefix", a->prefix, "Case-insensitive prefix of username, email or names");
  list->add_option("--cursor", a->cursor, "next_cursor of the previous page");
  list->add_option("--limit", a->limit, "Page size, 1..1000")->capture_default_str();

  CLI::App* get = UserSub(user, ctx, result, a, "get", "Show one user", false,
                          [](Runtime& rt, const UserArgs& x) {
                            auto u = FindUser(rt, x.realm, x.username);
                            return u ? PrintJson(ToJson(*u)) : ReportError(u.error());
                          });
  AddRealmAndUser(get, *a);

  CLI::App* update =
      UserSub(user, ctx, result, a, "update", "Change a user's profile", false, Update);
  AddRealmAndUser(update, *a);
  AddProfileFlags(update, *a);

  CLI::App* pw = UserSub(user, ctx, result, a, "set-password",
                         "Set a user's password, read from standard input", false, SetPassword);
  AddRealmAndUser(pw, *a);
  pw->add_flag("--password-stdin", a->password_stdin, "Do not prompt (for scripts)");

  CLI::App* del = UserSub(user, ctx, result, a, "delete", "Delete a user", false,
                          [](Runtime& rt, const UserArgs& x) {
                            auto u = FindUser(rt, x.realm, x.username);
                            if (!u) return ReportError(u.error());
                            auto r = rt.users().Delete(rt.CliContext(), x.realm, u->id);
                            return r ? kExitOk : ReportError(r.error());
                          });
  AddRealmAndUser(del, *a);

  AddRealmAndUser(
      UserSub(user, ctx, result, a, "groups", "Groups the user is directly in", false, Groups), *a);
  AddRealmAndUser(UserSub(user, ctx, result, a, "roles",
                          "Effective roles (through groups and composites)", false, Roles),
                  *a);
  AddRealmAndUser(UserSub(user, ctx, result, a, "unlock",
                          "Lift the user's brute-force lock after failed sign-ins", false, Unlock),
                  *a);
  AddRealmAndUser(
      UserSub(user, ctx, result, a, "reset-mfa",
              "Remove all of the user's second factors (authenticators, recovery codes)", false,
              ResetMfa),
      *a);
}

}  // namespace idm::app
