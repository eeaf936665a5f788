/**
 * A real OpenID Provider (`oidc-provider`, the certified provider library) on loopback, in the test process, for the
 * workbench to sign in against. Its sign-in page is a one-field form (which account to be); consent is granted
 * without a page, as a city's provider does for its own applications.
 *
 * `tamper` makes the provider's token endpoint hand out an ID token that must be refused — re-signed after one claim
 * is changed (issuer, audience, expiry) with the provider's own key, or signed by a key it never published — so each
 * of the relying party's checks is proven on its own, against an otherwise genuine answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export type Tamper = 'none' | 'signature' | 'issuer' | 'audience' | 'expired';

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by their login (the subject): set or change them at any time. */
  accounts: Map<string, TestAccount>;
  tamper: Tamper;
  /** The env the workbench needs to use this provider. */
  env(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

const CLIENT_ID = 'workbench';
const CLIENT_SECRET = 'test-client-secret-that-is-long-enough';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

/** `appOrigin`: where the workbench runs (its redirect and post-logout URIs are registered for it). */
export async function startTestOidcProvider(appOrigins: string[] | (() => string[])): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const { privateKey: foreignKey } = await generateKeyPair('RS256', { extractable: true });

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const origins = () => (typeof appOrigins === 'function' ? appOrigins() : appOrigins);

  const provider = new Provider(issuer, {
    clients: [], // registered below, once the app's origin is known
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['test-provider-cookie-key-one-two-three'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // Claims go into the ID token itself, as Entra ID and Okta put email and groups there.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true, logoutSource } },
    // Lifetimes set, so the library does not print a notice for each default it used.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    // Consent is the provider's administrator's business: every scope of this client is granted.
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope('openid email profile groups');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
      await grant.save();
      return grant;
    },
  });

  const state: { tamper: Tamper } = { tamper: 'none' };

  // Re-signs the ID token of a token response as `tamper` says, after the provider has made it.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || state.tamper === 'none' || ctx.status !== 200) return;
    const body = ctx.body as { id_token?: string };
    if (!body.id_token) return;
    const claims = decodeJwt(body.id_token);
    const header = decodeProtectedHeader(body.id_token);
    const now = Math.floor(Date.now() / 1000);
    if (state.tamper === 'issuer') claims.iss = 'http://127.0.0.1:9/another-provider';
    if (state.tamper === 'audience') claims.aud = 'some-other-application';
    if (state.tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
    const key = state.tamper === 'signature' ? foreignKey : privateKey;
    body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(key);
    ctx.body = body;
  });

  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      const match = /^\/interaction\/([^/]+)$/.exec(url.pathname);
      if (!match) return handle(req, res);
      try {
        if (req.method === 'GET') {
          await provider.interactionDetails(req, res);
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(
            page(
              'Test identity provider',
              `<form method="post"><label for="login">Account</label> <input id="login" name="login" autocomplete="username"> <button type="submit">Sign in at the provider</button></form>`,
            ),
          );
          return;
        }
        const login = (await readForm(req)).get('login') ?? '';
        if (!accounts.has(login)) {
          res.statusCode = 400;
          res.end(page('Unknown account', '<p>No such account at the test provider.</p>'));
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    })();
  });

  // Clients are read when first used, so origins known only after the app starts still get in.
  const registered = new Set<string>();
  provider.use(async (ctx, next) => {
    const wanted = origins().join(' ');
    if (!registered.has(wanted)) {
      registered.add(wanted);
      await provider.Client.adapter.upsert(CLIENT_ID, {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: origins().map((o) => `${o}/auth/oidc/callback`),
        post_logout_redirect_uris: origins().map((o) => `${o}/login`),
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
    }
    await next();
  });

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accounts,
    get tamper() {
      return state.tamper;
    },
    set tamper(value: Tamper) {
      state.tamper = value;
    },
    env: (extra = {}) => ({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_DISPLAY_NAME: 'Test City ID',
      ...extra,
    }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.body = page(
    'Sign out of the test identity provider?',
    `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
  );
}
