// Interop: WebAuthn passkeys in Debian's Chromium (Playwright: playwright-core, lib/playwright.mjs)
// with a virtual authenticator from the DevTools Protocol `WebAuthn` domain, reached through
// context.newCDPSession(page) (CTAP2, internal transport, resident keys, user
// verification), signed in through openid-client's code + PKCE flow. Covers enrolment during
// login, password + passkey, username-less sign-in, a cloned authenticator (counter regression,
// audited), a removed credential, and user verification required by a policy change while the
// assertion is on its way. idm runs on http://localhost (a secure context whose host is a valid RP
// ID). See docs/design/018-webauthn.md.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';

import {
  approveConsentIfShown, bodyText, clickAndWait, launchBrowser, startCallbackServer, submitLogin,
} from './lib/playwright.mjs';
import { startIdm } from './lib/idm.mjs';

const REALM = 'passkeys';
const USER = { username: 'pat', password: 'correct horse battery staple', email: 'pat@example.test' };
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
  await idm.createRealm(REALM, { mfa_policy: 'required', passwordless_webauthn: true });
  const user = await idm.createUser(REALM, USER);
  userId = user.id;
  const client = await idm.createClient(REALM, {
    client_id: 'passkey-app', name: 'Passkey app', redirect_uris: [callback.url()],
    grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post',
    scopes: ['openid', 'profile'], consent_required: false,
  });
  config = await oidc.discovery(new URL(idm.issuer(REALM)), client.client_id, client.client_secret,
    oidc.ClientSecretPost(client.client_secret), insecure);
});

after(async () => {
  await browser?.close();
  await callback?.close();
  await idm?.stop();
});

// A fresh browser context (no SSO session) with a virtual platform authenticator.
async function pageWithAuthenticator(options = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true, ...options,
    },
  });
  return { page, cdp, authenticatorId };
}

