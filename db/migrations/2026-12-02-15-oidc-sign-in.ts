/**
 * Single sign-on with OpenID Connect (issue 14, item 1). `oidc_sign_in` holds one started sign-in until its callback
 * uses it once: the row id is the sha256 of the `state` sent to the provider, so a leaked database cannot complete one.
 * `user_identity` ties an account to the provider's subject, so later sign-ins find the account by (issuer, subject)
 * and never by an email that the provider may let someone change. `oidc_session` keeps the ID token a session was
 * started with, for the provider's sign-out. Frozen in time.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oidc_sign_in')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('redirect_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_identity')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_identity_pk', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('user_identity_user').on('user_identity').column('user_id').execute();
  await db.schema
    .createTable('oidc_session')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('session.id').onDelete('cascade'))
    .addColumn('id_token', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_session').execute();
  await db.schema.dropTable('user_identity').execute();
  await db.schema.dropTable('oidc_sign_in').execute();
}
