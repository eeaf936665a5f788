/**
 * Single sign-on with OpenID Connect, through openid-client (the certified relying-party library): the
 * authorization-code flow with PKCE, `state` and `nonce`. The ID token's signature, issuer, audience, expiry and nonce
 * are checked by the library (signatures too: `enableNonRepudiationChecks`, since by default it trusts TLS for a token
 * fetched from the token endpoint); this module only reads the claims of a token that passed. It then finds, links or
 * creates the account and re-reads its role, or refuses with a reason that is shown, logged and audited.
 */
import * as client from 'openid-client';
import { DISABLED_ACCOUNT_MESSAGE } from '#app/auth/login.server';
import { authSettings, emailDomainAllowed, mapRole, type OidcSettings } from '#app/auth/oidc-settings.server';
import { writeLog } from '#app/observability/log';
import {
  type Actor,
  countActiveAdmins,
  createUser,
  getDb,
  getUserByEmail,
  getUserByIdentity,
  insertOidcSignIn,
  linkUserIdentity,
  noteIdentitySignIn,
  normaliseEmail,
  recordAudit,
  setUserRole,
  takeOidcSignIn,
  type User,
} from '#app/utils/db.server';
import { safeRedirectPath } from '#app/utils/safe-redirect';
import { settleInvitationsBySignIn } from '#db/queries/invitations';
import { hashToken, readCookie, secureCookies } from '#app/utils/session.server';

/** The browser's half of a started sign-in: the callback must carry the same state as this cookie (no login CSRF). */
const STATE_COOKIE = 'wb_oidc_state';
const STATE_COOKIE_PATH = '/auth/oidc';
/** Long enough to type a password and a second factor at the provider; short enough that an old link is useless. */
const SIGN_IN_TTL_MS = 10 * 60_000;
/**
 * Accounts made by single sign-on have no password: this is not an argon2 hash, so no password ever matches it
 * (verifyPassword answers false) until an admin sets one.
 */
const NO_PASSWORD = 'sso:no-password';
/** Who account changes made at sign-in are recorded as: the provider's word, not a person's action. */
const SSO_ACTOR: Actor = { id: null, email: 'single sign-on' };

export type RefusalReason =
  | 'unreachable'
  | 'provider_error'
  | 'state'
  | 'token'
  | 'no_email'
  | 'domain'
  | 'no_role'
  | 'unverified_email'
  | 'vendor_account'
  | 'disabled';

export interface OidcRefusal {
  reason: RefusalReason;
  status: number;
  message: string;
}

export type OidcSignInOutcome = { ok: true; userId: string; idToken: string; redirectTo: string } | { ok: false; refusal: OidcRefusal };

export function oidcSettings(): OidcSettings | null {
  return authSettings().oidc;
}

let configuration: Promise<client.Configuration> | undefined;

/** The provider's metadata and keys, discovered once per process; a failed discovery is tried again next time. */
function oidcConfiguration(settings: OidcSettings): Promise<client.Configuration> {
  configuration ??= client
    .discovery(settings.issuer, settings.clientId, undefined, client.ClientSecretBasic(settings.clientSecret), {
      execute: [client.enableNonRepudiationChecks, ...(settings.allowHttp ? [client.allowInsecureRequests] : [])],
      timeout: 10,
    })
    .catch((error: unknown) => {
      configuration = undefined;
      throw error;
    });
  return configuration;
}

/** The public origin: APP_ORIGIN when set (behind a proxy), else the request's own. */
function appOrigin(request: Request): string {
  return process.env.APP_ORIGIN?.replace(/\/+$/, '') || new URL(request.url).origin;
}

export function oidcRedirectUri(request: Request): string {
  return `${appOrigin(request)}/auth/oidc/callback`;
}

