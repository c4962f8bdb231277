-- 0006_email_codes (SQLite): email one-time codes and per-realm SMTP settings. Paired with
-- postgres/0006_email_codes.sql; identical SQL.
-- docs/design/019-email-codes-and-smtp.md explains the choices. Times are Unix ms.

-- One outstanding email code per user and purpose ('mfa': second factor, 'signin': passwordless
-- sign-in); issuing a new one replaces the row (UNIQUE (user_id, purpose)), and only when the old
-- one is older than the resend interval: one conditional upsert, so two nodes cannot both send.
-- code_hash is an HMAC-SHA-256 under a KEK-derived key, never the code. Using a code is one
-- conditional UPDATE ... SET used_at WHERE used_at IS NULL AND expires_at > now AND attempts < max,
-- so a code is accepted at most once; every wrong try adds to attempts until the code is dead.
CREATE TABLE email_codes (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  used_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (user_id, purpose)
);
CREATE INDEX email_codes_realm ON email_codes(realm_id);

-- A realm's outgoing mail server. password_sealed is the SMTP password sealed with the KEK
-- (crypto::Kek::Seal, base64url, aad "realm:<id>/smtp-password"), "" when there is none; the admin
-- API accepts it but never returns it.
CREATE TABLE realm_smtp (
  realm_id TEXT PRIMARY KEY REFERENCES realms(id) ON DELETE CASCADE,
  host TEXT NOT NULL,
  port BIGINT NOT NULL,
  security TEXT NOT NULL,
  username TEXT NOT NULL,
  password_sealed TEXT NOT NULL,
  from_address TEXT NOT NULL,
  from_name TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
