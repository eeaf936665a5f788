/**
 * The key that signs vendor workbooks (app/xlsx/vendor-workbook-signature.server.ts). By default the installation makes
 * one for itself on first use and keeps it in the database, so every app process (and the CLI) signs and verifies with
 * the same key. WORKBOOK_SIGNING_SECRET overrides it, e.g. to keep the key out of database backups or to share it
 * between installations; changing it makes every workbook issued before unverifiable (their imports are flagged).
 */
import { type Executor, getInstallationSecret } from '#app/utils/db.server';

const SECRET_NAME = 'vendor-workbook-signing';
const MIN_CONFIGURED_LENGTH = 32;

export class SigningSecretConfigError extends Error {}

export async function workbookSigningSecret(db: Executor, env: Record<string, string | undefined> = process.env): Promise<string> {
  const configured = env.WORKBOOK_SIGNING_SECRET;
  if (configured !== undefined && configured !== '') {
    if (configured.length < MIN_CONFIGURED_LENGTH) {
      throw new SigningSecretConfigError(`WORKBOOK_SIGNING_SECRET must be at least ${MIN_CONFIGURED_LENGTH} characters long (e.g. openssl rand -base64 32).`);
    }
    return configured;
  }
  return getInstallationSecret(db, SECRET_NAME);
}