function stateCookie(value: string, maxAgeSeconds: number): string {
  const attributes = [`${STATE_COOKIE}=${value}`, `Path=${STATE_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secureCookies()) attributes.push('Secure');
  return attributes.join('; ');
}

export const CLEAR_STATE_COOKIE = stateCookie('', 0);

const UNREACHABLE: OidcRefusal = {
  reason: 'unreachable',
  status: 503,
  message: 'The identity provider could not be reached, so single sign-on is not available right now. Try again in a few minutes.',
};

/**
 * Starts a sign-in: the state (hashed), nonce and PKCE verifier are kept server-side for one use and ten minutes, and
 * the state also goes to the browser in a cookie scoped to the callback. Returns where to send the browser.
 */
export async function beginOidcSignIn(
  request: Request,
  redirectTo: string | null | undefined,
): Promise<{ ok: true; location: string; cookie: string } | { ok: false; refusal: OidcRefusal }> {
  const settings = oidcSettings();
  if (!settings) throw new Error('Single sign-on is not configured.');
  let config: client.Configuration;
  try {
    config = await oidcConfiguration(settings);
  } catch (error) {
    writeLog('warn', 'oidc discovery failed', { issuer: settings.issuer.href, error: error instanceof Error ? error.message : String(error) });
    return { ok: false, refusal: UNREACHABLE };
  }
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const now = Date.now();
  await insertOidcSignIn(getDb(), {
    id: hashToken(state),
    code_verifier: codeVerifier,
    nonce,
    redirect_to: safeRedirectPath(redirectTo),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + SIGN_IN_TTL_MS).toISOString(),
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(request),
    scope: settings.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { ok: true, location: url.href, cookie: stateCookie(state, SIGN_IN_TTL_MS / 1000) };
}

function refusal(reason: RefusalReason, message: string, status = 403): OidcRefusal {
  return { reason, status, message };
}

/**
 * What the library said, without anything that could carry a token or a claim's value: the messages and codes down
 * the error's causes, and the name of the claim that failed (`iss`, `aud`, `exp`…).
 */
function describeError(error: unknown): Record<string, unknown> {
  const messages: string[] = [];
  const codes: string[] = [];
  let claim: string | null = null;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (current instanceof Error) {
      messages.push(current.message);
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string') codes.push(code);
      current = current.cause;
    } else {
      const named = (current as { claim?: unknown }).claim;
      if (typeof named === 'string') claim = named;
      break;
    }
  }
  if (messages.length === 0) return { error: String(error) };
  return { error: messages.join(': '), errorCode: codes.join(', ') || null, claim };
}

/** Logs and audits a refusal (the audit event has no RFP: it is in the global log an admin reads). */
async function recordRefusal(refusal: OidcRefusal, detail: Record<string, unknown>, who?: { userId?: string | null; email?: string | null }) {
  writeLog('warn', 'oidc sign-in refused', { reason: refusal.reason, ...detail });
  await recordAudit(getDb(), SSO_ACTOR, {
    entity: 'user',
    entityId: who?.userId ?? null,
    action: 'user.sso_refused',
    after: { reason: refusal.reason, email: who?.email ?? null, ...detail },
  });
}

function claimIsTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function personName(claims: client.IDToken, email: string): string {
  if (typeof claims.name === 'string' && claims.name.trim()) return claims.name.trim().slice(0, 200);
  const parts = [claims.given_name, claims.family_name].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.join(' ').slice(0, 200) : email;
}

/**
 * The callback: checks the state against the cookie and the stored sign-in (taking it, so it is used once), lets the
 * library exchange the code and verify the ID token, then applies the installation's rules to its claims.
 */
export async function completeOidcSignIn(request: Request): Promise<OidcSignInOutcome> {
  const settings = oidcSettings();
  if (!settings) throw new Error('Single sign-on is not configured.');
  const url = new URL(request.url);
  const callbackUrl = new URL(`${oidcRedirectUri(request)}${url.search}`);
  const providerError = url.searchParams.get('error');
  const state = url.searchParams.get('state');
  const cookieState = readCookie(request, STATE_COOKIE);
  const started = state && state.length <= 200 ? await takeOidcSignIn(getDb(), hashToken(state)) : undefined;
  if (providerError) {
    const outcome = refusal('provider_error', `The identity provider did not sign you in (${providerError.slice(0, 100)}). Try again, or ask your administrator.`, 400);
    await recordRefusal(outcome, { providerError: providerError.slice(0, 100) });
    return { ok: false, refusal: outcome };
  }
  if (!started || !cookieState || cookieState !== state) {
    const outcome = refusal('state', 'This sign-in was already used, has expired, or was started in another browser. Start again from the sign-in page.', 400);
    await recordRefusal(outcome, { stateKnown: Boolean(started), cookieMatches: Boolean(cookieState) && cookieState === state });
    return { ok: false, refusal: outcome };
  }
  let config: client.Configuration;
  try {
    config = await oidcConfiguration(settings);
  } catch (error) {
    await recordRefusal(UNREACHABLE, describeError(error));
    return { ok: false, refusal: UNREACHABLE };
  }
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  let claims: client.IDToken | undefined;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: started.code_verifier,
      expectedState: state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    const outcome = refusal('token', 'The identity provider’s answer could not be verified, so you were not signed in. Try again; if it happens again, tell your administrator.', 400);
    await recordRefusal(outcome, describeError(error));
    return { ok: false, refusal: outcome };
  }
  if (!claims || !tokens.id_token) {
    const outcome = refusal('token', 'The identity provider sent no ID token, so you were not signed in.', 400);
    await recordRefusal(outcome, {});
    return { ok: false, refusal: outcome };
  }
  const applied = await applySignInRules(settings, claims);
  if (!applied.ok) {
    await recordRefusal(applied.refusal, { issuer: claims.iss, subject: claims.sub }, { userId: applied.userId, email: applied.email });
    return { ok: false, refusal: applied.refusal };
  }
  return { ok: true, userId: applied.userId, idToken: tokens.id_token, redirectTo: started.redirect_to };
}

type RulesOutcome = { ok: true; userId: string } | { ok: false; refusal: OidcRefusal; userId: string | null; email: string | null };

/**
 * The installation's rules on verified claims: an email in an allowed domain, a role from the role claim (or the
 * default), then the account — found by (issuer, subject), else linked by a verified email, else created — whose role
 * is set to the mapped one (audited when it changes). All in one transaction.
 */
async function applySignInRules(settings: OidcSettings, claims: client.IDToken): Promise<RulesOutcome> {
  const email = typeof claims.email === 'string' && claims.email.trim() ? normaliseEmail(claims.email).slice(0, 320) : null;
  if (!email) {
    return { ok: false, userId: null, email: null, refusal: refusal('no_email', 'Your identity provider did not send an email address, which the workbench needs to know who you are. Ask your administrator.') };
  }
  if (!emailDomainAllowed(settings, email)) {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    return { ok: false, userId: null, email, refusal: refusal('domain', `Accounts at ${domain} may not sign in to this workbench. Sign in with your organisation’s account, or ask an administrator.`) };
  }
  const role = mapRole(settings, claims[settings.roleClaim]);
  if (role === null) {
    return { ok: false, userId: null, email, refusal: refusal('no_role', 'Your account has no role in this workbench: none of your groups at the identity provider gives one. Ask an administrator to add you to the right group.') };
  }
  const verified = claimIsTrue(claims[settings.emailVerifiedClaim]);
  return getDb()
    .transaction()
    .execute(async (trx): Promise<RulesOutcome> => {
      let user: User | undefined = await getUserByIdentity(trx, claims.iss, claims.sub);
      if (!user) {
        const existing = await getUserByEmail(trx, email);
        if (existing && !verified) {
          return {
            ok: false,
            userId: existing.id,
            email,
            refusal: refusal(
              'unverified_email',
              'An account with your email address exists, but your identity provider has not confirmed that this address is yours, so you were not signed in to it. Ask an administrator.',
            ),
          };
        }
        // A vendor contact's account belongs to the vendor portal and signs in there, with its password and a mailed
        // code: the city's identity provider never opens it (nor turns it into a staff account by a role claim).
        if (existing?.role === 'vendor') {
          return {
            ok: false,
            userId: existing.id,
            email,
            refusal: refusal('vendor_account', 'Your email address belongs to a vendor contact’s account, which signs in with its password on the sign-in page, not through the city’s identity provider.'),
          };
        }
        if (existing) {
          user = existing;
          await recordAudit(trx, SSO_ACTOR, { entity: 'user', entityId: user.id, action: 'user.sso_link', after: { email, issuer: claims.iss } });
        } else {
          const created = await createUser(trx, SSO_ACTOR, { email, name: personName(claims, email), role, passwordHash: NO_PASSWORD });
          user = { ...created, password_hash: NO_PASSWORD };
        }
        await linkUserIdentity(trx, { issuer: claims.iss, subject: claims.sub, userId: user.id });
        // The person came in by the identity provider; an invitation of their address has done its job.
        await settleInvitationsBySignIn(trx, email, user.id);
      } else {
        await noteIdentitySignIn(trx, claims.iss, claims.sub);
      }
      if (user.disabled) return { ok: false, userId: user.id, email, refusal: refusal('disabled', DISABLED_ACCOUNT_MESSAGE) };
      if (user.role !== role) {
        // The provider is the authority on roles, but not to the point of leaving the workbench without an
        // administrator: the last enabled admin keeps the role (audited, so an admin can see why) until another exists.
        if (user.role === 'admin' && (await countActiveAdmins(trx)) <= 1) {
          await recordAudit(trx, SSO_ACTOR, { entity: 'user', entityId: user.id, action: 'user.sso_role_kept', after: { email: user.email, role: user.role, mapped_role: role } });
        } else {
          await setUserRole(trx, SSO_ACTOR, user.id, role);
        }
      }
      return { ok: true, userId: user.id };
    });
}

/**
 * Where sign-out sends the browser: the provider's end-session endpoint (RP-initiated logout) when it has one and the
 * session began with single sign-on, else null (the app's own sign-in page).
 */
export async function oidcSignOutUrl(request: Request, idToken: string | undefined): Promise<string | null> {
  const settings = oidcSettings();
  if (!settings || !idToken) return null;
  try {
    const config = await oidcConfiguration(settings);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: `${appOrigin(request)}/login` }).href;
  } catch (error) {
    // The app's session is already ended; the provider's stays until it expires there.
    writeLog('warn', 'oidc sign-out could not reach the provider', describeError(error));
    return null;
  }
}
