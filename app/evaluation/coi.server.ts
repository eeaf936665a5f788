import { createHash } from 'node:crypto';
import { COI_STATEMENT } from './coi';

/** sha256 (hex) of the statement text exactly as shown, stored with each attestation. */
export const COI_STATEMENT_SHA256 = createHash('sha256').update(COI_STATEMENT, 'utf8').digest('hex');
