-- 0008_refresh_token_authentication (PostgreSQL): the authentication a refresh token's grant came from.
-- Paired with sqlite/0008_refresh_token_authentication.sql; identical SQL.
-- OIDC Core §12.2: an ID token issued on refresh carries the auth_time of the original
-- authentication, and otherwise the claims of the ID token issued then (acr, amr), not those of a
-- later step-up of the SSO session or nothing once an offline token's session has ended
-- (docs/design/014, "Refresh and the original authentication").

-- core::RefreshToken::auth_time (Unix ms), acr, amr (JSON array of strings), copied from the
-- authorization code and on to every rotation. 0 / '' / '[]' for tokens issued before this
-- migration: their refresh falls back to the SSO session, as before.
ALTER TABLE refresh_tokens ADD COLUMN auth_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refresh_tokens ADD COLUMN acr TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_tokens ADD COLUMN amr TEXT NOT NULL DEFAULT '[]';
