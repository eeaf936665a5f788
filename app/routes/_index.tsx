import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { getCurrentUser } from '#app/utils/session.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  return redirect(user ? '/rfps' : '/login');
}
