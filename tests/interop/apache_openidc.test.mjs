// Interop: a real web-server relying party. Debian's Apache with mod_auth_openidc
// (libapache2-mod-auth-openidc) protects a page; Debian's Chromium opens it, is sent to idm's login
// page, signs in and lands on the page, which shows the claims Apache received from idm.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { approveConsentIfShown, launchBrowser, submitLogin } from './lib/browser.mjs';
import { freePort, startIdm } from './lib/idm.mjs';

const REALM = 'apache';
const USER = { username: 'bob', password: 'a long and unguessable passphrase', email: 'bob@example.test',
  first_name: 'Bob', email_verified: true };
const MODULES = process.env.IDM_APACHE_MODULES || '/usr/lib/apache2/modules';

let idm;
let browser;
let apache;
let apacheDir;

async function startApache({ port, issuer, clientId, clientSecret }) {
  apacheDir = mkdtempSync(path.join(tmpdir(), 'idm-apache-'));
  chmodSync(apacheDir, 0o755);  // the worker processes run as www-data
  const htdocs = path.join(apacheDir, 'htdocs');
  mkdirSync(path.join(htdocs, 'protected'), { recursive: true });
  writeFileSync(path.join(htdocs, 'protected', 'index.shtml'),
    '<!doctype html><title>protected</title>\n' +
    '<p id="user"><!--#echo var="REMOTE_USER" --></p>\n' +
    '<p id="email"><!--#echo var="OIDC_CLAIM_email" --></p>\n');
  const base = `http://127.0.0.1:${port}`;
  const conf = `
ServerRoot ${apacheDir}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${apacheDir}/httpd.pid
DefaultRuntimeDir ${apacheDir}
Mutex file:${apacheDir} default
ErrorLog ${apacheDir}/error.log
LogLevel warn auth_openidc:info
User www-data
Group www-data
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule mime_module ${MODULES}/mod_mime.so
LoadModule dir_module ${MODULES}/mod_dir.so
LoadModule include_module ${MODULES}/mod_include.so
LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so
TypesConfig /etc/mime.types
DocumentRoot ${htdocs}
DirectoryIndex index.shtml
AddType text/html .shtml
AddOutputFilter INCLUDES .shtml
<Directory ${htdocs}>
  Options +Includes
  Require all granted
</Directory>
OIDCProviderMetadataURL ${issuer}/.well-known/openid-configuration
OIDCClientID ${clientId}
OIDCClientSecret ${clientSecret}
OIDCProviderTokenEndpointAuth client_secret_basic
OIDCRedirectURI ${base}/protected/redirect_uri
OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}
OIDCScope "openid email profile"
OIDCPKCEMethod S256
OIDCRemoteUserClaim preferred_username
OIDCPassClaimsAs environment
<Location /protected>
  AuthType openid-connect
  Require valid-user
</Location>
`;
  const confPath = path.join(apacheDir, 'httpd.conf');
  writeFileSync(confPath, conf);
  const child = spawn('/usr/sbin/apache2', ['-f', confPath, '-DFOREGROUND'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  // Ready when it answers; a config error makes it exit at once.
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`apache2 exited: ${out}`);
    try {
      await fetch(`${base}/`);
      return { child, base };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`apache2 did not answer: ${out}`);
}

before(async () => {
  idm = await startIdm();
  await idm.createRealm(REALM);
  await idm.createUser(REALM, USER);
  const port = await freePort();
  const client = await idm.createClient(REALM, {
    client_id: 'apache-rp', name: 'Apache', redirect_uris: [`http://127.0.0.1:${port}/protected/redirect_uri`],
    grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_basic',
    scopes: ['openid', 'profile', 'email'],
  });
  apache = await startApache({ port, issuer: idm.issuer(REALM), clientId: client.client_id,
    clientSecret: client.client_secret });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (apache && apache.child.exitCode === null) {
    const exited = new Promise((r) => apache.child.on('exit', r));
    apache.child.kill('SIGTERM');
    await exited;
  }
  if (apacheDir) rmSync(apacheDir, { recursive: true, force: true });
  await idm?.stop();
});

test('mod_auth_openidc signs a browser in through idm and passes the claims to the page', async () => {
  const page = await browser.newPage();
  await page.goto(`${apache.base}/protected/`);
  assert.ok(page.url().startsWith(idm.issuer(REALM)), `sent to idm, at ${page.url()}`);
  await submitLogin(page, USER);
  await approveConsentIfShown(page);
  await page.waitForSelector('#email');
  let html = await page.content();
  if (!html.includes(USER.email)) {
    html += `\n--- apache error.log ---\n${readFileSync(path.join(apacheDir, 'error.log'), 'utf8')}`;
  }
  assert.equal(new URL(page.url()).origin, apache.base);
  assert.equal(await page.$eval('#user', (e) => e.textContent), USER.username, html);
  assert.equal(await page.$eval('#email', (e) => e.textContent), USER.email, html);
});
