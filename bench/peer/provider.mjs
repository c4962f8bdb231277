// The benchmark's peer: node-oidc-provider (OpenID Certified), configured to do what idm does in
// each scenario of bench/compare.py, as close as its options allow:
//   - one confidential client "bench" (client_secret_basic) with client_credentials,
//     authorization_code (+ PKCE, required as in idm) and refresh_token (rotated on every use, as
//     in idm);
//   - JWT access tokens for client credentials, signed ES256, RS256 or EdDSA: one resource
//     indicator per algorithm (urn:bench:es256, urn:bench:rs256, urn:bench:eddsa; RFC 8707);
//   - introspection and userinfo (both work on its opaque access tokens only: it refuses to
//     introspect JWTs, see lib/shared/reject_structured_tokens.js);
//   - its development interactions for the login (any account, no password check: there is no
//     Argon2 on the peer's side of the login round trip).
// In-memory storage (the library's default adapter), one Node.js process.
//
//   PORT=4000 BENCH_SECRET=... node provider.mjs
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 4000);
const secret = process.env.BENCH_SECRET;
if (!secret) throw new Error('BENCH_SECRET is required');
const issuer = `http://127.0.0.1:${port}`;
const redirect = 'https://app.bench.test/cb';

function jwk(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `${alg}-${randomUUID()}` };
}

const algs = { 'urn:bench:es256': 'ES256', 'urn:bench:rs256': 'RS256', 'urn:bench:eddsa': 'EdDSA' };

const configuration = {
  clients: [{
    client_id: 'bench',
    client_secret: secret,
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [redirect],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  }],
  jwks: {
    keys: [
      jwk('ec', { namedCurve: 'P-256' }, 'ES256'),
      jwk('rsa', { modulusLength: 2048 }, 'RS256'),
      jwk('ed25519', {}, 'EdDSA'),
    ],
  },
  enabledJWA: {
    idTokenSigningAlgValues: ['ES256', 'RS256', 'EdDSA'],
    userinfoSigningAlgValues: ['ES256', 'RS256', 'EdDSA'],
  },
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (_ctx, resource) => {
        const alg = algs[resource];
        if (!alg) throw new Error(`unknown resource ${resource}`);
        return { scope: 'api', audience: resource, accessTokenTTL: 300, accessTokenFormat: 'jwt',
          jwt: { sign: { alg } } };
      },
    },
  },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'api'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  pkce: { required: () => true },
  rotateRefreshToken: () => true,
  ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, RefreshToken: 1800,
    Interaction: 600, Session: 36000, Grant: 36000 },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, name: `User ${sub}`, email: `${sub}@bench.test`, email_verified: true }),
  }),
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (_ctx, err) => console.error('server_error', err));
provider.listen(port, '127.0.0.1', () => console.log(`peer listening on ${issuer}`));
