import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { SignInRefusal } from '#app/components/single-sign-on';
import { CLEAR_STATE_COOKIE, completeOidcSignIn, oidcSettings } from '#app/auth/oidc.server';
import { startOidcSession } from '#app/auth/oidc-session.server';

export const meta: MetaFunction = () => [{ title: 'Not signed in · AI Vendor Evaluation Workbench' }];

/** Where the identity provider sends the browser back: signs the person in, or says why not (never a 500). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!oidcSettings()) throw new Response('Not Found', { status: 404 });
  const outcome = await completeOidcSignIn(request);
  const headers = new Headers({ 'Set-Cookie': CLEAR_STATE_COOKIE });
  if (!outcome.ok) return json({ message: outcome.refusal.message }, { status: outcome.refusal.status, headers });
  headers.append('Set-Cookie', await startOidcSession(request, outcome.userId, outcome.idToken, context.clientIp));
  return redirect(outcome.redirectTo, { headers });
}

export default function OidcCallback() {
  const { message } = useLoaderData<typeof loader>();
  return <SignInRefusal title="You were not signed in" message={message} />;
}
