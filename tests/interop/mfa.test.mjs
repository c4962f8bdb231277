// Interop: second factors and step-up through a real relying party (docs/design/017, 020).
// openid-client (npm) runs authorization code + PKCE logins through Debian's Chromium
// (puppeteer-core); the TOTP codes come from Debian's `oathtool`, an implementation independent of
// idm's (liboath), fed with the key the enrolment page shows. Covers: enrolment with the QR page
// and the recovery codes shown once, a password + TOTP login, a recovery-code login (single use), step-up with acr_values=mfa on an
// existing password session (only the code is asked), and an essential acr that cannot be met
// (unmet_authentication_requirements at the client). The same runs take the screenshots that
// docs/mfa.md shows (docs/images/mfa-*.png, 800x600; see IMAGES below).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import * as oidc from 'openid-client';

import { launchBrowser, startCallbackServer, submitLogin } from './lib/browser.mjs';
import { startIdm } from './lib/idm.mjs';

// Screenshots go to a scratch folder so a test run leaves the checkout as it was; refresh the
// ones in the docs with IDM_SCREENSHOTS_DIR=docs/images (docs/testing.md).
// A relative folder is taken from the repository root.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IMAGES = process.env.IDM_SCREENSHOTS_DIR
  ? path.resolve(ROOT, process.env.IDM_SCREENSHOTS_DIR)
  : path.join(os.tmpdir(), 'idm-screenshots');
const insecure = { execute: [oidc.allowInsecureRequests] };
const PASSWORD = 'correct horse battery staple';

let idm;
let browser;
let callback;
let recoveryCodes = [];  // the ten codes the last enrolment showed

before(async () => {
  idm = await startIdm();
  callback = await startCallbackServer();
  browser = await launchBrowser();
  mkdirSync(IMAGES, { recursive: true });
});

after(async () => {
  await browser?.close();
  await callback?.close();
  await idm?.stop();
});

// The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) for the base32 key, `aheadS` seconds from now,
// computed by oathtool. A later step than the last accepted one must be used (replay guard).
function totp(secret, aheadS = 0) {
  const at = `@${Math.floor(Date.now() / 1000) + aheadS}`;
  return execFileSync('oathtool', ['--totp', '-b', '--now', at, secret]).toString().trim();
}

async function newPage() {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 800, height: 600 });
  return page;
}

async function screenshot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));  // autofocus may have scrolled the page
  await page.screenshot({ path: path.join(IMAGES, `mfa-${name}.png`), fullPage: false });
}

async function submitForm(page, selector = 'form button[type="submit"]') {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// Starts a code + PKCE request; `params` go into the authorization URL (acr_values, claims).
async function authorize(config, page, params = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url(), scope: 'openid', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    ...params,
  });
  const reached = callback.next();
  await page.goto(url.href);
  return {
    finish: async () => oidc.authorizationCodeGrant(config, (await reached).url, {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
    }),
    reached,
  };
}

// On the enrolment page: reads the key, confirms it with oathtool's code; returns the key.
async function enrol(page, { shoot = false } = {}) {
  await page.waitForSelector('code.secret');
  const secret = await page.$eval('code.secret', (e) => e.textContent.trim());
  if (shoot) await screenshot(page, 'enroll');
  await page.type('input[name="code"]', totp(secret));
  await submitForm(page, 'form button[type="submit"]:not([name="skip"])');
  await page.waitForSelector('ol.recovery-codes');
  const codes = await page.$$eval('ol.recovery-codes code', (els) => els.map((e) => e.textContent));
  assert.equal(codes.length, 10, 'ten recovery codes are shown');
  recoveryCodes = codes.map((c) => c.trim());
  if (shoot) await screenshot(page, 'recovery-codes');
  await submitForm(page);
  return secret;
}

async function enterCode(page, code, { shoot = '' } = {}) {
  await page.waitForSelector('input[name="method"][value="totp"]');
  if (shoot) await screenshot(page, shoot);
  await page.type('input#code', code);
  await submitForm(page);
}

async function setUp(realm, settings, username) {
  await idm.createRealm(realm, settings);
  await idm.createUser(realm, { username, password: PASSWORD });
  await idm.createClient(realm, {
    client_id: 'spa', type: 'public', redirect_uris: [callback.url()],
    grant_types: ['authorization_code'], token_endpoint_auth_method: 'none', scopes: ['openid'],
    consent_required: false,
  });
  return oidc.discovery(new URL(idm.issuer(realm)), 'spa', undefined, oidc.None(), insecure);
}

