// Interop: email one-time codes through a real relying party (docs/design/019). openid-client
// (npm) runs authorization code + PKCE sign-ins through Debian's Chromium (Playwright,
// lib/playwright.mjs); idm sends its mail to
// a real SMTP server started here (tests/integration/smtp_server.py on Debian's python3-aiosmtpd)
// that requires STARTTLS (a certificate made for this run, trusted by idm through
// IDM_MAIL_CA_FILE) and AUTH. The server decodes each message with Python's email package (MIME,
// base64 transfer encoding, RFC 2047 words) — an implementation independent of idm's message
// builder — and the test reads the code from that decoded text and types it into the page.
// Covers: password + emailed code (acr mfa), passwordless email sign-in, and the failure paths: a
// wrong code, a used code replayed, an expired code, another user's code.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';

import {
  bodyText, clickAndWait, launchBrowser, newPage as pageIn, startCallbackServer, submitLogin,
} from './lib/playwright.mjs';
import { startIdm } from './lib/idm.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SMTP_SERVER = path.join(HERE, '../integration/smtp_server.py');
const SMTP_USER = 'idm-mailer';
const SMTP_PASSWORD = 'smtp secret 7';
const REALM = 'email';
const PASSWORD = 'correct horse battery staple';
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const INVALID_CODE = 'The code is incorrect or has already been used.';
const insecure = { execute: [oidc.allowInsecureRequests] };

let dir;
let smtp;
let idm;
let browser;
let callback;
let config;

// A self-signed certificate for 127.0.0.1, made for this run (openssl from Debian).
function makeCertificate(folder) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', path.join(folder, 'key.pem'), '-out', path.join(folder, 'cert.pem'),
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
  { stdio: 'ignore' });
}

// The SMTP server writes every accepted message to `mail/` as JSON and its port to `mail/port`.
async function startSmtp(folder) {
  const mail = path.join(folder, 'mail');
  mkdirSync(mail);
  const child = spawn('/usr/bin/python3', [SMTP_SERVER, mail, '--cert', path.join(folder, 'cert.pem'),
    '--key', path.join(folder, 'key.pem'), '--starttls', '--auth', `${SMTP_USER}:${SMTP_PASSWORD}`],
  { stdio: ['ignore', 'inherit', 'inherit'] });
  const portFile = path.join(mail, 'port');
  for (let i = 0; i < 200 && !existsSync(portFile); i++) {
    if (child.exitCode !== null) throw new Error(`the SMTP server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!existsSync(portFile)) throw new Error('the SMTP server did not start within 10 s');
  const port = Number(readFileSync(portFile, 'utf8'));
  return {
    port,
    messages: () => readdirSync(mail).filter((f) => f.endsWith('.json')).sort()
      .map((f) => JSON.parse(readFileSync(path.join(mail, f), 'utf8'))),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

// The next message to `to` after the first `seen` ones, waiting for it (idm sends passwordless
// codes from a background queue).
async function nextMail(to, seen) {
  for (let i = 0; i < 300; i++) {
    const mine = smtp.messages().filter((m) => m.to === to);
    if (mine.length > seen) return mine[seen];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail reached ${to} within 15 s`);
}

function mailCount(to) {
  return smtp.messages().filter((m) => m.to === to).length;
}

// The six-digit code in the decoded body (the server's email package undid the base64).
function codeIn(mail) {
  const m = /(?:^|\s)(\d{6})(?:\s|$)/.exec(mail.body);
  assert.ok(m, `a six-digit code in the mail body: ${mail.body}`);
  return m[1];
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'idm-email-interop-'));
  makeCertificate(dir);
  smtp = await startSmtp(dir);
  idm = await startIdm({ extraEnv: { IDM_MAIL_CA_FILE: path.join(dir, 'cert.pem') } });
  callback = await startCallbackServer();
  browser = await launchBrowser();
  await idm.createRealm(REALM, {
    email_code_enabled: true, passwordless_email: true,
    brute_force_max_failures: 50, brute_force_max_delay_ms: 0,
  });
  for (const username of USERS) {
    await idm.createUser(REALM, { username, password: PASSWORD, email: `${username}@example.test`,
      email_verified: true });
  }
  await idm.admin('PUT', `/realms/${REALM}/smtp`, {
    host: '127.0.0.1', port: smtp.port, security: 'starttls', username: SMTP_USER,
    password: SMTP_PASSWORD, from_address: 'no-reply@example.test', from_name: 'Interop',
  });
  await idm.createClient(REALM, {
    client_id: 'spa', type: 'public', redirect_uris: [callback.url()],
    grant_types: ['authorization_code'], token_endpoint_auth_method: 'none', scopes: ['openid'],
    consent_required: false,
  });
  config = await oidc.discovery(new URL(idm.issuer(REALM)), 'spa', undefined, oidc.None(), insecure);
});

