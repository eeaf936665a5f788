/**
 * Conflicts of interest found after the attestation (issue 12, item 6): an evaluator declares one, or the lead officer
 * records a recusal. Either way the evaluator is recused from the vendor from then on: the vendor's response, scores
 * and panel are withheld from them (app/confidentiality/panel.ts) and any score they gave it is not counted (the
 * scoring engine ignores a recused evaluator's scores and says so). Scores already given stay in the record.
 *
 * Both write the recusal and its audit events in the caller's transaction; the caller checks the lifecycle lock in the
 * same transaction (`withRfpLock`). Every query is scoped by rfp_id.
 */
import { nowIso } from '../ids';
import type { RecusalOrigin } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';

export interface ConflictVendor {
  id: string;
  name: string;
}

async function insertRecusal(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string; vendor: ConflictVendor; reason: string; origin: RecusalOrigin; at: string },
): Promise<boolean> {
  const existing = await db
    .selectFrom('recusal')
    .select('vendor_id')
    .where('rfp_id', '=', input.rfpId)
    .where('user_id', '=', input.userId)
    .where('vendor_id', '=', input.vendor.id)
    .executeTakeFirst();
  if (existing) return false;
  await db
    .insertInto('recusal')
    .values({
      rfp_id: input.rfpId,
      user_id: input.userId,
      vendor_id: input.vendor.id,
      reason: input.reason,
      created_at: input.at,
      origin: input.origin,
      recorded_by: actor.id,
    })
    .execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'recusal',
    entityId: `${input.userId}:${input.vendor.id}`,
    action: 'recusal.create',
    after: { user_id: input.userId, email: input.email, vendor_id: input.vendor.id, vendor: input.vendor.name, reason: input.reason, origin: input.origin },
  });
  return true;
}

export type DeclareOutcome = { kind: 'declared'; vendors: string[] } | { kind: 'not-attested' } | { kind: 'already-recused' };

/**
 * An evaluator who has attested declares a conflict with `vendors` discovered since. Their assignment shows
 * "Conflict declared" from then on (the attestation itself — statement, hash, time — is kept as it was signed), and
 * they are recused from each vendor not already recused from. Audited as `conflict.declare`, plus one
 * `recusal.create` (origin `declaration`) per new recusal. Writes nothing when every vendor is already recused.
 */
export async function declareConflictAfterAttesting(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string; vendors: ConflictVendor[]; details: string },
): Promise<DeclareOutcome> {
  const assignment = await db
    .selectFrom('assignment')
    .select(['coi_status'])
    .where('rfp_id', '=', input.rfpId)
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  if (!assignment || assignment.coi_status === 'pending') return { kind: 'not-attested' };
  const existing = await db.selectFrom('recusal').select('vendor_id').where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).execute();
  const already = new Set(existing.map((r) => r.vendor_id));
  const fresh = input.vendors.filter((v) => !already.has(v.id));
  if (fresh.length === 0) return { kind: 'already-recused' };
  const at = nowIso();
  if (assignment.coi_status !== 'declared') {
    await db.updateTable('assignment').set({ coi_status: 'declared' }).where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).execute();
  }
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'assignment',
    entityId: input.userId,
    action: 'conflict.declare',
    before: { coi_status: assignment.coi_status },
    after: { coi_status: 'declared', email: input.email, details: input.details, recused_from: fresh.map((v) => v.name), declared_at: at },
  });
  for (const vendor of fresh) {
    await insertRecusal(db, actor, { rfpId: input.rfpId, userId: input.userId, email: input.email, vendor, reason: input.details, origin: 'declaration', at });
  }
  return { kind: 'declared', vendors: fresh.map((v) => v.name) };
}

export type RecusalOutcome = 'recorded' | 'already-recused' | 'not-assigned';

/**
 * The lead officer recuses an assigned evaluator from a vendor, with the reason (a conflict the lead learned of, a
 * declaration made outside the workbench). Audited as `recusal.create` with origin `lead`.
 */
export async function recordRecusalByLead(
  db: Executor,
  actor: Actor,
  input: { rfpId: string; userId: string; email: string; vendor: ConflictVendor; reason: string },
): Promise<RecusalOutcome> {
  const assignment = await db.selectFrom('assignment').select('user_id').where('rfp_id', '=', input.rfpId).where('user_id', '=', input.userId).executeTakeFirst();
  if (!assignment) return 'not-assigned';
  const recorded = await insertRecusal(db, actor, { ...input, origin: 'lead', at: nowIso() });
  return recorded ? 'recorded' : 'already-recused';
}

/**
 * Turns price-blind technical scoring on or off (app/confidentiality/price-blind.ts). Audited as
 * `rfp.price_blind`; the caller checks the settings lock in the same transaction. Returns false when unchanged.
 */
export async function setPriceBlind(db: Executor, actor: Actor, input: { rfpId: string; priceBlind: boolean }): Promise<boolean> {
  const before = await db.selectFrom('rfp').select('price_blind').where('id', '=', input.rfpId).executeTakeFirst();
  const value = input.priceBlind ? 1 : 0;
  if (!before || Number(before.price_blind) === value) return false;
  await db.updateTable('rfp').set({ price_blind: value, updated_at: nowIso() }).where('id', '=', input.rfpId).execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'rfp',
    entityId: input.rfpId,
    action: 'rfp.price_blind',
    before: { price_blind: Boolean(Number(before.price_blind)) },
    after: { price_blind: input.priceBlind },
  });
  return true;
}
