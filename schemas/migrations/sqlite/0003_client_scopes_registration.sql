-- 0003_client_scopes_registration (SQLite): per-client scopes with claim mappers,
-- and dynamic client registration (RFC 7591 / RFC 7592). Paired with
-- postgres/0003_client_scopes_registration.sql; identical SQL.
-- docs/design/015-userinfo-claim-mappers-registration-rotation.md explains the choices.
-- Tokens are stored as crypto::HashSecret values only (*_hash columns). Times are Unix ms.

-- core::Client::client_scopes as JSON text (idm/core/client_scopes_json.h).
ALTER TABLE clients ADD COLUMN client_scopes TEXT NOT NULL DEFAULT '[]';

-- Initial access tokens (RFC 7591 §3, "idm_iat_..."), created by an administrator. max_uses 0 =
-- unlimited until expires_at. A registration consumes one use with a conditional UPDATE, so two
-- nodes cannot both take the last use.
CREATE TABLE initial_access_tokens (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  max_uses BIGINT NOT NULL,
  uses BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX initial_access_tokens_realm ON initial_access_tokens(realm_id);

-- Registration access tokens (RFC 7592 §1, "idm_rat_..."): one per dynamically registered client;
-- deleting the client deletes it.
CREATE TABLE client_registrations (
  client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX client_registrations_realm ON client_registrations(realm_id);
