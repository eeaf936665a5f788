import { json } from '@remix-run/node';
import { pingDatabase } from '#app/utils/db.server';

/** Public liveness and database check for load balancers (DESIGN §9). Reveals nothing but the dialect. */
export async function loader() {
  const headers = { 'Cache-Control': 'no-store' };
  try {
    return json({ status: 'ok', db: await pingDatabase() }, { headers });
  } catch {
    const db = (process.env.DATABASE_URL ?? '').startsWith('postgres') ? 'postgres' : 'sqlite';
    return json({ status: 'unavailable', db }, { status: 503, headers });
  }
}
