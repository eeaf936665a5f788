/**
 * Database-backed sessions. The cookie holds a random 256-bit token; the row id is its sha256.
 * Sessions end on logout, after IDLE_MINUTES without use, after ABSOLUTE_HOURS in any case, and when
 * the user is disabled or their password is reset.
 */
import { createHash, randomBytes } from 'node:crypto';
import { redirect } from '@remix-run/node';
import { noteRequestUser } from '#app/observability/request-context';
import type { GlobalRole, SessionRestriction } from '#db/schema';
import { deleteSession, getDb, getSessionWithUser, insertSession, type PublicUser, recordSignIn, touchSession } from './db.server';

export const SESSION_COOKIE = 'wb_session';
export const IDLE_MINUTES = Number(process.env.SESSION_IDLE_MINUTES ?? 30);
const ABSOLUTE_HOURS = Number(process.env.SESSION_ABSOLUTE_HOURS ?? 12);
/** Avoid a write per request: last-seen is refreshed at most once a minute. */
const TOUCH_EVERY_MS = 60_000;

/** Whether cookies are marked Secure: COOKIE_SECURE, else in production. Every cookie the app sets follows it. */
export function secureCookies(): boolean {
  if (process.env.COOKIE_SECURE) return process.env.COOKIE_SECURE !== 'false';
  return process.env.NODE_ENV === 'production';
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function cookieHeader(value: string, maxAgeSeconds: number): string {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secureCookies()) attributes.push('Secure');
  return attributes.join('; ');
}

/** Whoever is signed in: one of the city's staff, or a vendor contact. */
export interface SignedInUser extends PublicUser {
  sessionId: string;
  /** What this session must do before anything else (a temporary password to replace, a second factor to enrol). */
  restriction: SessionRestriction | null;
}

/** A signed-in member of the city's staff: every staff page is guarded by `requireUser`, which returns one. */
export interface CurrentUser extends SignedInUser {
  role: GlobalRole;
}

/** Where a vendor contact lands: the portal is the only part of the workbench their sessions reach. */
export const VENDOR_HOME = '/vendor';

/** The one page a restricted session may use (with sign-out). */
export const RESTRICTION_PAGES: Record<SessionRestriction, string> = {
  'change-password': '/account/password',
  'enrol-two-factor': '/account/two-factor',
};

/** The signed-in user, or null. Expired, idle or disabled sessions are deleted on sight. */
export async function getCurrentUser(request: Request): Promise<SignedInUser | null> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token || token.length > 200) return null;
  const db = getDb();
  const id = hashToken(token);
  const found = await getSessionWithUser(db, id);
  if (!found) return null;
  const now = Date.now();
  const idleExpired = now - new Date(found.session.last_seen_at).getTime() > IDLE_MINUTES * 60_000;
  const absoluteExpired = now >= new Date(found.session.expires_at).getTime();
  if (idleExpired || absoluteExpired || found.user.disabled) {
    await deleteSession(db, id);
    return null;
  }
  if (now - new Date(found.session.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await touchSession(db, id, new Date(now).toISOString());
  }
  const { password_hash: _omit, ...user } = found.user;
  noteRequestUser(user.id);
  return { ...user, sessionId: id, restriction: found.session.restriction };
}

function loginRedirect(request: Request): never {
  const url = new URL(request.url);
  const back = request.method === 'GET' ? `${url.pathname}${url.search}` : '/rfps';
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

/**
 * Throws a redirect to the sign-in page when nobody is signed in, and to the one page a restricted session may use
 * when it is restricted. For the pages both audiences use (their own account), nothing else.
 */
export async function requireSignedIn(request: Request): Promise<SignedInUser> {
  const user = await getCurrentUser(request);
  if (!user) loginRedirect(request);
  if (user.restriction) {
    const page = RESTRICTION_PAGES[user.restriction];
    if (new URL(request.url).pathname !== page) throw redirect(page);
  }
  return user;
}

/**
 * The guard of every staff page, loader and action (directly or through permissions.server.ts): a vendor contact is
 * sent to the portal, whatever the page, so no staff page, loader JSON or export is reachable from a vendor session
 * even where its own permission check would forget the audience.
 */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await requireSignedIn(request);
  if (!isStaff(user)) throw redirect(VENDOR_HOME);
  return user;
}

export function isStaff(user: SignedInUser): user is CurrentUser {
  return user.role !== 'vendor';
}

/** Starts a new session (always a new id: no session fixation) and returns the Set-Cookie header. */
export async function startSession(
  request: Request,
  userId: string,
  clientIp: string,
  restriction: SessionRestriction | null = null,
): Promise<string> {
  const db = getDb();
  const previous = readCookie(request, SESSION_COOKIE);
  if (previous) await deleteSession(db, hashToken(previous));
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertSession(db, {
    id: hashToken(token),
    user_id: userId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ABSOLUTE_HOURS * 3_600_000).toISOString(),
    ip: clientIp,
    user_agent: request.headers.get('user-agent')?.slice(0, 300) ?? null,
    restriction,
  });
  await recordSignIn(db, userId, now.toISOString());
  return cookieHeader(token, ABSOLUTE_HOURS * 3600);
}

/** The session id (the token's sha256) a `startSession` cookie carries, for rows that belong to that session. */
export function sessionIdOfCookie(setCookie: string): string {
  const token = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(setCookie)?.[1];
  if (!token) throw new Error('Not a session cookie.');
  return hashToken(token);
}

/** Revokes the current session and returns the header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await deleteSession(getDb(), hashToken(token));
  return cookieHeader('', 0);
}

export { safeRedirectPath } from './safe-redirect';
