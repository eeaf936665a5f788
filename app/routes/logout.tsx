import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { endSession } from '#app/utils/session.server';

/** Signing out is a POST (a link could be triggered by another site). GET just goes home. */
export async function loader() {
  return redirect('/');
}

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await endSession(request);
  return redirect('/login', { headers: { 'Set-Cookie': cookie } });
}
