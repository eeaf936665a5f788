/**
 * A session begun by single sign-on keeps the ID token it began with, so signing out can end the provider's session
 * too (its end-session endpoint wants the token as `id_token_hint`). The row goes with the session (ON DELETE CASCADE).
 */
import { oidcSignOutUrl } from '#app/auth/oidc.server';
import { getDb, getOidcSessionIdToken, insertOidcSession } from '#app/utils/db.server';
import { type SignedInUser, sessionIdOfCookie, startSession } from '#app/utils/session.server';

export async function startOidcSession(request: Request, userId: string, idToken: string, clientIp: string): Promise<string> {
  const cookie = await startSession(request, userId, clientIp);
  await insertOidcSession(getDb(), sessionIdOfCookie(cookie), idToken);
  return cookie;
}

/** Where to go after the app's session ends: the provider's sign-out for a single sign-on session, else null. */
export async function providerSignOutUrl(request: Request, user: SignedInUser | null): Promise<string | null> {
  if (!user) return null;
  return oidcSignOutUrl(request, await getOidcSessionIdToken(getDb(), user.sessionId));
}
