// `idm client create|list|get|regenerate-secret|delete`. A generated secret is printed once.
#include <CLI/CLI.hpp>
#include <memory>

#include "idm/app/cli_support.h"
#include "idm/app/model_json.h"

namespace idm::app {
namespace {

struct ClientArgs {
  std::string realm;
  std::string client_id;
  std::string name;
  bool is_public = false;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> grant_types;
  std::vector<std::string> scopes;
  std::string auth_method;
};

int ClientCreate(Runtime& rt, const ClientArgs& a) {
  core::Client draft;
  draft.client_id = a.client_id;
  draft.name = a.name;
  draft.type = a.is_public ? core::ClientType::kPublic : core::ClientType::kConfidential;
  draft.redirect_uris = a.redirect_uris;
  draft.grant_types = a.grant_types;
  if (draft.grant_types.empty()) {
    draft.grant_types = a.is_public || !a.redirect_uris.empty()
                            ? std::vector<std::string>{"authorization_code", "refresh_token"}
                            : std::vector<std::string>{"client_credentials"};
  }
  draft.scopes = a.scopes;
  draft.token_endpoint_auth_method = !a.auth_method.empty() ? a.auth_method
                                     : a.is_public          ? "none"
                                                            : "client_secret_basic";
  auto r = rt.clients().Create(rt.CliContext(), a.realm, draft);
  if (!r) return ReportError(r.error());
  core::Json out = ToJson(r->client, false);
  if (!r->secret.empty()) out["secret"] = r->secret;  // shown once, never stored in clear
  return PrintJson(out);
}

int ClientList(Runtime& rt, const ClientArgs& a) {
  store::ListQuery q;
  q.limit = 1000;
  auto page = rt.clients().List(a.realm, q);
  if (!page) return ReportError(page.error());
  core::Json out = core::Json::array();
  for (const core::Client& c : page->items) out.push_back(ToJson(c, false));
  return PrintJson(out);
}

int Regenerate(Runtime& rt, const ClientArgs& a) {
  auto c = FindClient(rt, a.realm, a.client_id);
  if (!c) return ReportError(c.error());
  auto secret = rt.clients().RegenerateSecret(rt.CliContext(), a.realm, c->id);
  if (!secret) return ReportError(secret.error());
  return PrintJson(core::Json{{"client_id", c->client_id}, {"secret", *secret}});
}

CLI::App* ClientSub(CLI::App* parent, CliContext& ctx, CommandResult& result,
                    std::shared_ptr<ClientArgs> a, const char* name, const char* help,
                    std::function<int(Runtime&, const ClientArgs&)> fn, bool named = true) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--realm,-r", a->realm, "Realm name")->required();
  if (named) cmd->add_option("client_id", a->client_id, "OAuth client_id")->required();
  cmd->callback([&ctx, &result, a, fn] {
    RunWithRuntime(ctx, result, false, [a, fn](Runtime& rt) { return fn(rt, *a); });
  });
  return cmd;
}

}  // namespace

void AddClientCommands(CLI::App& app, CliContext& ctx, CommandResult& result) {
  CLI::App* client = app.add_subcommand("client", "Manage the OAuth clients of a realm");
  client->require_subcommand(1);
  auto a = std::make_shared<ClientArgs>();
  CLI::App* create =
      ClientSub(client, ctx, result, a, "create",
                "Register a client; a confidential client's secret is printed ONCE", ClientCreate);
  create->add_option("--name", a->name, "Display name");
  create->add_flag("--public", a->is_public,
                   "A public client (browser or native app): no secret, PKCE required");
  create->add_option("--redirect-uri", a->redirect_uris, "Allowed redirect URI (repeatable)");
  create->add_option("--grant-type", a->grant_types,
                     "Allowed grant (repeatable); default client_credentials for a confidential "
                     "client without redirect URIs, else authorization_code + refresh_token");
  create->add_option("--scope", a->scopes, "Scope the client may request (repeatable)");
  create->add_option("--auth-method", a->auth_method,
                     "token_endpoint_auth_method; default client_secret_basic (none if --public)");
  ClientSub(client, ctx, result, a, "list", "List the realm's clients", ClientList, false);
  ClientSub(client, ctx, result, a, "get", "Show one client (never its secret)",
            [](Runtime& rt, const ClientArgs& x) {
              auto c = FindClient(rt, x.realm, x.client_id);
              return c ? PrintJson(ToJson(*c, false)) : ReportError(c.error());
            });
  ClientSub(client, ctx, result, a, "regenerate-secret",
            "Replace the client's secret; the new one is printed ONCE", Regenerate);
  ClientSub(client, ctx, result, a, "delete", "Delete a client and its roles",
            [](Runtime& rt, const ClientArgs& x) {
              auto c = FindClient(rt, x.realm, x.client_id);
              if (!c) return ReportError(c.error());
              auto r = rt.clients().Delete(rt.CliContext(), x.realm, c->id);
              return r ? kExitOk : ReportError(r.error());
            });
}

}  // namespace idm::app
