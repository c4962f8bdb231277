-- 0002_oidc (PostgreSQL): OpenID Connect provider state (idm/core/oidc_model.h) and the OIDC client
-- settings. Paired with sqlite/0002_oidc.sql; identical SQL (no column here is a sort key that
-- needs COLLATE "C": lists sort in C++ or by numbers).
-- docs/design/010-oidc-state-storage.md explains the choices. Secrets are stored as
-- crypto::HashSecret values only (*_hash columns). Times are Unix ms, 0 = not set.
-- client_id columns reference clients(id) (the internal id), so deleting a client, user or realm
-- deletes the state that belongs to it.

ALTER TABLE clients ADD COLUMN require_pkce BIGINT NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN consent_required BIGINT NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN id_token_signed_response_alg TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN subject_type TEXT NOT NULL DEFAULT 'public';
ALTER TABLE clients ADD COLUMN sector_identifier TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN jwks TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN jwks_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN frontchannel_logout_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN backchannel_logout_session_required BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN default_scopes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN access_token_ttl_s BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN refresh_token_ttl_s BIGINT NOT NULL DEFAULT 0;

CREATE TABLE sso_sessions (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  session_hash TEXT NOT NULL UNIQUE,
  auth_time BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  absolute_expires_at BIGINT NOT NULL,
  acr TEXT NOT NULL,
  amr TEXT NOT NULL,                  -- JSON array
  created_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL
);
CREATE INDEX sso_sessions_user ON sso_sessions(user_id);
CREATE INDEX sso_sessions_realm ON sso_sessions(realm_id);
CREATE INDEX sso_sessions_idle ON sso_sessions(idle_expires_at);

-- The clients that took part in a session (logout fan-out). A row per client, so two nodes adding
-- clients to one session at once both win (no read-modify-write of a list).
CREATE TABLE sso_session_clients (
  session_id TEXT NOT NULL REFERENCES sso_sessions(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, client_id)
);
CREATE INDEX sso_session_clients_client ON sso_session_clients(client_id);

CREATE TABLE login_flows (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  state BIGINT NOT NULL,
  request_json TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,  -- NULL until known
  csrf_secret TEXT NOT NULL,
  amr TEXT NOT NULL,                  -- JSON array
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX login_flows_expires ON login_flows(expires_at);
CREATE INDEX login_flows_client ON login_flows(client_id);
CREATE INDEX login_flows_user ON login_flows(user_id);

-- session_id is not a foreign key: a code outlives neither its TTL nor the need to detect replay,
-- and revoking a session must not erase the evidence.
CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  token_family_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL,
  auth_time BIGINT NOT NULL,
  acr TEXT NOT NULL,
  amr TEXT NOT NULL,                  -- JSON array
  claims_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  consumed_at BIGINT NOT NULL
);
CREATE INDEX authorization_codes_expires ON authorization_codes(expires_at);
CREATE INDEX authorization_codes_client ON authorization_codes(client_id);
CREATE INDEX authorization_codes_user ON authorization_codes(user_id);

-- session_id is not a foreign key either: offline tokens outlive the SSO session.
CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  family_id TEXT NOT NULL,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,  -- NULL for none
  session_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  offline BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  family_expires_at BIGINT NOT NULL,
  rotated_at BIGINT NOT NULL,
  replaced_by TEXT NOT NULL,
  revoked_at BIGINT NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);
CREATE INDEX refresh_tokens_user_client ON refresh_tokens(user_id, client_id);
CREATE INDEX refresh_tokens_client ON refresh_tokens(client_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens(expires_at);

CREATE TABLE consents (
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  scopes TEXT NOT NULL,               -- JSON array, sorted
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, client_id)
);
CREATE INDEX consents_client ON consents(client_id);
CREATE INDEX consents_realm ON consents(realm_id);

-- Keys are the caller's ("user:<id>", "ip:<addr>"), not references; counters age out.
CREATE TABLE login_failures (
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  failures BIGINT NOT NULL,
  first_failure_at BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,
  PRIMARY KEY (realm_id, key)
);

CREATE TABLE used_jtis (
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  jti TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (realm_id, client_id, jti)
);
CREATE INDEX used_jtis_expires ON used_jtis(expires_at);
CREATE INDEX used_jtis_client ON used_jtis(client_id);
