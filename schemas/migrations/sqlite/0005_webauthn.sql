-- 0005_webauthn (SQLite): WebAuthn passkeys and their ceremony challenges. Paired with
-- postgres/0005_webauthn.sql; identical SQL.
-- docs/design/018-webauthn.md explains the choices. Times are Unix ms; binary values base64url.

-- A passkey is a credentials row (type 'webauthn': name, created_at, last_used_at, confirmed at
-- registration; secret, algorithm, digits and period unused) plus this row with what W3C WebAuthn
-- Level 2 §7.1 step 24 says to keep. Deleting the credentials row (administrator reset, removal)
-- deletes it. credential_id is the authenticator's credential ID, unique per realm (§7.1 step 22).
-- user_handle is the random per-user handle given to the authenticator (user.id of
-- PublicKeyCredentialUserEntity, §5.4.3), the same for all of a user's passkeys; a username-less
-- login finds the user through it. sign_count is updated by one conditional
-- UPDATE ... WHERE sign_count = <the value read>, so two nodes cannot both accept one counter value.
CREATE TABLE webauthn_credentials (
  id TEXT PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  credential_id TEXT NOT NULL,
  user_handle TEXT NOT NULL,
  public_key TEXT NOT NULL,
  alg BIGINT NOT NULL,
  sign_count BIGINT NOT NULL,
  aaguid TEXT NOT NULL,
  transports TEXT NOT NULL,
  discoverable BIGINT NOT NULL,
  user_verified BIGINT NOT NULL,
  attestation_fmt TEXT NOT NULL,
  UNIQUE (realm_id, credential_id)
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials(user_id);
CREATE INDEX webauthn_credentials_handle ON webauthn_credentials(realm_id, user_handle);

-- The challenge of one ceremony (§13.4.3: random, at least 16 bytes, used once), bound to the
-- login flow that asked for it, its user ('' for a username-less login) and its purpose
-- ('register' or 'authenticate'). Asking again replaces the flow's earlier challenge of that
-- purpose. Verifying finds it by the challenge the browser signed and takes it with
-- DELETE ... RETURNING, so it is used at most once on any node.
CREATE TABLE webauthn_challenges (
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  flow_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  challenge TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (realm_id, challenge)
);
CREATE INDEX webauthn_challenges_flow ON webauthn_challenges(realm_id, flow_id, purpose);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges(expires_at);
