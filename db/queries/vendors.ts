import { newId, nowIso } from '../ids';
import type { Submission, SubmissionStatus, Vendor } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';

export async function createVendor(
  db: Executor,
  actor: Actor,
  input: { key: string; name: string; website?: string | null; contactName?: string | null; contactEmail?: string | null },
): Promise<Vendor> {
  const vendor: Vendor = {
    id: newId(),
    key: input.key,
    name: input.name,
    website: input.website ?? null,
    contact_name: input.contactName ?? null,
    contact_email: input.contactEmail ?? null,
    created_at: nowIso(),
  };
  await db.insertInto('vendor').values(vendor).execute();
  await recordAudit(db, actor, { entity: 'vendor', entityId: vendor.id, action: 'vendor.create', after: vendor });
  return vendor;
}

export async function createSubmission(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; vendorId: string; status?: SubmissionStatus; receivedAt?: string | null; price?: number | null },
): Promise<Submission> {
  const submission: Submission = {
    id: newId(),
    rfp_id: input.rfpId,
    vendor_id: input.vendorId,
    status: input.status ?? 'received',
    status_reason: null,
    received_at: input.receivedAt ?? null,
    price: input.price ?? null,
    created_at: nowIso(),
  };
  await db.insertInto('submission').values(submission).execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'submission',
    entityId: submission.id,
    action: 'submission.create',
    after: submission,
  });
  return submission;
}

export interface SubmissionRow {
  id: string;
  vendor_id: string;
  vendor_key: string;
  vendor_name: string;
  status: SubmissionStatus;
  status_reason: string | null;
  received_at: string | null;
  price: number | null;
}

export async function listSubmissions(db: Executor, rfpId: string): Promise<SubmissionRow[]> {
  const rows = await db
    .selectFrom('submission')
    .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
    .select([
      'submission.id',
      'submission.vendor_id',
      'vendor.key as vendor_key',
      'vendor.name as vendor_name',
      'submission.status',
      'submission.status_reason',
      'submission.received_at',
      'submission.price',
    ])
    .where('submission.rfp_id', '=', rfpId)
    .orderBy('vendor.name')
    .execute();
  // PostgreSQL returns double precision as number already; keep the conversion explicit for safety.
  return rows.map((r) => ({ ...r, price: r.price === null ? null : Number(r.price) }));
}
