import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { providerSignOutUrl } from '#app/auth/oidc-session.server';
import { endSession, getCurrentUser } from '#app/utils/session.server';

/** Signing out is a POST (a link could be triggered by another site). GET just goes home. */
export async function loader() {
  return redirect('/');
}

/** Ends the app's session; one begun by single sign-on then goes on to the provider's sign-out when it offers one. */
export async function action({ request }: ActionFunctionArgs) {
  const providerSignOut = await providerSignOutUrl(request, await getCurrentUser(request));
  const cookie = await endSession(request);
  return redirect(providerSignOut ?? '/login', { headers: { 'Set-Cookie': cookie } });
}
