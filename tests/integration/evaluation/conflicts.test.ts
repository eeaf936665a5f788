/**
 * Conflicts found after the attestation, on the database itself (SQLite and PostgreSQL): db/queries/conflicts.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { declareConflictAfterAttesting, recordRecusalByLead, setPriceBlind } from '#db/queries/conflicts';
import { listRecusals } from '#db/queries/evaluation';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { createTestDatabase } from '#tests/support/db';

describe('conflicts after attesting', () => {
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;

  beforeEach(async () => {
    handle = await createTestDatabase();
    evaluation = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [{ key: 'q', title: 'Quality', criteria: [{ key: 'Q-1', title: 'Governance', kind: 'scored', points: 100 }] }],
      vendors: [{ name: 'Acme', price: 1 }, { name: 'Beta', price: 2 }],
      evaluators: [{ name: 'Eve' }, { name: 'Pat' }],
      score: () => 3,
      sheet: () => 'in_progress',
      consensus: [],
    });
  });
  afterEach(async () => {
    await handle.close();
  });

  const actorOf = (p: { id: string; email: string }) => ({ id: p.id, email: p.email });

  it('an attested evaluator is recused from each new vendor, marked declared, with one audit event each', async () => {
    const eve = evaluation.evaluators[0]!;
    const [acme, beta] = evaluation.vendors.map((v) => ({ id: v.id, name: v.name }));
    const outcome = await declareConflictAfterAttesting(handle.db, actorOf(eve), { rfpId: evaluation.rfpId, userId: eve.id, email: eve.email, vendors: [acme!, beta!], details: 'Shares held since June.' });
    expect(outcome).toEqual({ kind: 'declared', vendors: ['Acme', 'Beta'] });
    const recusals = await listRecusals(handle.db, evaluation.rfpId, eve.id);
    expect(recusals.map((r) => [r.vendor_name, r.origin, r.reason])).toEqual([
      ['Acme', 'declaration', 'Shares held since June.'],
      ['Beta', 'declaration', 'Shares held since June.'],
    ]);
    const assignment = await handle.db.selectFrom('assignment').select(['coi_status', 'coi_statement_sha256']).where('user_id', '=', eve.id).executeTakeFirstOrThrow();
    expect(assignment.coi_status).toBe('declared');
    const events = await handle.db.selectFrom('audit_event').select(['action', 'actor_id']).where('rfp_id', '=', evaluation.rfpId).orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['conflict.declare', 'recusal.create', 'recusal.create']);
    expect(events.every((e) => e.actor_id === eve.id)).toBe(true);
    // Nothing new: nothing written.
    expect(await declareConflictAfterAttesting(handle.db, actorOf(eve), { rfpId: evaluation.rfpId, userId: eve.id, email: eve.email, vendors: [acme!], details: 'Again.' })).toEqual({ kind: 'already-recused' });
    expect(await handle.db.selectFrom('audit_event').select('id').where('rfp_id', '=', evaluation.rfpId).execute()).toHaveLength(3);
  });

  it('refuses an evaluator who has not attested', async () => {
    const pat = evaluation.evaluators[1]!;
    await handle.db.updateTable('assignment').set({ coi_status: 'pending' }).where('user_id', '=', pat.id).execute();
    const acme = { id: evaluation.vendors[0]!.id, name: 'Acme' };
    expect(await declareConflictAfterAttesting(handle.db, actorOf(pat), { rfpId: evaluation.rfpId, userId: pat.id, email: pat.email, vendors: [acme], details: 'x' })).toEqual({ kind: 'not-attested' });
    expect(await listRecusals(handle.db, evaluation.rfpId, pat.id)).toEqual([]);
  });

  it('the lead recuses an assigned evaluator once; the recusal names its origin and who recorded it', async () => {
    const lead = evaluation.lead;
    const pat = evaluation.evaluators[1]!;
    const beta = { id: evaluation.vendors[1]!.id, name: 'Beta' };
    const input = { rfpId: evaluation.rfpId, userId: pat.id, email: pat.email, vendor: beta, reason: 'Former employee.' };
    expect(await recordRecusalByLead(handle.db, actorOf(lead), input)).toBe('recorded');
    expect(await recordRecusalByLead(handle.db, actorOf(lead), input)).toBe('already-recused');
    expect(await recordRecusalByLead(handle.db, actorOf(lead), { ...input, userId: lead.id })).toBe('not-assigned');
    const row = await handle.db.selectFrom('recusal').selectAll().where('user_id', '=', pat.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ origin: 'lead', recorded_by: lead.id, reason: 'Former employee.' });
  });

  it('recusals made before origins were kept read as from the attestation; price-blind is off by default and audited when set', async () => {
    const eve = evaluation.evaluators[0]!;
    await handle.db.insertInto('recusal').values({ rfp_id: evaluation.rfpId, user_id: eve.id, vendor_id: evaluation.vendors[0]!.id, reason: 'Old.', created_at: new Date().toISOString() }).execute();
    expect((await listRecusals(handle.db, evaluation.rfpId, eve.id))[0]!.origin).toBe('attestation');
    const rfp = await handle.db.selectFrom('rfp').select('price_blind').where('id', '=', evaluation.rfpId).executeTakeFirstOrThrow();
    expect(Number(rfp.price_blind)).toBe(0);
    expect(await setPriceBlind(handle.db, actorOf(evaluation.lead), { rfpId: evaluation.rfpId, priceBlind: true })).toBe(true);
    expect(await setPriceBlind(handle.db, actorOf(evaluation.lead), { rfpId: evaluation.rfpId, priceBlind: true })).toBe(false);
    const events = await handle.db.selectFrom('audit_event').select('action').where('action', '=', 'rfp.price_blind').execute();
    expect(events).toHaveLength(1);
  });
});
