// Interop: the self-service security page (docs/design/023) in Debian's Chromium (Playwright:
// playwright-core, lib/playwright.mjs) with virtual authenticators from the DevTools Protocol
// `WebAuthn` domain. A user signs in to a relying party through openid-client (code + PKCE,
// password only: the realm's MFA policy is optional and the user has no factor), opens
// /realms/{realm}/account/security, adds a passkey (W3C WebAuthn Level 2 §7.1, through
// /resources/webauthn.js and the page's own options route), is asked to sign in again with it
// (the page then needs a second factor), adds a second passkey from another authenticator,
// renames it, removes the first and checks what the page lists. idm runs on http://localhost (a
// secure context whose host is a valid RP ID). The run leaves account-security.png in the
// screenshots folder (IDM_SCREENSHOTS_DIR, as mfa.test.mjs).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';

import {
  approveConsentIfShown, bodyText, clickAndWait, launchBrowser, startCallbackServer, submitLogin,
} from './lib/playwright.mjs';
import { startIdm } from './lib/idm.mjs';

// A relative folder is taken from the repository root (docs/testing.md).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IMAGES = process.env.IDM_SCREENSHOTS_DIR
  ? path.resolve(ROOT, process.env.IDM_SCREENSHOTS_DIR)
  : path.join(os.tmpdir(), 'idm-screenshots');
const REALM = 'selfservice';
const USER = { username: 'sam', password: 'correct horse battery staple', email: 'sam@example.test' };
const insecure = { execute: [oidc.allowInsecureRequests] };

let idm;
let browser;
let callback;
let config;
let userId;

before(async () => {
  idm = await startIdm({ publicHost: 'localhost' });
  callback = await startCallbackServer();
  browser = await launchBrowser();
  mkdirSync(IMAGES, { recursive: true });
  await idm.createRealm(REALM, {});
  userId = (await idm.createUser(REALM, USER)).id;
  const client = await idm.createClient(REALM, {
    client_id: 'account-app', name: 'Account app', redirect_uris: [callback.url()],
    grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post',
    scopes: ['openid'], consent_required: false,
  });
  config = await oidc.discovery(new URL(idm.issuer(REALM)), client.client_id, client.client_secret,
    oidc.ClientSecretPost(client.client_secret), insecure);
});

after(async () => {
  await browser?.close();
  await callback?.close();
  await idm?.stop();
});

async function addAuthenticator(cdp) {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

// Password sign-in at the relying party through openid-client; returns the ID token's claims.
async function signIn(page) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url(), scope: 'openid', state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const reached = callback.next();
  await page.goto(url.href);
  await submitLogin(page, USER);
  await approveConsentIfShown(page);
  const hit = await reached.catch(async (e) => {
    throw new Error(`${e.message}; the page at ${page.url()} says: ${await bodyText(page)}`);
  });
  const tokens = await oidc.authorizationCodeGrant(config, hit.url, {
    pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true,
  });
  return tokens.claims();
}

// Names the page lists, in its order.
async function listedNames(page) {
  return page.locator('li.factor strong.factor-name').allInnerTexts();
}

function factor(page, name) {
  return page.locator('li.factor', {
    has: page.locator('strong.factor-name', { hasText: new RegExp(`^${name}$`) }),
  });
}

async function clickAndWaitFor(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

// Fills the passkey name and clicks the page's "Add a passkey" button; the script fetches the
// options, runs navigator.credentials.create() and posts the result.
async function addPasskey(page, name) {
  await page.fill('#passkey_name', name);
  const button = 'form[data-webauthn="create"] button[data-webauthn-start]';
  await page.waitForSelector(`${button}:not([hidden])`);
  await clickAndWait(page, button);
}

describe('The security page in Chromium', () => {
  test('add a passkey, sign in again with it, add another, rename it and remove the first', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const laptop = await addAuthenticator(cdp);

    const claims = await signIn(page);
    assert.deepEqual(claims.amr, ['pwd']);
    const pageUrl = `${idm.issuer(REALM)}/account/security`;
    await page.goto(pageUrl);
    assert.match(await bodyText(page), /You have no authenticator app or passkey/);

    // The first passkey. The user now has a second factor and the session only a password, so
    // the page sends the browser through the login again (docs/design/023): password + passkey.
    await addPasskey(page, 'laptop');
    await submitLogin(page, USER);
    const use = 'form[data-webauthn="get"] button[data-webauthn-start]';
    await page.waitForSelector(`${use}:not([hidden])`);
    await clickAndWait(page, use);
    assert.equal(new URL(page.url()).pathname, `/realms/${REALM}/account/security`);
    assert.deepEqual(await listedNames(page), ['laptop']);

    // A second passkey from another authenticator (the first one would refuse: excludeCredentials).
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: laptop });
    const phone = await addAuthenticator(cdp);
    await addPasskey(page, 'phone');
    assert.match(await bodyText(page), /The passkey was added/);
    assert.deepEqual(await listedNames(page), ['laptop', 'phone']);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: phone });
    assert.equal(credentials.length, 1, 'the passkey lives on the second authenticator');

    // Rename the new one, remove the first.
    await factor(page, 'phone').locator('input[name="name"]').fill('work phone');
    await clickAndWaitFor(page, factor(page, 'phone').locator('form[action$="/rename"] button'));
    assert.match(await bodyText(page), /The name was changed/);
    await clickAndWaitFor(page, factor(page, 'laptop').locator('form[action$="/remove"] button'));
    assert.match(await bodyText(page), /The factor was removed/);
    assert.deepEqual(await listedNames(page), ['work phone']);

    const listed = await idm.admin('GET', `/realms/${REALM}/users/${userId}/credentials`);
    assert.deepEqual(listed.items.map((c) => [c.type, c.name]), [['webauthn', 'work phone']]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(IMAGES, 'account-security.png'), fullPage: false });
    await context.close();
  });
});
