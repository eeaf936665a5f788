/**
 * Vendor contacts in HTTP tests, the way a person becomes one: the lead invites them from the vendor's portal page,
 * they follow the mailed link, choose a password and type the code the sign-in mails them. Also a contact of an
 * organisation that was never invited, made directly in the database. Each step fails loudly, saying which.
 */
import { openDatabase } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { hashPassword } from '#db/password';
import type { TestServer } from './server';
import { Visitor } from './server';

export const VENDOR_PASSWORD = 'vendor-password-123';

type Db = ReturnType<typeof openDatabase>['db'];

export async function withDb<T>(server: Pick<TestServer, 'databaseUrl'>, run: (db: Db) => Promise<T>): Promise<T> {
  const handle = openDatabase(server.databaseUrl);
  try {
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}

/** Password, then the six-digit code from the newest sign-in mail. */
export async function signInWithMailedCode(server: TestServer, visitor: Visitor, email: string, password = VENDOR_PASSWORD): Promise<void> {
  const login = await visitor.post('/login', { email, password });
  if (login.headers.get('location') !== '/login/verify') throw new Error(`Sign-in of ${email} did not ask for a code: ${login.status} ${login.headers.get('location') ?? ''}`);
  const mail = await withDb(server, (db) =>
    db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).where('kind', '=', 'account.sign_in_code').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
  );
  const code = /Your sign-in code: (\d{6})/.exec(mail.text_body)?.[1];
  if (!code) throw new Error(`No sign-in code in the mail to ${email}`);
  const verified = await visitor.post('/login/verify', { code });
  if (verified.status !== 302 || visitor.sessionCookie === '') throw new Error(`The mailed code of ${email} did not sign in: ${verified.status}`);
}

/** The id of the vendor's response in the RFP (the lead's portal page of that vendor hangs off it). */
export async function submissionOf(server: TestServer, rfpId: string, vendorKey: string): Promise<string> {
  return withDb(server, async (db) => {
    const row = await db
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select('submission.id')
      .where('submission.rfp_id', '=', rfpId)
      .where('vendor.key', '=', vendorKey)
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The lead invites; the invitee follows the mailed link, chooses a password, and types the mailed code. */
export async function inviteAndJoin(server: TestServer, lead: Visitor, rfpId: string, contact: { vendorKey: string; name: string; email: string }): Promise<Visitor> {
  const submissionId = await submissionOf(server, rfpId, contact.vendorKey);
  const invited = await lead.post(`/rfps/${rfpId}/vendors/${submissionId}/portal`, { name: contact.name, email: contact.email });
  if (invited.status !== 200) throw new Error(`Inviting ${contact.email} answered ${invited.status}`);
  const mail = await withDb(server, (db) =>
    db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', contact.email).where('kind', '=', 'account.vendor_invitation').executeTakeFirstOrThrow(),
  );
  const link = /\/invitation\/[A-Za-z0-9_-]+/.exec(mail.text_body)?.[0];
  if (!link) throw new Error(`No invitation link in the mail to ${contact.email}`);
  const visitor = new Visitor(server.baseUrl);
  const accepted = await visitor.post(link, { name: contact.name, password: VENDOR_PASSWORD, confirm: VENDOR_PASSWORD });
  if (accepted.headers.get('location') !== '/login/verify') throw new Error(`Accepting the invitation of ${contact.email} answered ${accepted.status}`);
  await signInWithMailedCode(server, visitor, contact.email);
  return visitor;
}

/** A contact of an organisation that was never invited to any RFP, signed in. */
export async function uninvitedContact(server: TestServer, contact: { vendorKey: string; name: string; email: string }): Promise<Visitor> {
  const passwordHash = await hashPassword(VENDOR_PASSWORD);
  await withDb(server, async (db) => {
    const vendor = await db.selectFrom('vendor').select('id').where('key', '=', contact.vendorKey).executeTakeFirstOrThrow();
    const id = newId();
    const now = nowIso();
    await db.insertInto('app_user').values({ id, email: contact.email, name: contact.name, role: 'vendor', password_hash: passwordHash, disabled: 0, created_at: now, updated_at: now }).execute();
    await db.insertInto('vendor_contact').values({ user_id: id, vendor_id: vendor.id, created_at: now }).execute();
  });
  const visitor = new Visitor(server.baseUrl);
  await signInWithMailedCode(server, visitor, contact.email);
  return visitor;
}
