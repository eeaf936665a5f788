/**
 * Rationale drafts through the real server (issue 12, item 4): what an evaluator types is kept by the draft route,
 * restored on their own scoresheet with the time it was kept, deleted by the score's save and by submitting the sheet,
 * refused (409) once the sheet or scoring is locked, bounded, never audited, and never shown to anyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const MARKER = 'zqdraftMARKER7f3a';
const SCORING_ROUTE = 'routes/rfps.$rfpId.evaluate.$submissionId';

describe('rationale drafts', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let evaluation: CreatedEvaluation;
  const people = {} as Record<'ada' | 'bea' | 'rui' | 'pat' | 'lead' | 'observer', Visitor>;
  let criterionA: string;
  let criterionB: string;

  const sheetPath = (vendor: number) => `/rfps/${evaluation.rfpId}/evaluate/${evaluation.vendors[vendor]!.submissionId}`;
  const draftPath = (vendor: number) => `${sheetPath(vendor)}/draft`;
  const drafts = () => handle.db.selectFrom('rationale_draft').selectAll().where('rfp_id', '=', evaluation.rfpId).execute();
  const auditCount = async () => Number((await handle.db.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).where('rfp_id', '=', evaluation.rfpId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    evaluation = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [
        {
          key: 'quality',
          title: 'Quality',
          criteria: [
            { key: 'Q-GOV', title: 'Governance', kind: 'scored', points: 60 },
            { key: 'Q-SEC', title: 'Security', kind: 'scored', points: 40 },
          ],
        },
      ],
      vendors: [{ name: 'Vendor Zero' }, { name: 'Vendor One' }],
      evaluators: [{ name: 'Ada A' }, { name: 'Bea B' }, { name: 'Rui Recused' }, { name: 'Pat Pending' }],
      recusals: { 2: [0] },
      score: () => null,
      sheet: () => null,
      consensus: [],
      passwordHash: await hashPassword('demo-password'),
    });
    [criterionA, criterionB] = evaluation.criteria.map((c) => c.id) as [string, string];
    // Pat has not attested yet.
    await handle.db.updateTable('assignment').set({ coi_status: 'pending', attested_at: null }).where('rfp_id', '=', evaluation.rfpId).where('user_id', '=', evaluation.evaluators[3]!.id).execute();
    const logins: Array<[keyof typeof people, string]> = [
      ['ada', evaluation.evaluators[0]!.email],
      ['bea', evaluation.evaluators[1]!.email],
      ['rui', evaluation.evaluators[2]!.email],
      ['pat', evaluation.evaluators[3]!.email],
      ['lead', evaluation.lead.email],
      ['observer', evaluation.observers[0]!.email],
    ];
    for (const [who, email] of logins) {
      people[who] = new Visitor(server.baseUrl);
      await people[who].login(email);
    }
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('keeps what the evaluator typed, without an audit event or a scoresheet, and restores it on their scoresheet with the time', async () => {
    const before = await auditCount();
    const kept = await people.ada.post(draftPath(0), { criterionId: criterionA, value: '3', rationale: `Half typed ${MARKER}` });
    expect(kept.status).toBe(200);
    const reply = (await kept.json()) as { ok: boolean; savedAt: string | null };
    expect(reply.ok).toBe(true);
    expect(reply.savedAt).not.toBeNull();
    // Typing on: the same row is updated, not a second one.
    expect((await people.ada.post(draftPath(0), { criterionId: criterionA, value: '4', rationale: `Typed further ${MARKER}` })).status).toBe(200);
    const rows = await drafts();
    expect(rows).toEqual([expect.objectContaining({ evaluator_id: evaluation.evaluators[0]!.id, criterion_id: criterionA, value: 4, rationale: `Typed further ${MARKER}` })]);
    expect(await auditCount()).toBe(before);
    expect(await handle.db.selectFrom('scoresheet').selectAll().where('rfp_id', '=', evaluation.rfpId).execute()).toEqual([]);

    const page = await people.ada.get(sheetPath(0));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Typed further ${MARKER}`);
    // The time the draft was kept, with the zone's abbreviation.
    expect(html).toMatch(/Draft restored from [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M [A-Z][A-Za-z0-9+:-]*\./);
    expect(html).toContain('data-unsaved="true"');
    // The level typed is the one checked.
    expect(html).toMatch(new RegExp(`id="level-${criterionA}-4"[^>]*checked`));
  });

  it('shows the draft to nobody else: another evaluator, the lead, an observer', async () => {
    for (const [who, visitor] of [
      ['bea', people.bea],
      ['lead', people.lead],
      ['observer', people.observer],
    ] as const) {
      for (const path of [sheetPath(0), `${sheetPath(0)}?_data=${encodeURIComponent(SCORING_ROUTE)}`, `/rfps/${evaluation.rfpId}/evaluation`, `/rfps/${evaluation.rfpId}/audit`, `/rfps/${evaluation.rfpId}/export.json`]) {
        const text = await (await visitor.get(path)).text();
        expect(text, `${who} ${path}`).not.toContain(MARKER);
      }
    }
    // Bea's own draft on the same vendor and criterion is hers; Ada's is untouched by it.
    expect((await people.bea.post(draftPath(0), { criterionId: criterionA, value: '', rationale: 'Bea is still reading' })).status).toBe(200);
    const beaPage = await (await people.bea.get(sheetPath(0))).text();
    expect(beaPage).toContain('Bea is still reading');
    expect(beaPage).not.toContain(MARKER);
    expect((await people.ada.get(sheetPath(0)).then((r) => r.text()))).not.toContain('Bea is still reading');
  });

  it('checks access like a score save: only an assigned, attested, unrecused evaluator; GET is not a way to read drafts', async () => {
    const body = { criterionId: criterionA, value: '', rationale: `Someone else ${MARKER}` };
    expect((await people.lead.post(draftPath(0), body)).status).toBe(403);
    expect((await people.observer.post(draftPath(0), body)).status).toBe(403);
    expect((await people.rui.post(draftPath(0), body)).status).toBe(403);
    expect((await people.pat.post(draftPath(0), body)).status).toBe(403);
    expect((await new Visitor(server.baseUrl).post(draftPath(0), body)).status).toBe(302);
    expect((await people.ada.post(`/rfps/${evaluation.rfpId}/evaluate/no-such-submission/draft`, body)).status).toBe(404);
    const read = await people.ada.get(draftPath(0));
    expect(read.status).toBe(405);
    expect(await read.text()).not.toContain(MARKER);
    expect((await drafts()).filter((d) => d.rationale.includes('Someone else'))).toEqual([]);
  });

  it('refuses a bad draft with a reason and keeps the last good one: too long, a level off the scale, a criterion not scored here', async () => {
    const tooLong = await people.ada.post(draftPath(0), { criterionId: criterionA, value: '', rationale: 'x'.repeat(10_001) });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: string }).error).toContain('at most 10000 characters');
    const offScale = await people.ada.post(draftPath(0), { criterionId: criterionA, value: '9', rationale: 'nine' });
    expect(offScale.status).toBe(400);
    expect(((await offScale.json()) as { error: string }).error).toContain('choose one of the levels');
    expect((await people.ada.post(draftPath(0), { criterionId: 'no-such-criterion', value: '', rationale: 'x' })).status).toBe(400);
    // Over the form cap: refused while it streams in.
    const huge = await people.ada.post(draftPath(0), { criterionId: criterionA, value: '', rationale: 'y'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    const ada = (await drafts()).find((d) => d.evaluator_id === evaluation.evaluators[0]!.id);
    expect(ada?.rationale).toBe(`Typed further ${MARKER}`);
  });

  it('ends at the save: saving the score deletes its draft, and a draft older than a saved score is not restored', async () => {
    const saved = await people.ada.post(sheetPath(0), { intent: 'score', criterionId: criterionA, value: '4', rationale: `Saved ${MARKER}`, version: '0' });
    expect(saved.status).toBe(302);
    expect((await drafts()).filter((d) => d.evaluator_id === evaluation.evaluators[0]!.id)).toEqual([]);
    const html = await (await people.ada.get(sheetPath(0))).text();
    expect(html).not.toContain('Draft restored');
    expect(html).not.toContain('Typed further');
    // A draft the same as the saved score is not kept.
    const same = await people.ada.post(draftPath(0), { criterionId: criterionA, value: '4', rationale: `Saved ${MARKER}` });
    expect(((await same.json()) as { savedAt: string | null }).savedAt).toBeNull();
    expect((await drafts()).filter((d) => d.evaluator_id === evaluation.evaluators[0]!.id)).toEqual([]);
    // A stale draft (kept before a save elsewhere) is not offered over the newer score.
    await handle.db
      .insertInto('rationale_draft')
      .values({ rfp_id: evaluation.rfpId, evaluator_id: evaluation.evaluators[0]!.id, submission_id: evaluation.vendors[0]!.submissionId, criterion_id: criterionA, value: 1, rationale: 'An old draft', updated_at: '2020-01-01T00:00:00.000Z' })
      .execute();
    expect(await (await people.ada.get(sheetPath(0))).text()).not.toContain('An old draft');
  });

  it('answers 409 once the sheet is submitted (its drafts are deleted) and once scoring is closed', async () => {
    expect((await people.ada.post(draftPath(0), { criterionId: criterionB, value: '2', rationale: 'About to submit' })).status).toBe(200);
    expect((await people.ada.post(sheetPath(0), { intent: 'score', criterionId: criterionB, value: '2', rationale: 'Security is fine', version: '0' })).status).toBe(302);
    expect((await people.ada.post(draftPath(0), { criterionId: criterionB, value: '3', rationale: 'A second thought' })).status).toBe(200);
    // The confirmation names the criterion whose draft would be discarded.
    const asked = await people.ada.post(sheetPath(0), { intent: 'submit' });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain('Unsaved drafts are discarded: Security. Save them first');
    expect((await people.ada.post(sheetPath(0), { intent: 'submit', confirmed: 'yes' })).status).toBe(302);
    expect((await drafts()).filter((d) => d.evaluator_id === evaluation.evaluators[0]!.id)).toEqual([]);
    const afterSubmit = await people.ada.post(draftPath(0), { criterionId: criterionB, value: '3', rationale: 'Too late' });
    expect(afterSubmit.status).toBe(409);
    expect(((await afterSubmit.json()) as { error: string }).error).toContain('submitted and locked');

    // Vendor one is still open for Ada, until the RFP leaves evaluation or its due date passes.
    expect((await people.ada.post(draftPath(1), { criterionId: criterionA, value: '', rationale: 'Vendor one, early notes' })).status).toBe(200);
    await handle.db.updateTable('rfp').set({ evaluation_due_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', evaluation.rfpId).execute();
    expect((await people.ada.post(draftPath(1), { criterionId: criterionA, value: '', rationale: 'After the due date' })).status).toBe(409);
    expect(await (await people.ada.get(sheetPath(1))).text()).not.toContain('Vendor one, early notes');
    await handle.db.updateTable('rfp').set({ evaluation_due_at: null, status: 'consensus' }).where('id', '=', evaluation.rfpId).execute();
    const closed = await people.ada.post(draftPath(1), { criterionId: criterionA, value: '', rationale: 'In consensus' });
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: string }).error).toContain('only while the RFP is in evaluation');
    expect((await drafts()).map((d) => d.rationale)).not.toContain('In consensus');
  });
});
