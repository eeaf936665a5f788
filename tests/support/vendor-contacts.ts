/**
 * Vendor contacts in a test through the real server, the way people become them: the lead invites from the vendor's
 * response page, the invitee follows the mailed link, chooses a password, and signs in with the code sent by mail.
 */
import { expect } from 'vitest';
import { openDatabase } from '#db/client';
import { type TestServer, Visitor } from './server';

export const VENDOR_PASSWORD = 'vendor-password-123';

type Db = ReturnType<typeof openDatabase>['db'];

/** Runs `work` on a connection of its own to the server's database. */
export async function withServerDb<T>(server: Pick<TestServer, 'databaseUrl'>, work: (db: Db) => Promise<T>): Promise<T> {
  const handle = openDatabase(server.databaseUrl);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

export async function signInWithMailedCode(server: Pick<TestServer, 'databaseUrl'>, visitor: Visitor, email: string, password = VENDOR_PASSWORD): Promise<void> {
  const login = await visitor.post('/login', { email, password });
  expect(login.headers.get('location')).toBe('/login/verify');
  const mail = await withServerDb(server, (db) =>
    db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).where('kind', '=', 'account.sign_in_code').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
  );
  const code = /Your sign-in code: (\d{6})/.exec(mail.text_body)![1]!;
  const verified = await visitor.post('/login/verify', { code });
  expect(verified.status).toBe(302);
  expect(visitor.sessionCookie).not.toBe('');
}

/** The lead invites a contact of the vendor `vendorKey` to the RFP; the contact joins and signs in. */
export async function inviteAndJoin(server: TestServer, lead: Visitor, rfpId: string, vendorKey: string, name: string, email: string): Promise<Visitor> {
  const submissionId = await withServerDb(server, async (db) => {
    const row = await db
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select('submission.id')
      .where('vendor.key', '=', vendorKey)
      .where('submission.rfp_id', '=', rfpId)
      .executeTakeFirstOrThrow();
    return row.id;
  });
  const invited = await lead.post(`/rfps/${rfpId}/vendors/${submissionId}/portal`, { name, email });
  expect(invited.status).toBe(200);
  const mail = await withServerDb(server, (db) =>
    db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).where('kind', '=', 'account.vendor_invitation').executeTakeFirstOrThrow(),
  );
  const link = /\/invitation\/[A-Za-z0-9_-]+/.exec(mail.text_body)![0];
  const visitor = new Visitor(server.baseUrl);
  const accepted = await visitor.post(link, { name, password: VENDOR_PASSWORD, confirm: VENDOR_PASSWORD });
  expect(accepted.headers.get('location')).toBe('/login/verify');
  await signInWithMailedCode(server, visitor, email);
  return visitor;
}
