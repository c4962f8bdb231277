// Runs the real `idm` binary for the interop tests and talks to its admin API.
//
//   const idm = await startIdm();            // `idm serve` on a free port, fresh data directory
//   const realm = await idm.createRealm('interop');
//   await idm.createUser(realm, { username: 'alice', password: '...' });
//   const { client_id, client_secret } = await idm.createClient(realm, { ... });
//   ...
//   await idm.stop();
//
// Environment: IDM_BINARY (the built binary, required); IDM_TEST_PG_URL (when set, idm runs on that
// PostgreSQL database instead of SQLite; every test creates its own realm, so runs do not collide).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ADMIN_CLIENT_ID = 'interop-admin';

// A TCP port nobody listens on right now (the kernel picks it; the tiny window before the
// server binds it is acceptable in a test).
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A new empty database on IDM_TEST_PG_URL's server (psql), so every idm process starts clean.
function createPgDatabase(adminUrl) {
  const name = `idm_interop_${randomBytes(6).toString('hex')}`;
  execFileSync('psql', [adminUrl, '-qAtc', `CREATE DATABASE ${name}`]);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.href, name };
}

function dropPgDatabase(adminUrl, name) {
  try {
    execFileSync('psql', [adminUrl, '-qAtc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  } catch {
    // best effort: the cluster is thrown away after the run anyway
  }
}

// publicHost: the host of IDM_PUBLIC_URL; WebAuthn needs a domain as its RP ID ("localhost"), never
// an IP address.
export async function startIdm({ extraEnv = {}, publicHost = '127.0.0.1' } = {}) {
  const binary = process.env.IDM_BINARY;
  if (!binary) throw new Error('IDM_BINARY is not set');
  const pgAdmin = process.env.IDM_TEST_PG_URL;
  const pg = pgAdmin ? createPgDatabase(pgAdmin) : null;
  const dir = mkdtempSync(path.join(tmpdir(), 'idm-interop-'));
  const port = await freePort();
  const publicUrl = `http://${publicHost}:${port}`;
  const adminSecret = randomBytes(24).toString('base64url');
  const env = {
    PATH: process.env.PATH,
    IDM_DATA_DIR: dir,
    IDM_LISTEN: `127.0.0.1:${port}`,
    IDM_PUBLIC_URL: publicUrl,
    IDM_LOG_FORMAT: 'json',
    IDM_KEK: randomBytes(32).toString('hex'),
    IDM_ARGON2_MEMORY_KIB: '1024',
    IDM_ARGON2_ITERATIONS: '1',
    IDM_BOOTSTRAP_ADMIN_USERNAME: 'admin',
    IDM_BOOTSTRAP_ADMIN_PASSWORD: randomBytes(24).toString('base64url'),
    IDM_BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN_CLIENT_ID,
    IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET: adminSecret,
    ...(pg ? { IDM_DB: pg.url } : {}),
    ...extraEnv,
  };
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk.toString();
      if (/"msg":"listening"/.test(log)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`idm exited with ${code} before listening:\n${log}`)));
    setTimeout(() => reject(new Error(`idm did not start within 60 s:\n${log}`)), 60000).unref();
  });
  await listening;
  return new Idm({ child, dir, publicUrl, adminSecret, logRef: () => log,
    dropDatabase: pg ? () => dropPgDatabase(pgAdmin, pg.name) : () => {} });
}

export class Idm {
  constructor({ child, dir, publicUrl, adminSecret, logRef, dropDatabase }) {
    this.child = child;
    this.dropDatabase = dropDatabase;
    this.dir = dir;
    this.publicUrl = publicUrl;
    this.adminSecret = adminSecret;
    this.log = logRef;
    this.api = `${publicUrl}/admin/api/v1`;
  }

  issuer(realm) {
    return `${this.publicUrl}/realms/${realm}`;
  }

  async stop() {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.on('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.dropDatabase();
  }

  // An admin API token from the bootstrap client (client credentials, docs/admin-api.md).
  async adminToken() {
    const basic = Buffer.from(`${ADMIN_CLIENT_ID}:${this.adminSecret}`).toString('base64');
    const res = await fetch(`${this.issuer('master')}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`admin token: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async admin(method, pathname, body) {
    const token = await this.adminToken();
    const res = await fetch(`${this.api}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async createRealm(name, settings = {}) {
    await this.admin('POST', '/realms', Object.keys(settings).length ? { name, settings } : { name });
    return name;
  }

  async createUser(realm, user) {
    return this.admin('POST', `/realms/${realm}/users`, user);
  }

  // Returns the created client representation; confidential clients carry client_secret once.
  async createClient(realm, client) {
    return this.admin('POST', `/realms/${realm}/clients`, client);
  }
}
