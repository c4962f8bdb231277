// Interop: Node's openid-client (npm, the certified relying-party library by panva) signs a user
// in to idm through Debian's Chromium, then uses every token endpoint idm offers. Each test runs
// against a fresh realm of one idm process (SQLite, or PostgreSQL when IDM_TEST_PG_URL is set).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';

import { approveConsentIfShown, launchBrowser, startCallbackServer, submitLogin } from './lib/browser.mjs';
import { startIdm } from './lib/idm.mjs';

const REALM = 'interop';
const USER = { username: 'alice', password: 'correct horse battery staple', email: 'alice@example.test',
  first_name: 'Alice', last_name: 'Liddell', email_verified: true };
const insecure = { execute: [oidc.allowInsecureRequests] };

let idm;
let browser;
let callback;

before(async () => {
  idm = await startIdm();
  callback = await startCallbackServer();
  browser = await launchBrowser();
  await idm.createRealm(REALM);
  await idm.createUser(REALM, USER);
});

after(async () => {
  await browser?.close();
  await callback?.close();
  await idm?.stop();
});

// One browser sign-in with code + PKCE (RFC 7636 S256) through openid-client's own URL builder
// and callback checks (state, nonce, iss per RFC 9207, ID token signature against JWKS).
async function signIn(config, page, { scope = 'openid profile email offline_access', login = true } = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback.url(),
    scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const reached = callback.next();
  await page.goto(url.href);
  if (login) await submitLogin(page, USER);
  await approveConsentIfShown(page);
  const hit = await reached;
  return oidc.authorizationCodeGrant(config, hit.url, {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
}

async function expectOAuthError(promise, error) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.error, error, `expected ${error}, got ${e.error}: ${e.message}`);
    return true;
  });
}

describe('openid-client with a confidential client (client_secret_post)', () => {
  let config;
  let page;
  let clientId;

  before(async () => {
    const client = await idm.createClient(REALM, {
      client_id: 'node-web', name: 'Node web app', redirect_uris: [callback.url()],
      post_logout_redirect_uris: [callback.url('/logged-out')],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
    clientId = client.client_id;
    config = await oidc.discovery(new URL(idm.issuer(REALM)), clientId, client.client_secret,
      oidc.ClientSecretPost(client.client_secret), insecure);
    page = await (await browser.createBrowserContext()).newPage();
  });

  test('discovery names the endpoints openid-client needs', () => {
    const m = config.serverMetadata();
    assert.equal(m.issuer, idm.issuer(REALM));
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint',
      'introspection_endpoint', 'revocation_endpoint']) {
      assert.ok(m[key], `${key} is advertised`);
    }
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
  });

  test('code + PKCE sign-in returns verified ID token claims, refresh rotates, userinfo and introspection agree, revocation ends the grant', async () => {
    const tokens = await signIn(config, page);
    const claims = tokens.claims();
    assert.equal(claims.iss, idm.issuer(REALM));
    assert.equal(claims.aud, clientId);
    assert.equal(claims.email, USER.email);
    assert.ok(claims.sid, 'sid claim');
    assert.ok(claims.auth_time, 'auth_time claim');
    assert.ok(tokens.refresh_token.startsWith('idm_rt_'));

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(userinfo.email, USER.email);
    assert.equal(userinfo.given_name, USER.first_name);

    const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspected.active, true);
    assert.equal(introspected.client_id, clientId);
    assert.equal(introspected.sub, claims.sub);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal(refreshed.claims()?.sub ?? claims.sub, claims.sub);

    await oidc.tokenRevocation(config, refreshed.refresh_token);
    const afterRevocation = await oidc.tokenIntrospection(config, refreshed.refresh_token);
    assert.equal(afterRevocation.active, false);
    await expectOAuthError(oidc.refreshTokenGrant(config, refreshed.refresh_token), 'invalid_grant');
  });

  test('a replayed refresh token fails and revokes its whole family', async () => {
    const tokens = await signIn(config, page, { login: false });  // the SSO session signs in
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    await expectOAuthError(oidc.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
    await expectOAuthError(oidc.refreshTokenGrant(config, rotated.refresh_token), 'invalid_grant');
  });

  test('RP-initiated logout with id_token_hint ends the SSO session and returns to the registered URI with state', async () => {
    // Still signed in (SSO); no offline_access, so the refresh token belongs to the session.
    const tokens = await signIn(config, page, { login: false, scope: 'openid profile email' });
    const state = oidc.randomState();
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token, post_logout_redirect_uri: callback.url('/logged-out'), state,
    });
    const reached = callback.next();
    await page.goto(url.href);
    const hit = await reached;
    assert.equal(hit.url.pathname, '/logged-out');
    assert.equal(hit.url.searchParams.get('state'), state);
    // The refresh token of that session died with it (it was not offline_access).
    await expectOAuthError(oidc.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
    // Signing in again needs the password.
    const again = await signIn(config, page, { scope: 'openid email' });
    assert.equal(again.claims().email, USER.email);
  });

  test('a wrong client secret is invalid_client', async () => {
    const wrong = await oidc.discovery(new URL(idm.issuer(REALM)), clientId, 'not-the-secret',
      oidc.ClientSecretPost('not-the-secret'), insecure);
    await expectOAuthError(oidc.tokenIntrospection(wrong, 'anything'), 'invalid_client');
  });
});

describe('openid-client with a public client (native app, loopback redirect, none)', () => {
  test('code + PKCE with a loopback redirect on a random port signs in without a client secret', async () => {
    // RFC 8252 §7.3: registered without a port, used with the one the app happened to get.
    await idm.createClient(REALM, {
      client_id: 'native-app', name: 'Native app', type: 'public',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
      scopes: ['openid', 'profile', 'email'],
    });
    const config = await oidc.discovery(new URL(idm.issuer(REALM)), 'native-app', undefined,
      oidc.None(), insecure);
    const page = await (await browser.createBrowserContext()).newPage();
    const tokens = await signIn(config, page, { scope: 'openid profile email' });
    assert.equal(tokens.claims().aud, 'native-app');
    assert.equal(tokens.claims().preferred_username, USER.username);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.access_token);
  });
});
