-- 0007_mfa_policy (PostgreSQL): authentication policy per client and per role. Paired with
-- sqlite/0007_mfa_policy.sql; identical SQL.
-- docs/design/020-step-up-and-mfa-policy.md explains the choices.

-- core::Client::require_mfa / require_phishing_resistant: every login for the client needs at
-- least acr "mfa" (a second factor) / "phishing-resistant" (a passkey). 0 = false, 1 = true.
ALTER TABLE clients ADD COLUMN require_mfa BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN require_phishing_resistant BIGINT NOT NULL DEFAULT 0;

-- core::Role::require_mfa: every user holding the role (directly, through a group or a
-- composite) must pass a second factor at each login.
ALTER TABLE roles ADD COLUMN require_mfa BIGINT NOT NULL DEFAULT 0;
