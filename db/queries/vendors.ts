import { newId, nowIso } from '../ids';
import type { Submission, SubmissionStatus, Vendor } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';
import { containsText } from './text-search';

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

export class DuplicateVendorError extends Error {
  constructor(key: string) {
    super(`A vendor with the short name ${key} is already in the registry.`);
  }
}

export interface VendorDetails {
  key: string;
  name: string;
  website: string | null;
  contactName: string | null;
  contactEmail: string | null;
}

/** Edits a registry entry (audited with before and after); undefined when there is no such vendor. */
export async function updateVendor(db: Executor, actor: Actor, id: string, input: VendorDetails): Promise<Vendor | undefined> {
  const before = await db.selectFrom('vendor').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) return undefined;
  const clash = await db.selectFrom('vendor').select('id').where('key', '=', input.key).where('id', '!=', id).executeTakeFirst();
  if (clash) throw new DuplicateVendorError(input.key);
  const change = { key: input.key, name: input.name, website: input.website, contact_name: input.contactName, contact_email: input.contactEmail };
  const after: Vendor = { ...before, ...change };
  if (JSON.stringify(after) === JSON.stringify(before)) return before;
  await db.updateTable('vendor').set(change).where('id', '=', id).execute();
  await recordAudit(db, actor, { entity: 'vendor', entityId: id, action: 'vendor.update', before, after });
  return after;
}

/** A merge that cannot be done, with the sentence that says why. */
export class VendorMergeError extends Error {}

export interface MergeOutcome {
  kept: Vendor;
  moved: Array<{ submissionId: string; rfpId: string; reference: string }>;
}

/**
 * Merges a duplicate registry entry into the one kept (in the caller's transaction): the duplicate's responses, and
 * recusals from it, become the kept vendor's; details the kept entry lacks are taken from the duplicate; the duplicate
 * is deleted. Refused when both have a response in the same RFP, since one vendor answers an RFP once. Audited in the
 * registry's log and, for each response moved, in its RFP's log.
 */
export async function mergeVendors(db: Executor, actor: Actor, keepId: string, duplicateId: string): Promise<MergeOutcome> {
  if (keepId === duplicateId) throw new VendorMergeError('Choose another vendor to merge: a vendor cannot be merged into itself.');
  const [keep, duplicate] = await Promise.all([
    db.selectFrom('vendor').selectAll().where('id', '=', keepId).executeTakeFirst(),
    db.selectFrom('vendor').selectAll().where('id', '=', duplicateId).executeTakeFirst(),
  ]);
  if (!keep || !duplicate) throw new VendorMergeError('That vendor is no longer in the registry (it may have been merged already).');
  const shared = await db
    .selectFrom('submission as k')
    .innerJoin('submission as d', 'd.rfp_id', 'k.rfp_id')
    .innerJoin('rfp', 'rfp.id', 'k.rfp_id')
    .select('rfp.reference')
    .where('k.vendor_id', '=', keepId)
    .where('d.vendor_id', '=', duplicateId)
    .orderBy('rfp.reference')
    .execute();
  if (shared.length > 0) {
    const list = shared.map((r) => r.reference).join(', ');
    throw new VendorMergeError(
      `${duplicate.name} and ${keep.name} both have a response in ${list}. A vendor answers an RFP once, so they cannot be merged while both responses exist: if they really are one vendor, mark one response withdrawn in that RFP and keep the entries apart.`,
    );
  }
  const portalShared = await db
    .selectFrom('portal_access as k')
    .innerJoin('portal_access as d', 'd.rfp_id', 'k.rfp_id')
    .innerJoin('rfp', 'rfp.id', 'k.rfp_id')
    .select('rfp.reference')
    .where('k.vendor_id', '=', keepId)
    .where('d.vendor_id', '=', duplicateId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('vendor_response_version as v')
          .select('v.id')
          .whereRef('v.rfp_id', '=', 'k.rfp_id')
          .where('v.vendor_id', '=', duplicateId),
      ),
    )
    .orderBy('rfp.reference')
    .execute();
  if (portalShared.length > 0) {
    const list = portalShared.map((r) => r.reference).join(', ');
    throw new VendorMergeError(
      `${duplicate.name} has submitted online in ${list}, where ${keep.name} is also invited. A sealed submission cannot change hands, so they cannot be merged before the bid opening of ${list}.`,
    );
  }
  const moved = await db
    .selectFrom('submission')
    .innerJoin('rfp', 'rfp.id', 'submission.rfp_id')
    .select(['submission.id as submissionId', 'submission.rfp_id as rfpId', 'rfp.reference'])
    .where('submission.vendor_id', '=', duplicateId)
    .orderBy('rfp.reference')
    .execute();
  await db.updateTable('submission').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).execute();
  await db.updateTable('recusal').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).execute();
  await moveVendorPortalRows(db, keepId, duplicateId);
  await db.updateTable('vendor_question').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).execute();
  const filled = {
    website: keep.website ?? duplicate.website,
    contact_name: keep.contact_name ?? duplicate.contact_name,
    contact_email: keep.contact_email ?? duplicate.contact_email,
  };
  await db.updateTable('vendor').set(filled).where('id', '=', keepId).execute();
  await db.deleteFrom('vendor').where('id', '=', duplicateId).execute();
  const kept: Vendor = { ...keep, ...filled };
  await recordAudit(db, actor, {
    entity: 'vendor',
    entityId: keepId,
    action: 'vendor.merge',
    before: { kept: keep, duplicate },
    after: { kept, movedSubmissions: moved },
  });
  for (const m of moved) {
    await recordAudit(db, actor, {
      rfpId: m.rfpId,
      entity: 'submission',
      entityId: m.submissionId,
      action: 'vendor.merge',
      before: { vendor_id: duplicate.id, vendor_key: duplicate.key, vendor_name: duplicate.name },
      after: { vendor_id: keep.id, vendor_key: keep.key, vendor_name: keep.name },
    });
  }
  return { kept, moved };
}

