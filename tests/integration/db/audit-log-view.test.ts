/**
 * The audit log page's view model on the real database (SQLite and PostgreSQL): filters by who, kind of action, what
 * it is about and days; text search over the sentences and what the reader may read; exact paging; names read in one
 * query per page; and a withheld rationale never found by searching for it.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, loadAuditLogView } from '#app/audit/log-view.server';
import { PanelViewer } from '#app/confidentiality/panel';
import type { DatabaseHandle } from '#db/client';
import { appendAuditEvents, type UnchainedAuditEvent } from '#db/queries/audit';
import { saveEvaluatorScore } from '#db/queries/evaluation';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { createTestDatabase } from '#tests/support/db';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Counts the statements a piece of code runs (one result each; a union's parts are one statement). */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return Promise.resolve(args.result);
  }
}

describe('the audit log view', () => {
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  const versions = new Map<string, number>();

  beforeEach(async () => {
    versions.clear();
    handle = await createTestDatabase();
    evaluation = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [{ key: 'quality', title: 'Quality', criteria: [{ key: 'Q-GOV', title: 'Governance', kind: 'scored', points: 60 }, { key: 'Q-SEC', title: 'Security', kind: 'scored', points: 40 }] }],
      vendors: [{ name: 'Zephyr Analytics' }, { name: 'Borealis Systems' }],
      evaluators: [{ name: 'Evan Chen' }, { name: 'Rui Recused' }],
      recusals: { 1: [0] },
      score: () => null,
      sheet: () => null,
      consensus: [],
    });
  });
  afterEach(async () => {
    await handle.close();
  });

  const vendorOfSubmission = () => new Map(evaluation.vendors.map((v) => [v.submissionId, v.id]));
  const view = (panel: PanelViewer, query: string, db = handle.db, zone = 'UTC') => loadAuditLogView(db, evaluation.rfpId, panel, new URLSearchParams(query), zone);
  const event = (fields: Partial<UnchainedAuditEvent>): UnchainedAuditEvent => ({
    at: '2026-03-01T12:00:00.000Z',
    actor_id: evaluation.lead.id,
    actor_email: evaluation.lead.email,
    rfp_id: evaluation.rfpId,
    entity: 'rfp',
    entity_id: evaluation.rfpId,
    action: 'rfp.export',
    before_json: null,
    after_json: JSON.stringify({ format: 'matrix-csv' }),
    reason: null,
    ...fields,
  });

  async function score(evaluator: number, vendor: number, criterion: number, rationale: string) {
    const person = evaluation.evaluators[evaluator]!;
    const key = `${evaluator}:${vendor}:${criterion}`;
    const version = versions.get(key) ?? 0;
    versions.set(key, version + 1);
    const saved = await saveEvaluatorScore(handle.db, { id: person.id, email: person.email }, {
      rfpId: evaluation.rfpId,
      submissionId: evaluation.vendors[vendor]!.submissionId,
      criterionId: evaluation.criteria[criterion]!.id,
      evaluatorId: person.id,
      value: 3,
      rationale,
      version,
    });
    expect(saved.ok).toBe(true);
  }

  it('filters by who, kind of action, what it is about and days, and pages exactly', async () => {
    await appendAuditEvents(handle.db, [
      ...Array.from({ length: AUDIT_PAGE_SIZE + 7 }, (_, i) => event({ at: `2026-03-0${1 + (i % 3)}T12:00:00.000Z` })),
      event({ at: '2026-03-05T23:59:59.000Z', actor_id: evaluation.evaluators[0]!.id, actor_email: evaluation.evaluators[0]!.email, entity: 'rfp_member', entity_id: evaluation.evaluators[0]!.id, action: 'member.add', after_json: JSON.stringify({ user_id: evaluation.evaluators[0]!.id, role: 'evaluator' }) }),
    ]);
    const panel = PanelViewer.oversight('evaluation', vendorOfSubmission());

    const all = await view(panel, '');
    expect(all.page.total).toBe(AUDIT_PAGE_SIZE + 8);
    expect(all.entries).toHaveLength(AUDIT_PAGE_SIZE);
    const second = await view(panel, 'page=2');
    expect(second.entries).toHaveLength(8);
    expect(new Set([...all.entries, ...second.entries].map((e) => e.id)).size).toBe(AUDIT_PAGE_SIZE + 8);
    // A page past the end shows the last one.
    expect((await view(panel, 'page=99')).page.page).toBe(2);

    expect((await view(panel, `who=${encodeURIComponent(evaluation.evaluators[0]!.email.toUpperCase())}`)).entries.map((e) => e.action)).toEqual(['member.add']);
    expect((await view(panel, 'family=team')).entries.map((e) => e.sentence)).toEqual([`Evan Chen added Evan Chen to the team as evaluator.`]);
    expect((await view(panel, 'family=downloads')).page.total).toBe(AUDIT_PAGE_SIZE + 7);
    expect((await view(panel, 'entity=rfp_member')).page.total).toBe(1);
    expect((await view(panel, 'from=2026-03-02&to=2026-03-02')).page.total).toBe(19);
    expect((await view(panel, 'from=2026-03-05&to=2026-03-05')).entries.map((e) => e.action)).toEqual(['member.add']);
    expect((await view(panel, 'from=2026-03-06')).page.total).toBe(0);
    // Days are the installation's: in Los Angeles, 23:59:59 UTC on 5 March is 3:59 PM on the 5th, and noon UTC on
    // 1 March is 4 AM on the 1st.
    expect((await view(panel, 'from=2026-03-05&to=2026-03-05', handle.db, 'America/Los_Angeles')).entries.map((e) => e.action)).toEqual(['member.add']);
    expect((await view(panel, 'to=2026-02-28', handle.db, 'Pacific/Kiritimati')).page.total).toBe(0);
    expect((await view(panel, 'from=2026-03-02&to=2026-03-02', handle.db, 'Pacific/Kiritimati')).page.total).toBe(19);

    const bad = await view(panel, 'from=2026-02-30&to=yesterday&family=nonsense&page=0');
    expect(Object.keys(bad.errors).sort()).toEqual(['family', 'from', 'page', 'to']);
    expect(bad.page.total).toBe(AUDIT_PAGE_SIZE + 8);
    expect((await view(panel, 'from=2026-03-03&to=2026-03-01')).errors.to).toEqual(['The last day is before the first day: swap them or change one.']);
  });

  it('finds entries by the names in their sentences and the text the reader may read, with exact pages', async () => {
    for (let i = 0; i < AUDIT_PAGE_SIZE + 3; i += 1) await score(0, 1, i % 2, `Rationale number ${i}.`);
    await score(0, 0, 0, 'The zephyr rationale.');
    const panel = PanelViewer.oversight('consensus', vendorOfSubmission());

    // "Borealis" is in no payload, only in the sentence's vendor name.
    const borealis = await view(panel, 'q=borealis');
    expect(borealis.page.total).toBe(AUDIT_PAGE_SIZE + 3);
    expect(borealis.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(borealis.entries[0]!.sentence).toMatch(/^Evan Chen (scored|changed the score of) Borealis Systems on Q-(GOV Governance|SEC Security): 3\.$/);
    for (const entry of borealis.entries) expect(entry.sentence).not.toMatch(UUID);
    const page2 = await view(panel, 'q=BOREALIS&page=2');
    expect(page2.entries).toHaveLength(3);
    expect(new Set([...borealis.entries, ...page2.entries].map((e) => e.id)).size).toBe(AUDIT_PAGE_SIZE + 3);

    // The save that wrote it, and the next save of that score, whose "before" still holds it.
    expect((await view(panel, 'q=rationale number 7.')).entries).toHaveLength(2);
    expect((await view(panel, 'q=zephyr&family=scoring')).page.total).toBe(1);
    expect((await view(panel, 'q=zephyr&family=team')).page.total).toBe(0);
  });

  it('never finds an entry by what the redaction withholds from the reader, nor shows it', async () => {
    const marker = 'zqmWITHHELDq';
    await score(0, 0, 0, `Zephyr evidence ${marker}.`);
    await score(1, 1, 0, `Borealis evidence ${marker}.`);
    const sealed = PanelViewer.oversight('evaluation', vendorOfSubmission());
    const sealedView = await view(sealed, `q=${marker}`);
    expect(sealedView.page.total).toBe(0);
    const plain = await view(sealed, 'family=scoring');
    expect(plain.page.total).toBe(2);
    expect(JSON.stringify(plain)).not.toContain(marker);
    expect(plain.entries.map((e) => e.sentence)).toEqual([
      'Rui Recused scored Borealis Systems on Q-GOV Governance (value and rationale withheld: individual scores and rationales are sealed until the RFP reaches consensus).',
      'Evan Chen scored Zephyr Analytics on Q-GOV Governance (value and rationale withheld: individual scores and rationales are sealed until the RFP reaches consensus).',
    ]);
    // The value is withheld too: a search for it as a reader who may read it sees it (": 3") finds nothing.
    expect((await view(sealed, `q=${encodeURIComponent(': 3')}&family=scoring`)).page.total).toBe(0);
    expect((await view(PanelViewer.oversight('consensus', vendorOfSubmission()), `q=${encodeURIComponent(': 3')}&family=scoring`)).page.total).toBe(2);

    // In consensus, a reader recused from Zephyr finds only the entry on the other vendor.
    const recused = PanelViewer.for({ userId: evaluation.evaluators[1]!.id, memberRole: 'evaluator', status: 'consensus', recusedFrom: [evaluation.vendors[0]!.id], ownSheets: null, vendorOfSubmission: vendorOfSubmission() });
    const found = await view(recused, `q=${marker}`);
    expect(found.entries.map((e) => e.sentence)).toEqual(['Rui Recused scored Borealis Systems on Q-GOV Governance: 3.']);
    expect(JSON.stringify((await view(recused, 'family=scoring')).entries.filter((e) => e.sentence.includes('Zephyr')))).not.toContain(marker);

    // And once the panel is open to the reader, both are found by it.
    expect((await view(PanelViewer.oversight('consensus', vendorOfSubmission()), `q=${marker}`)).page.total).toBe(2);
  });

  it('reads the names of a page in one query, however many things its entries mention', async () => {
    const panel = PanelViewer.oversight('consensus', vendorOfSubmission());
    const queriesFor = async (query: string) => {
      const counter = new QueryCounter();
      const result = await view(panel, query, handle.db.withPlugin(counter));
      return { count: counter.count, result };
    };
    await score(0, 0, 0, 'one');
    const one = await queriesFor('');
    for (let v = 0; v < 2; v += 1) for (let c = 0; c < 2; c += 1) for (let e = 0; e < 2; e += 1) if (!(e === 1 && v === 0)) await score(e, v, c, `r${v}${c}${e}`);
    const many = await queriesFor('');
    expect(many.result.entries.length).toBeGreaterThan(5);
    for (const entry of many.result.entries) expect(entry.sentence).toMatch(/^(Evan Chen|Rui Recused) .+ (Zephyr Analytics|Borealis Systems) on Q-(GOV Governance|SEC Security): 3\.$/);
    expect(many.count).toBe(one.count);
    // actors, count, page, names.
    expect(many.count).toBe(4);
  });
});