after(async () => {
  await browser?.close();
  await callback?.close();
  await idm?.stop();
  await smtp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage() {
  return pageIn(browser);
}

const submitForm = clickAndWait;

// Starts a code + PKCE request in `page`; finish() exchanges the code the callback received.
async function authorize(page) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url(), scope: 'openid', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  await page.goto(url.href);
  return {
    // Only a sign-in that should reach the callback waits for it (an earlier request that
    // arrived first is kept by the callback server until asked for).
    finish: async () => {
      const hit = await callback.next().catch(async (e) => {
        // Say where the browser got stuck instead of only that the callback was not reached.
        throw new Error(`${e.message}; the page at ${page.url()} says: ${await bodyText(page)}`);
      });
      return oidc.authorizationCodeGrant(config, hit.url, {
        pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
        idTokenExpected: true,
      });
    },
  };
}

const SEND = 'form:has(input[name="action"][value="send"]) button[type="submit"]';

// Password, then "Email me a code": returns the mail that arrived for `username`.
async function passwordThenMailedCode(page, username) {
  const seen = mailCount(`${username}@example.test`);
  await submitLogin(page, { username, password: PASSWORD });
  await page.waitForSelector(SEND);
  await submitForm(page, SEND);
  await page.waitForSelector('input#email_code');
  return nextMail(`${username}@example.test`, seen);
}

async function typeSecondFactorCode(page, code) {
  await page.fill('input#email_code', code);
  await submitForm(page, 'form:has(input#email_code) button[type="submit"]');
}

describe('email code as the second factor', () => {
  test('password + emailed code signs in with acr mfa and amr pwd otp mfa; the mail went over STARTTLS with AUTH', async () => {
    const page = await newPage();
    const flow = await authorize(page);
    const mail = await passwordThenMailedCode(page, 'alice');
    assert.equal(mail.tls, true, 'STARTTLS was used');
    assert.equal(mail.auth_user, SMTP_USER);
    assert.equal(mail.rcpt_tos.join(), 'alice@example.test');
    assert.match(mail.raw, /^Content-Transfer-Encoding: base64\r?$/m, 'the body is base64 on the wire');
    const code = codeIn(mail);
    assert.ok(!mail.raw.includes(`    ${code}`), 'the code is not readable without decoding');
    assert.ok(mail.subject.endsWith(code), mail.subject);
    assert.match(await bodyText(page), /a\*\*\*@example\.test/, 'the page names the masked address');
    await typeSecondFactorCode(page, code);
    const claims = (await flow.finish()).claims();
    assert.equal(claims.acr, 'mfa');
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.ok(claims.auth_time);
  });

  test('a wrong code is refused on the page, and the right one still works after it', async () => {
    const page = await newPage();
    const flow = await authorize(page);
    const code = codeIn(await passwordThenMailedCode(page, 'bob'));
    await typeSecondFactorCode(page, code === '000000' ? '111111' : '000000');
    assert.ok((await bodyText(page)).includes(INVALID_CODE));
    assert.equal(await page.locator('input[name="password"]').count(), 0,
      'still on the second-factor page');
    await typeSecondFactorCode(page, code);
    assert.equal((await flow.finish()).claims().acr, 'mfa');
  });

  test('a used code replayed in a new sign-in is refused', async () => {
    const first = await newPage();
    let flow = await authorize(first);
    const code = codeIn(await passwordThenMailedCode(first, 'carol'));
    const sentAt = Date.now();
    await typeSecondFactorCode(first, code);
    await flow.finish();

    // A new code may be asked for 30 s after the last one (design 019); the second sign-in asks
    // for one then, and types the used code instead of the new one.
    await new Promise((r) => setTimeout(r, Math.max(0, sentAt + 31000 - Date.now())));
    const again = await newPage();
    flow = await authorize(again);
    const fresh = codeIn(await passwordThenMailedCode(again, 'carol'));
    if (fresh === code) return;  // the new code drew the same six digits
    await typeSecondFactorCode(again, code);
    assert.ok((await bodyText(again)).includes(INVALID_CODE));
  });

  test("another user's code is refused", async () => {
    const daves = await newPage();
    await authorize(daves);
    const davesCode = codeIn(await passwordThenMailedCode(daves, 'dave'));
    const page = await newPage();
    await authorize(page);
    const mine = codeIn(await passwordThenMailedCode(page, 'erin'));
    if (mine === davesCode) return;  // both drew the same six digits (one in a million)
    await typeSecondFactorCode(page, davesCode);
    assert.ok((await bodyText(page)).includes(INVALID_CODE));
  });

  test('an expired code is refused (realm TTL 60 s, typed after 61 s)', { timeout: 120000 }, async () => {
    await idm.admin('PATCH', `/realms/${REALM}`, { settings: { email_code_ttl_s: 60 } });
    try {
      const page = await newPage();
      await authorize(page);
      const code = codeIn(await passwordThenMailedCode(page, 'frank'));
      await new Promise((r) => setTimeout(r, 61000));
      await typeSecondFactorCode(page, code);
      assert.ok((await bodyText(page)).includes(INVALID_CODE));
    } finally {
      await idm.admin('PATCH', `/realms/${REALM}`, { settings: { email_code_ttl_s: 600 } });
    }
  });
});

describe('passwordless email sign-in', () => {
  // The login page's second form: a user name and "Email me a sign-in code instead".
  async function askForSignInCode(page, username) {
    const seen = mailCount(`${username}@example.test`);
    await page.waitForSelector('input#signin_username');
    await page.fill('input#signin_username', username);
    await submitForm(page, 'form:has(input#signin_username) button[type="submit"]');
    await page.waitForSelector('input#code');
    return seen;
  }

  async function typeSignInCode(page, code) {
    await page.fill('input#code', code);
    await submitForm(page, 'form:has(input#code) button[type="submit"]');
  }

  test('a mailed sign-in code alone signs in with amr otp', async () => {
    const page = await newPage();
    const flow = await authorize(page);
    const seen = await askForSignInCode(page, 'alice');
    const code = codeIn(await nextMail('alice@example.test', seen));
    await typeSignInCode(page, code);
    const claims = (await flow.finish()).claims();
    assert.deepEqual(claims.amr, ['otp']);
    assert.notEqual(claims.acr, 'mfa', 'one factor is not mfa');
  });

  test('a wrong sign-in code is refused', async () => {
    const page = await newPage();
    await authorize(page);
    const seen = await askForSignInCode(page, 'bob');
    const code = codeIn(await nextMail('bob@example.test', seen));
    await typeSignInCode(page, code === '000000' ? '111111' : '000000');
    assert.ok((await bodyText(page)).includes(INVALID_CODE));
  });

  test('a used sign-in code replayed is refused', async () => {
    const page = await newPage();
    let flow = await authorize(page);
    const seen = await askForSignInCode(page, 'carol');
    const code = codeIn(await nextMail('carol@example.test', seen));
    await typeSignInCode(page, code);
    await flow.finish();

    // Within 30 s no new code is mailed (design 019): the used one is still the latest.
    const again = await newPage();
    flow = await authorize(again);
    await askForSignInCode(again, 'carol');
    await typeSignInCode(again, code);
    assert.ok((await bodyText(again)).includes(INVALID_CODE));
  });

  test("another user's sign-in code is refused", async () => {
    const daves = await newPage();
    await authorize(daves);
    let seen = await askForSignInCode(daves, 'dave');
    const davesCode = codeIn(await nextMail('dave@example.test', seen));
    const page = await newPage();
    await authorize(page);
    seen = await askForSignInCode(page, 'erin');
    const mine = codeIn(await nextMail('erin@example.test', seen));
    if (mine === davesCode) return;  // both drew the same six digits
    await typeSignInCode(page, davesCode);
    assert.ok((await bodyText(page)).includes(INVALID_CODE));
  });
});