// Starts a code + PKCE sign-in in `page`; `steps(page)` drives idm's pages; returns the tokens.
async function signIn(page, steps) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url(), scope: 'openid profile', state, nonce, prompt: 'login',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const reached = callback.next();
  await page.goto(url.href);
  await steps(page);
  await approveConsentIfShown(page);
  const hit = await reached.catch(async (e) => {
    // Say where the browser got stuck instead of only that the callback was not reached.
    throw new Error(`${e.message}; the page at ${page.url()} says: ${await bodyText(page)}`);
  });
  return oidc.authorizationCodeGrant(config, hit.url, {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
}

async function clickPasskey(page, ceremony) {
  const button = `form[data-webauthn="${ceremony}"] button[data-webauthn-start]`;
  await page.waitForSelector(`${button}:not([hidden])`);
  await clickAndWait(page, button);
}

// Starts a sign-in that is expected to be refused on idm's login page; returns the page text.
async function refusedPasskeyLogin(page) {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url(), scope: 'openid', state: oidc.randomState(), prompt: 'login',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  await page.goto(url.href);
  await clickPasskey(page, 'get');
  return bodyText(page);
}

// The reasons idm logged for refused passkeys (PasskeyRefused lines), oldest first.
function refusalReasons() {
  return idm.log().split('\n').filter((l) => l.includes('"msg":"PasskeyRefused"'))
    .map((l) => JSON.parse(l).reason);
}

async function auditTypes() {
  const body = await idm.admin('GET', `/realms/${REALM}/audit-events?limit=1000`);
  return body.items.map((e) => e.type);
}

describe('WebAuthn passkeys in Chromium', () => {
  let first;

  test('a passkey enrolled during login signs in with amr pwd swk user mfa and acr phishing-resistant', async () => {
    first = await pageWithAuthenticator();
    const tokens = await signIn(first.page, async (page) => {
      await submitLogin(page, USER);
      await page.locator('#passkey_name').evaluate((el) => { el.value = 'laptop'; });
      await clickPasskey(page, 'create');
    });
    const claims = tokens.claims();
    assert.deepEqual(claims.amr, ['pwd', 'swk', 'user', 'mfa']);
    assert.equal(claims.acr, 'phishing-resistant');
    const listed = await idm.admin('GET', `/realms/${REALM}/users/${userId}/credentials`);
    const passkeys = listed.items.filter((c) => c.type === 'webauthn');
    assert.equal(passkeys.length, 1);
    assert.equal(passkeys[0].name, 'laptop');
    assert.equal(JSON.stringify(passkeys[0]).includes('public_key'), false);
  });

  test('password then passkey as the second factor', async () => {
    const tokens = await signIn(first.page, async (page) => {
      await submitLogin(page, USER);
      await clickPasskey(page, 'get');
    });
    assert.deepEqual(tokens.claims().amr, ['pwd', 'swk', 'user', 'mfa']);
    assert.equal(tokens.claims().acr, 'phishing-resistant');
  });

  test('username-less sign-in with the discoverable passkey', async () => {
    const tokens = await signIn(first.page, async (page) => clickPasskey(page, 'get'));
    const claims = tokens.claims();
    assert.deepEqual(claims.amr, ['swk', 'user', 'mfa']);
    assert.equal(claims.acr, 'phishing-resistant');
    assert.equal(claims.sub, (await signInSub(first.page)));
  });

  // The sub of a password + passkey sign-in, to compare with the username-less one.
  async function signInSub(page) {
    const tokens = await signIn(page, async (p) => {
      await submitLogin(p, USER);
      await clickPasskey(p, 'get');
    });
    return tokens.claims().sub;
  }

  test('a cloned authenticator (lower signature counter) is refused and audited', async () => {
    const { credentials } = await first.cdp.send('WebAuthn.getCredentials',
      { authenticatorId: first.authenticatorId });
    assert.equal(credentials.length, 1);
    assert.ok(credentials[0].signCount > 1, 'the real authenticator has counted its signatures');
    const clone = await pageWithAuthenticator();
    await clone.cdp.send('WebAuthn.addCredential', {
      authenticatorId: clone.authenticatorId,
      credential: { ...credentials[0], signCount: 0 },
    });
    const text = await refusedPasskeyLogin(clone.page);
    assert.match(text, /incorrect|not accepted|could not/i);
    assert.ok((await auditTypes()).includes('WebAuthnSignCountRegression'));
    assert.equal(refusalReasons().at(-1), 'sign_count_regression');
  });

  test('user verification required by a policy change mid-ceremony refuses an unverified assertion', async () => {
    const { credentials } = await first.cdp.send('WebAuthn.getCredentials',
      { authenticatorId: first.authenticatorId });
    // An authenticator that cannot verify its user, holding the same passkey (counter ahead).
    const noUv = await pageWithAuthenticator({ hasUserVerification: false, isUserVerified: false });
    await noUv.cdp.send('WebAuthn.addCredential', {
      authenticatorId: noUv.authenticatorId,
      credential: { ...credentials[0], signCount: credentials[0].signCount + 100 },
    });
    const page = noUv.page;
    // The policy changes while the assertion is on its way: the POST is held until it has.
    await page.route('**/login-actions/mfa', async (route) => {
      if (route.request().method() === 'POST') {
        await idm.admin('PATCH', `/realms/${REALM}`,
          { settings: { webauthn_user_verification: 'required' } });
      }
      await route.continue();
    });
    try {
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: callback.url(), scope: 'openid', state: oidc.randomState(), prompt: 'login',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      });
      await page.goto(url.href);
      await submitLogin(page, USER);
      await clickPasskey(page, 'get');
      const text = await bodyText(page);
      assert.match(text, /incorrect/i, 'the MFA page again, with the failure message');
      assert.ok(await page.locator('form[data-webauthn="get"]').count() > 0, 'still on the MFA page');
      assert.equal(refusalReasons().at(-1), 'user_not_verified');
    } finally {
      await idm.admin('PATCH', `/realms/${REALM}`,
        { settings: { webauthn_user_verification: 'preferred' } });
    }
  });

  test('a removed passkey no longer signs in', async () => {
    const listed = await idm.admin('GET', `/realms/${REALM}/users/${userId}/credentials`);
    for (const c of listed.items.filter((i) => i.type === 'webauthn')) {
      await idm.admin('DELETE', `/realms/${REALM}/users/${userId}/credentials/${c.id}`);
    }
    const text = await refusedPasskeyLogin(first.page);
    assert.match(text, /incorrect|not accepted|could not/i);
    assert.equal(refusalReasons().at(-1), 'unknown_credential');
  });
});
