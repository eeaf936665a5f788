import { randomBytes } from 'node:crypto';
import { nowIso } from '../ids';
import type { Executor } from './audit';

/**
 * The installation's secret for `name`, made on first use: 256 random bits, base64url. Race-safe across app processes
 * (each may be first): every caller inserts with ON CONFLICT DO NOTHING and then reads whichever row won, so all of
 * them use the same value.
 */
export async function getInstallationSecret(db: Executor, name: string): Promise<string> {
  const existing = await readSecret(db, name);
  if (existing !== undefined) return existing;
  await db
    .insertInto('installation_secret')
    .values({ name, value: randomBytes(32).toString('base64url'), created_at: nowIso() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await readSecret(db, name);
  if (stored === undefined) throw new Error(`The installation secret “${name}” could not be stored.`);
  return stored;
}

async function readSecret(db: Executor, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('installation_secret').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}