/**
 * The duplicate's vendor-portal rows follow it into the kept entry: its contacts speak for the kept organisation, its
 * invitations and RFP access are the kept one's, and its online drafts and sealed versions move where the kept entry
 * has none of its own in that RFP (a draft the kept entry also has keeps the kept entry's value).
 */
async function moveVendorPortalRows(db: Executor, keepId: string, duplicateId: string): Promise<void> {
  await db.updateTable('vendor_contact').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).execute();
  await db.updateTable('invitation').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).execute();
  const keptAccess = db.selectFrom('portal_access').select('rfp_id').where('vendor_id', '=', keepId);
  await db.updateTable('portal_access').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).where('rfp_id', 'not in', keptAccess).execute();
  await db.deleteFrom('portal_access').where('vendor_id', '=', duplicateId).execute();
  await db.updateTable('vendor_response_version').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).execute();
  const keptDrafts = await db.selectFrom('vendor_draft_answer').select(['rfp_id', 'question_key']).where('vendor_id', '=', keepId).execute();
  const kept = new Set(keptDrafts.map((d) => `${d.rfp_id}\u0000${d.question_key}`));
  const theirs = await db.selectFrom('vendor_draft_answer').select(['rfp_id', 'question_key']).where('vendor_id', '=', duplicateId).execute();
  for (const d of theirs) {
    if (kept.has(`${d.rfp_id}\u0000${d.question_key}`)) {
      await db.deleteFrom('vendor_draft_answer').where('vendor_id', '=', duplicateId).where('rfp_id', '=', d.rfp_id).where('question_key', '=', d.question_key).execute();
    } else {
      await db.updateTable('vendor_draft_answer').set({ vendor_id: keepId }).where('vendor_id', '=', duplicateId).where('rfp_id', '=', d.rfp_id).where('question_key', '=', d.question_key).execute();
    }
  }
}

export interface VendorResponse {
  submissionId: string;
  rfpId: string;
  reference: string;
  title: string;
  status: SubmissionStatus;
}

/**
 * A vendor's responses across RFPs, newest RFP first: all of them for `viewer` null (someone who may read any RFP),
 * otherwise only the RFPs the viewer is a member of, with how many others there are.
 */
export async function listVendorResponses(db: Executor, vendorId: string, viewer: { id: string } | null): Promise<{ visible: VendorResponse[]; hidden: number }> {
  const rows = await db
    .selectFrom('submission')
    .innerJoin('rfp', 'rfp.id', 'submission.rfp_id')
    .leftJoin('rfp_member', (join) => join.onRef('rfp_member.rfp_id', '=', 'rfp.id').on('rfp_member.user_id', '=', viewer?.id ?? ''))
    .select(['submission.id as submissionId', 'rfp.id as rfpId', 'rfp.reference', 'rfp.title', 'submission.status', 'rfp_member.user_id as member'])
    .where('submission.vendor_id', '=', vendorId)
    .orderBy('rfp.created_at', 'desc')
    .execute();
  const visible = rows.filter((r) => viewer === null || r.member !== null).map(({ member: _member, ...r }) => r);
  return { visible, hidden: rows.length - visible.length };
}

/** A registry entry with the number of RFPs the vendor has answered. */
export interface RegistryVendor extends Vendor {
  rfps: number;
}

/** A page of a list, and how many entries match in all. */
export interface ListWindow {
  limit: number;
  offset: number;
}

/**
 * One page of the vendor registry, by name, matching `q` (contained in the name, the short name or the website,
 * ignoring case) when given, and how many match in all; each vendor's RFP count comes in the same query.
 */
export async function searchVendorRegistry(db: Executor, filter: ListWindow & { q?: string }): Promise<{ items: RegistryVendor[]; total: number }> {
  const matching = () => {
    const query = db.selectFrom('vendor');
    const text = filter.q;
    return text ? query.where((eb) => eb.or([containsText('vendor.name', text), containsText('vendor.key', text), containsText('vendor.website', text)])) : query;
  };
  const [rows, count] = await Promise.all([
    matching()
      .selectAll('vendor')
      .select((eb) => eb.selectFrom('submission').select((s) => s.fn.countAll().as('n')).whereRef('submission.vendor_id', '=', 'vendor.id').as('rfps'))
      .orderBy('vendor.name')
      .orderBy('vendor.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    matching()
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((row) => ({ ...row, rfps: Number(row.rfps ?? 0) })), total: Number(count.n) };
}
