import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { SignInRefusal } from '#app/components/single-sign-on';
import { beginOidcSignIn, oidcSettings } from '#app/auth/oidc.server';

export const meta: MetaFunction = () => [{ title: 'Single sign-on · AI Vendor Evaluation Workbench' }];

/** Starting single sign-on is a POST from the sign-in page (the cross-site check applies); a GET goes to that page. */
export async function loader() {
  return redirect('/login');
}

export async function action({ request }: ActionFunctionArgs) {
  if (!oidcSettings()) throw new Response('Not Found', { status: 404 });
  const form = await request.formData();
  const redirectTo = form.get('redirectTo');
  const started = await beginOidcSignIn(request, typeof redirectTo === 'string' ? redirectTo : null);
  if (!started.ok) return json({ message: started.refusal.message }, { status: started.refusal.status });
  return redirect(started.location, { headers: { 'Set-Cookie': started.cookie } });
}

/** Shown only when the sign-in could not start (the provider unreachable). */
export default function OidcStart() {
  const data = useActionData<typeof action>();
  return <SignInRefusal title="Single sign-on is not available" message={data?.message ?? 'Start single sign-on from the sign-in page.'} />;
}
