-- 0001_initial (PostgreSQL): realms, users, groups, roles, clients, keys, audit chain, meta.
-- Paired with sqlite/0001_initial.sql; the two differ only where the dialects must
-- (PostgreSQL declares the search and sort columns COLLATE "C", so prefix ranges and paging
-- order are bytewise under any database collation, as SQLite's BINARY already is).
-- Types are TEXT and BIGINT only (idm/store/sql/connection.h). Times are Unix milliseconds,
-- booleans 0/1, JSON is TEXT. *_lower columns hold ASCII-lower-cased copies for case-insensitive
-- uniqueness and prefix search (range predicates, see docs/design/002-storage.md).

CREATE TABLE realms (
  id TEXT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  enabled BIGINT NOT NULL,
  settings TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  username_lower TEXT COLLATE "C" NOT NULL,
  email TEXT NOT NULL,
  email_lower TEXT COLLATE "C" NOT NULL,
  email_verified BIGINT NOT NULL,
  first_name TEXT NOT NULL,
  first_lower TEXT COLLATE "C" NOT NULL,
  last_name TEXT NOT NULL,
  last_lower TEXT COLLATE "C" NOT NULL,
  enabled BIGINT NOT NULL,
  attributes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users(realm_id, username_lower);
CREATE UNIQUE INDEX users_email ON users(realm_id, email_lower) WHERE email_lower <> '';
CREATE INDEX users_first ON users(realm_id, first_lower);
CREATE INDEX users_last ON users(realm_id, last_lower);

CREATE TABLE user_passwords (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  phc TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES groups(id) ON DELETE CASCADE,
  parent_key TEXT NOT NULL,           -- parent_id, or '' for top level (NULLs are never equal)
  name TEXT NOT NULL,
  name_lower TEXT COLLATE "C" NOT NULL,
  attributes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX groups_sibling_name ON groups(realm_id, parent_key, name_lower);
CREATE INDEX groups_parent ON groups(parent_id);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  client_id TEXT COLLATE "C" NOT NULL,
  client_id_lower TEXT COLLATE "C" NOT NULL,
  name TEXT NOT NULL,
  name_lower TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  enabled BIGINT NOT NULL,
  type BIGINT NOT NULL,
  secret_hash TEXT NOT NULL,
  redirect_uris TEXT NOT NULL,
  post_logout_redirect_uris TEXT NOT NULL,
  grant_types TEXT NOT NULL,
  token_endpoint_auth_method TEXT NOT NULL,
  scopes TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX clients_client_id ON clients(realm_id, client_id);
CREATE INDEX clients_client_id_lower ON clients(realm_id, client_id_lower);
CREATE INDEX clients_name ON clients(realm_id, name_lower);

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  client_id TEXT REFERENCES clients(id) ON DELETE CASCADE,
  client_key TEXT NOT NULL,           -- client_id, or '' for realm roles
  name TEXT COLLATE "C" NOT NULL,
  name_lower TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX roles_name ON roles(realm_id, client_key, name);
CREATE INDEX roles_name_lower ON roles(realm_id, client_key, name_lower);
CREATE INDEX roles_client ON roles(client_id);

CREATE TABLE role_composites (
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  parent_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  child_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX role_composites_child ON role_composites(child_id);
CREATE INDEX role_composites_realm ON role_composites(realm_id);

CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles(role_id);

CREATE TABLE group_roles (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, role_id)
);
CREATE INDEX group_roles_role ON group_roles(role_id);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  alg TEXT NOT NULL,
  status BIGINT NOT NULL,
  private_key_sealed TEXT NOT NULL,   -- base64 of the AES-256-GCM sealed PKCS#8 key
  public_jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  activated_at BIGINT NOT NULL,
  retired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX signing_keys_realm ON signing_keys(realm_id, created_at);

CREATE TABLE audit_events (
  realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  time BIGINT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  details TEXT NOT NULL,
  client_ip TEXT NOT NULL,
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (realm_id, seq)
);

-- One row per realm: the end of its audit chain. Appends update it in their transaction, which
-- serialises them per realm (a row lock in PostgreSQL; the single writer in SQLite).
CREATE TABLE audit_heads (
  realm_id TEXT PRIMARY KEY REFERENCES realms(id) ON DELETE CASCADE,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);

-- Server-wide key/value rows (KEK check value, bootstrap markers).
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