describe('MFA required by the realm: enrolment, then password + TOTP', () => {
  let config;
  let secret;
  before(async () => {
    config = await setUp('mfa-required', { mfa_policy: 'required' }, 'alice');
  });

  test('the first login enrols an authenticator (QR page, oathtool code), shows recovery codes once, and issues acr mfa', async () => {
    const page = await newPage();
    const flow = await authorize(config, page);
    await page.waitForSelector('input[name="username"]');
    await screenshot(page, 'login');
    await submitLogin(page, { username: 'alice', password: PASSWORD });
    secret = await enrol(page, { shoot: true });
    const claims = (await flow.finish()).claims();
    assert.equal(claims.acr, 'mfa');
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });

  test('a later login asks for the password and then the code', async () => {
    const page = await newPage();
    const flow = await authorize(config, page);
    await submitLogin(page, { username: 'alice', password: PASSWORD });
    await enterCode(page, totp(secret, 30), { shoot: 'code' });
    const claims = (await flow.finish()).claims();
    assert.equal(claims.acr, 'mfa');
    assert.ok(claims.auth_time);
  });

  test('a recovery code signs in once (amr pwd mfa); the same code is refused the next time', async () => {
    const code = recoveryCodes[0];
    assert.ok(code, 'the enrolment showed recovery codes');
    const recover = async (page) => {
      await submitLogin(page, { username: 'alice', password: PASSWORD });
      await page.waitForSelector('input[name="method"][value="recovery_code"]');
      await page.click('details summary');  // the recovery form is folded away
      await page.type('input#recovery_code', code);
      await submitForm(page, 'input[name="method"][value="recovery_code"] ~ button[type="submit"]');
    };
    const page = await newPage();
    const flow = await authorize(config, page);
    await recover(page);
    const claims = (await flow.finish()).claims();
    assert.equal(claims.acr, 'mfa');
    assert.deepEqual(claims.amr, ['pwd', 'mfa']);

    // Used up: the code page comes back with an alert, and the client never gets a callback.
    const again = await newPage();
    await again.goto(oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback.url(), scope: 'openid', state: oidc.randomState(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    }).href);
    await recover(again);
    await again.waitForSelector('p.alert');
    assert.ok(await again.$('input#recovery_code'), 'the code page again');
  });
});

describe('step-up on an existing session (realm policy optional)', () => {
  let config;
  before(async () => {
    config = await setUp('mfa-step-up', {}, 'bob');
  });

  test('acr_values=mfa asks a password session only for the code, and the ID token says mfa', async () => {
    // Bob signs in with his password in one browser...
    const page = await newPage();
    let flow = await authorize(config, page);
    await submitLogin(page, { username: 'bob', password: PASSWORD });
    const pwd = (await flow.finish()).claims();
    assert.equal(pwd.acr, 'pwd');

    // ...enrols an authenticator in another (an essential acr sends him to enrolment)...
    const other = await newPage();
    flow = await authorize(config, other, {
      claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['mfa'] } } }),
    });
    await submitLogin(other, { username: 'bob', password: PASSWORD });
    const secret = await enrol(other);
    assert.equal((await flow.finish()).claims().acr, 'mfa');

    // ...and the first browser's password session steps up: no password page, only the code.
    flow = await authorize(config, page, { acr_values: 'mfa' });
    assert.equal(await page.$('input[name="password"]'), null);
    await enterCode(page, totp(secret, 30), { shoot: 'step-up' });
    const up = (await flow.finish()).claims();
    assert.equal(up.acr, 'mfa');
    assert.deepEqual(up.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(up.sid, pwd.sid, 'the same session, upgraded');
    assert.ok(up.auth_time >= pwd.auth_time);
  });

  test('an essential acr that cannot be met reaches the client as unmet_authentication_requirements', async () => {
    const page = await newPage();
    const flow = await authorize(config, page, {
      claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'phishing-resistant' } } }),
    });
    await submitLogin(page, { username: 'bob', password: PASSWORD });
    await assert.rejects(flow.finish(), (e) => {
      assert.equal(e.error, 'unmet_authentication_requirements', e.message);
      return true;
    });
  });
});

// HOTP (RFC 4226, docs/design/023): codes from `oathtool --hotp -b SECRET -c N`, an
// implementation independent of idm's liboath use.
function hotp(secret, counter) {
  return execFileSync('oathtool', ['--hotp', '-b', '-c', String(counter), secret]).toString().trim();
}

describe('HOTP: counter-based enrolment, then password + HOTP', () => {
  let config;
  let secret;
  before(async () => {
    config = await setUp('mfa-hotp', { mfa_policy: 'required' }, 'carol');
  });

  test('the enrolment page switches to a counter-based authenticator, confirmed by oathtool\'s code for counter 0', async () => {
    const page = await newPage();
    const flow = await authorize(config, page);
    await submitLogin(page, { username: 'carol', password: PASSWORD });
    await page.waitForSelector('button[name="switch"][value="hotp"]');
    await submitForm(page, 'button[name="switch"][value="hotp"]');
    await page.waitForSelector('button[name="switch"][value="totp"]');
    secret = await page.$eval('code.secret', (e) => e.textContent.trim());
    await screenshot(page, 'enroll-hotp');
    await page.type('input[name="code"]', hotp(secret, 0));
    await submitForm(page, 'form button[type="submit"]:not([name="skip"]):not([name="switch"])');
    await page.waitForSelector('ol.recovery-codes');
    await submitForm(page);
    const claims = (await flow.finish()).claims();
    assert.equal(claims.acr, 'mfa');
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });

  test('a later login takes the next HOTP code; a replayed one is refused', async () => {
    const page = await newPage();
    const flow = await authorize(config, page);
    await submitLogin(page, { username: 'carol', password: PASSWORD });
    await page.waitForSelector('input[name="method"][value="hotp"]');
    await screenshot(page, 'code-hotp');
    await page.type('input#hotp_code', hotp(secret, 1));
    await submitForm(page, 'input[name="method"][value="hotp"] ~ button[type="submit"]');
    const claims = (await flow.finish()).claims();
    assert.equal(claims.acr, 'mfa');
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);

    // The replay never reaches the client, so no callback is awaited for it.
    const again = await newPage();
    await again.goto(oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback.url(), scope: 'openid', state: oidc.randomState(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    }).href);
    await submitLogin(again, { username: 'carol', password: PASSWORD });
    await again.waitForSelector('input#hotp_code');
    await again.type('input#hotp_code', hotp(secret, 1));
    await submitForm(again, 'input[name="method"][value="hotp"] ~ button[type="submit"]');
    await again.waitForSelector('p.alert');
    assert.equal(await again.$('input#hotp_code') !== null, true, 'the code page again');
  });
});
