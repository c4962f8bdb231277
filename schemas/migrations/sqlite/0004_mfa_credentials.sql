-- 0004_mfa_credentials (SQLite): second-factor credentials and recovery codes. Paired with
-- postgres/0004_mfa_credentials.sql; identical SQL.
-- docs/design/017-mfa-methods-and-flow.md explains the choices. Times are Unix ms.

-- One second factor of a user. type 'totp' now ('webauthn' later). secret holds the factor's
-- secret sealed with the KEK (crypto::Kek::Seal, base64url; the TOTP seed), never plaintext.
-- confirmed_at = 0 while an enrolment waits for its first valid code; only confirmed credentials
-- count at login. last_used_step is the TOTP replay guard (RFC 6238 §5.2): a code is accepted by
-- one conditional UPDATE ... WHERE last_used_step IS NULL OR last_used_step < step, so a time
-- step can be used once even when two nodes check the same code at the same moment.
CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  secret TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  digits BIGINT NOT NULL,
  period BIGINT NOT NULL,
  last_used_step BIGINT,
  confirmed_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
CREATE INDEX credentials_user ON credentials(user_id);
CREATE INDEX credentials_realm ON credentials(realm_id);

-- Single-use recovery codes: only crypto::HashSecret of each code is kept. Using one is one
-- conditional UPDATE ... SET used_at WHERE used_at IS NULL, so a code is accepted at most once.
CREATE TABLE recovery_codes (
  code_hash TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);
