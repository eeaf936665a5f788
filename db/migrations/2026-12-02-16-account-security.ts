/**
 * Account security (issue 14, items 2 and 3): a second factor, invitations, password changes, and the installation's
 * sign-in policy.
 * - `account_security`: per account, everything about how it signs in that must never travel with the user row (whose
 *   before/after goes into the audit log): the TOTP secret, a secret being enrolled, the last time step used (so a code
 *   cannot be replayed), whether the next sign-in must choose a new password, and the last sign-in.
 * - `recovery_code`: single-use codes for a lost authenticator, stored as SHA-256 hashes.
 * - `login_challenge`: a password that was right, waiting for its second factor; the cookie holds the token, the row its hash.
 * - `invitation`: a single-use link (the row holds the token's hash) that lets a person create their own account.
 * - `installation_setting`: settings an admin changes in the app (which accounts need a second factor).
 * - `session.restriction`: a session that may only change its password or enrol a second factor before anything else.
 * Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_security')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_secret', 'text')
    .addColumn('totp_pending_secret', 'text')
    .addColumn('totp_enabled_at', 'text')
    .addColumn('totp_last_step', 'integer')
    .addColumn('last_sign_in_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('recovery_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_code_user').on('recovery_code').columns(['user_id', 'code_hash']).execute();

  await db.schema
    .createTable('login_challenge')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('redirect_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invitation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invitation_email').on('invitation').column('email').execute();

  await db.schema
    .createTable('installation_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('app_user.id'))
    .execute();

  await db.schema.alterTable('session').addColumn('restriction', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('restriction').execute();
  for (const table of ['installation_setting', 'invitation', 'login_challenge', 'recovery_code', 'account_security']) {
    await db.schema.dropTable(table).execute();
  }
}
