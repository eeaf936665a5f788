/**
 * Issue 12, items 1 and 2 through the real server (TIME_ZONE=America/Los_Angeles): creating an RFP with deadlines that
 * mean what they say, and editing its details, deadlines and scoring settings — draft only for the reference and the
 * settings (409 afterwards, nothing saved), deadlines in order, a past deadline only with a confirmed reason, every
 * save one audited event. Runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { formFields, withChanges } from '#tests/support/html-form';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const page = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '');

describe('RFP details, deadlines and scoring settings', () => {
  let server: TestServer;
  let lead: Visitor;
  let demoId: string;

  const db = () => openDatabase(server.databaseUrl);
  async function rfpRow(id: string) {
    const handle = db();
    try {
      return await handle.db.selectFrom('rfp').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    } finally {
      await handle.close();
    }
  }
  async function events(rfpId: string, action: string) {
    const handle = db();
    try {
      return await handle.db.selectFrom('audit_event').selectAll().where('rfp_id', '=', rfpId).where('action', '=', action).orderBy('id').execute();
    } finally {
      await handle.close();
    }
  }
  const baseRfp = (reference: string) => ({ reference, title: 'Permit review assistant', department: 'Building', summary: 'Reads plans.' });
  async function createDraft(reference: string, extra: Record<string, string> = {}): Promise<string> {
    const response = await lead.post('/rfps/new', { ...baseRfp(reference), ...extra });
    expect(response.status, await response.clone().text()).toBe(302);
    return response.headers.get('location')!.split('/').pop()!;
  }
  /** The details form as the page renders it, with some fields changed: what the officer's browser would send. */
  async function submitDetails(rfpId: string, changes: Record<string, string | null>, added: Array<[string, string]> = []) {
    const html = await page(await lead.get(`/rfps/${rfpId}/details`));
    const fields = withChanges(formFields(html, 'rfp-details'), changes, added);
    return lead.request(`/rfps/${rfpId}/details`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
      body: new URLSearchParams(fields).toString(),
    });
  }

  beforeAll(async () => {
    server = await startTestServer({ TIME_ZONE: 'America/Los_Angeles' });
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    const handle = db();
    demoId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    await handle.close();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  describe('creating an RFP', () => {
    it('stores a date without a time as the end of that day in the installation zone, and shows it so', async () => {
      const id = await createDraft('DATES-1', { qaDueDate: '2027-02-10', proposalsDueDate: '2027-03-01', evaluationDueDate: '2027-04-01', evaluationDueTime: '17:00' });
      const row = await rfpRow(id);
      // PST: 23:59:59.999 on Feb 10 / Mar 1 is 07:59:59.999 UTC the next day; 17:00 PDT on Apr 1 is 00:00 UTC on Apr 2.
      expect(row).toMatchObject({ qa_due_at: '2027-02-11T07:59:59.999Z', proposals_due_at: '2027-03-02T07:59:59.999Z', evaluation_due_at: '2027-04-02T00:00:00.000Z' });
      const overview = await page(await lead.get(`/rfps/${id}`));
      expect(overview).toContain('<dt>Questions due</dt><dd>Feb 10, 2027, 11:59 PM PST</dd>');
      expect(overview).toContain('<dt>Proposals due</dt><dd>Mar 1, 2027, 11:59 PM PST</dd>');
      expect(overview).toContain('<dt>Evaluation due</dt><dd>Apr 1, 2027, 5:00 PM PDT</dd>');
    });

    it('says how to type the form: the zone is named beside every deadline', async () => {
      const form = await page(await lead.get('/rfps/new'));
      for (const key of ['qa', 'proposals', 'evaluation']) {
        expect(form).toContain(`id="${key}DueDate"`);
        expect(form).toContain(`id="${key}DueTime"`);
      }
      expect(form).toMatch(/Times are in America\/Los_Angeles \(P[SD]T\); leave the time empty for the end of the day \(11:59 PM\)/);
    });

    it('refuses deadlines out of order, a bad date or time, and creates nothing', async () => {
      const refused = await lead.post('/rfps/new', { ...baseRfp('DATES-BAD'), qaDueDate: '2027-03-10', proposalsDueDate: '2027-03-01', evaluationDueDate: '2027-02-30' });
      expect(refused.status).toBe(400);
      const html = await page(refused);
      expect(html).toContain('Questions due (Mar 10, 2027, 11:59 PM PST) must be on or before proposals due (Mar 1, 2027, 11:59 PM PST).');
      expect(html).toContain('Evaluation due: enter the date as YYYY-MM-DD, for example 2027-03-01.');
      const badTime = await page(await lead.post('/rfps/new', { ...baseRfp('DATES-BAD'), proposalsDueDate: '2027-03-01', proposalsDueTime: '5pm' }));
      expect(badTime).toContain('Proposals due: enter the time as HH:MM on a 24-hour clock');
      const handle = db();
      expect(await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DATES-BAD').executeTakeFirst()).toBeUndefined();
      await handle.close();
    });

    it('refuses a deadline already past until it is confirmed with a reason, which the audit log keeps', async () => {
      const fields = { ...baseRfp('DATES-PAST'), proposalsDueDate: '2020-01-15' };
      const refused = await lead.post('/rfps/new', fields);
      expect(refused.status).toBe(400);
      const html = await page(refused);
      expect(html).toContain('Proposals due (Jan 15, 2020, 11:59 PM PST) has already passed. Change it, or confirm below that it is meant and say why.');
      expect(html).toContain('name="confirmPast"');
      expect(await page(await lead.post('/rfps/new', { ...fields, confirmPast: 'yes' }))).toContain('Give the reason for a deadline that has already passed');
      const id = await createDraft('DATES-PAST', { proposalsDueDate: '2020-01-15', confirmPast: 'yes', pastReason: 'Recorded from the paper procurement of 2020.' });
      expect((await rfpRow(id)).proposals_due_at).toBe('2020-01-16T07:59:59.999Z');
      expect((await events(id, 'rfp.create'))[0]!.reason).toBe('Recorded from the paper procurement of 2020.');
    });
  });

  describe('editing a draft', () => {
    let id: string;
    beforeAll(async () => {
      id = await createDraft('EDIT-1', { proposalsDueDate: '2027-03-01', evaluationDueDate: '2027-04-01' });
    });

    it('shows every field filled with what is stored, deadlines in the zone (an end-of-day deadline has no time)', async () => {
      const html = await page(await lead.get(`/rfps/${id}/details`));
      const fields = Object.fromEntries(formFields(html, 'rfp-details'));
      expect(fields).toMatchObject({
        reference: 'EDIT-1',
        title: 'Permit review assistant',
        proposalsDueDate: '2027-03-01',
        proposalsDueTime: '',
        qaDueDate: '',
        scaleMax: '5',
        aggregation: 'mean',
        divergenceThresholdPercent: '30',
        priceFormula: 'ratio',
        totalPoints: '100',
      });
      expect(fields.allowHalfPoints).toBeUndefined();
    });

    it('saves the form as rendered without a change and without an event', async () => {
      const saved = await submitDetails(id, {});
      expect(saved.status).toBe(200);
      expect(await page(saved)).toContain('Nothing changed.');
      expect(await events(id, 'rfp.update')).toHaveLength(0);
    });

    it('changes details, deadlines and every scoring setting in one audited save', async () => {
      const response = await submitDetails(
        id,
        {
          reference: 'EDIT-1A',
          title: 'Permit plan review assistant',
          department: 'Department of Building Inspection',
          qaDueDate: '2027-02-10',
          qaDueTime: '17:00',
          scaleMax: '4',
          aggregation: 'median',
          divergenceThresholdPercent: '25',
          priceFormula: 'linear',
          totalPoints: '90',
        },
        [['allowHalfPoints', 'yes']],
      );
      expect(response.status).toBe(200);
      expect(await page(response)).toContain(
        'Saved: reference, title, department, scale maximum, how scores are combined, half points, divergence threshold, price formula, total points, questions due.',
      );
      const row = await rfpRow(id);
      expect(row).toMatchObject({
        reference: 'EDIT-1A',
        title: 'Permit plan review assistant',
        department: 'Department of Building Inspection',
        qa_due_at: '2027-02-11T01:00:00.000Z',
        proposals_due_at: '2027-03-02T07:59:59.999Z',
        aggregation: 'median',
        price_formula: 'linear',
      });
      expect([Number(row.scale_max), Number(row.allow_half_points), Number(row.divergence_threshold), Number(row.total_points)]).toEqual([4, 1, 0.25, 90]);
      const [event] = await events(id, 'rfp.update');
      expect(JSON.parse(event!.before_json!)).toMatchObject({ reference: 'EDIT-1', title: 'Permit review assistant', scale_max: 5, qa_due_at: null, price_formula: 'ratio' });
      expect(JSON.parse(event!.after_json!)).toMatchObject({ reference: 'EDIT-1A', scale_max: 4, qa_due_at: '2027-02-11T01:00:00.000Z', price_formula: 'linear' });
      expect(Object.keys(JSON.parse(event!.after_json!))).not.toContain('summary');
      expect(event!.actor_email).toBe('officer@city.example');
      // The form now shows what is stored; the Q&A deadline keeps its typed time.
      const fields = Object.fromEntries(formFields(await page(await lead.get(`/rfps/${id}/details`)), 'rfp-details'));
      expect(fields).toMatchObject({ reference: 'EDIT-1A', qaDueDate: '2027-02-10', qaDueTime: '17:00', scaleMax: '4', allowHalfPoints: 'yes', divergenceThresholdPercent: '25', totalPoints: '90' });
    });

    it('turns half points off when the box is cleared, and clears a deadline whose date is emptied', async () => {
      const response = await submitDetails(id, { allowHalfPoints: null, qaDueDate: '', qaDueTime: '' });
      expect(response.status).toBe(200);
      const row = await rfpRow(id);
      expect([Number(row.allow_half_points), row.qa_due_at]).toEqual([0, null]);
    });

    it('says what is wrong with each field and saves nothing', async () => {
      const before = await rfpRow(id);
      const response = await submitDetails(id, { scaleMax: 'twenty', totalPoints: '-5', divergenceThresholdPercent: '150', title: '  ', aggregation: 'mode' });
      expect(response.status).toBe(400);
      const html = await page(response);
      expect(html).toContain('The scale maximum must be a whole number from 2 to 10.');
      expect(html).toContain('The total points must be a whole number from 1 to 10,000.');
      expect(html).toContain('The divergence threshold must be a number from 1 to 100.');
      expect(html).toContain('Title is required.');
      expect(html).toContain('Choose how evaluators’ scores are combined: mean or median.');
      expect(await rfpRow(id)).toEqual(before);
    });

    it('refuses a reference another RFP has', async () => {
      const response = await submitDetails(id, { reference: 'DATES-1' });
      expect(response.status).toBe(400);
      expect(await page(response)).toContain('An RFP with the reference DATES-1 already exists.');
      expect((await rfpRow(id)).reference).toBe('EDIT-1A');
    });

    it('keeps deadlines in order against the ones not changed, saying which', async () => {
      const response = await submitDetails(id, { evaluationDueDate: '2027-02-01' });
      expect(response.status).toBe(400);
      expect(await page(response)).toContain('Evaluation due (Feb 1, 2027, 11:59 PM PST) must be on or after proposals due (Mar 1, 2027, 11:59 PM PST).');
    });

    it('asks to confirm a deadline set in the past, with a reason; an earlier deadline already past does not stop other edits', async () => {
      const refused = await submitDetails(id, { qaDueDate: '2021-05-01' });
      expect(refused.status).toBe(400);
      expect(await page(refused)).toContain('Questions due (May 1, 2021, 11:59 PM PDT) has already passed.');
      expect((await rfpRow(id)).qa_due_at).toBeNull();
      const confirmed = await submitDetails(id, { qaDueDate: '2021-05-01' }, [
        ['confirmPast', 'yes'],
        ['pastReason', 'The Q&A period ran before the RFP was entered here.'],
      ]);
      expect(confirmed.status).toBe(200);
      expect((await rfpRow(id)).qa_due_at).toBe('2021-05-02T06:59:59.999Z');
      expect((await events(id, 'rfp.update')).at(-1)!.reason).toBe('The Q&A period ran before the RFP was entered here.');
      // Now the Q&A deadline is past; changing the title leaves it alone and needs no confirmation.
      const titled = await submitDetails(id, { title: 'Permit plan review assistant (phase 1)' });
      expect(titled.status).toBe(200);
      expect((await events(id, 'rfp.update')).at(-1)!.reason).toBeNull();
    });
  });

  describe('once the RFP is open (the demo)', () => {
    it('shows the reference and scoring settings as text with the lock, and keeps the deadlines editable', async () => {
      const html = await page(await lead.get(`/rfps/${demoId}/details`));
      expect(html).toContain('The reference and scoring settings of DEMO-311-GENAI are locked because the RFP is open for responses');
      const fields = Object.fromEntries(formFields(html, 'rfp-details'));
      expect(fields.reference).toBeUndefined();
      expect(fields.scaleMax).toBeUndefined();
      expect(fields.proposalsDueDate).toBe('2026-11-16');
      expect(fields.title).toBeDefined();
    });

    it('refuses a stale draft form changing a setting or the reference with 409, saving nothing of it', async () => {
      const before = await rfpRow(demoId);
      const stale: Array<Record<string, string>> = [{ scaleMax: '4' }, { reference: 'DEMO-RENAMED' }, { totalPoints: '90' }];
      for (const change of stale) {
        const response = await submitDetails(demoId, { ...change, title: 'A new title' });
        expect(response.status, JSON.stringify(change)).toBe(409);
        expect(await page(response)).toContain('The lead officer can reopen it to draft, with a recorded reason, to change them.');
      }
      expect(await rfpRow(demoId)).toEqual(before);
    });

    it('accepts the same settings posted unchanged, and extends the proposals deadline (an addendum)', async () => {
      const response = await submitDetails(demoId, { proposalsDueDate: '2026-12-22', proposalsDueTime: '14:00' }, [
        ['scaleMax', '5'],
        ['aggregation', 'mean'],
      ]);
      expect(response.status).toBe(200);
      expect((await rfpRow(demoId)).proposals_due_at).toBe('2026-12-22T22:00:00.000Z');
      expect(await page(await lead.get(`/rfps/${demoId}`))).toContain('<dt>Proposals due</dt><dd>Dec 22, 2026, 2:00 PM PST</dd>');
    });

    it('locks the vendor deadlines once evaluation starts, and everything once closed, with 409', async () => {
      const handle = db();
      await handle.db.updateTable('rfp').set({ status: 'evaluation' }).where('id', '=', demoId).execute();
      try {
        const evaluation = await page(await lead.get(`/rfps/${demoId}/details`));
        expect(evaluation).toContain('The questions and proposals deadlines of DEMO-311-GENAI are locked because the RFP is in evaluation: the proposals are in.');
        const refused = await lead.post(`/rfps/${demoId}/details`, { proposalsDueDate: '2027-01-05' });
        expect(refused.status).toBe(409);
        expect((await submitDetails(demoId, { evaluationDueDate: '2027-01-29' })).status).toBe(200);
        await handle.db.updateTable('rfp').set({ status: 'closed' }).where('id', '=', demoId).execute();
        const closed = await page(await lead.get(`/rfps/${demoId}/details`));
        expect(closed).toContain('The details of DEMO-311-GENAI are locked because the RFP is closed: the results are final.');
        expect(closed).not.toContain('Save changes');
        const title = await lead.post(`/rfps/${demoId}/details`, { title: 'Renamed after the award' });
        expect(title.status).toBe(409);
        expect((await rfpRow(demoId)).title).toBe('Generative AI assistant for 311 service requests');
      } finally {
        await handle.db.updateTable('rfp').set({ status: 'open' }).where('id', '=', demoId).execute();
        await handle.close();
      }
    });

    it('refuses to change the scale of a draft whose scores exist (after going back to draft)', async () => {
      const handle = db();
      const submission = await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', demoId).executeTakeFirstOrThrow();
      const criterion = await handle.db.selectFrom('criterion').select('id').where('rfp_id', '=', demoId).where('kind', '=', 'scored').executeTakeFirstOrThrow();
      const evaluator = await handle.db.selectFrom('app_user').select('id').where('email', '=', 'evaluator1@city.example').executeTakeFirstOrThrow();
      const now = new Date().toISOString();
      await handle.db
        .insertInto('score')
        .values({ id: 'score-on-scale', rfp_id: demoId, submission_id: submission.id, criterion_id: criterion.id, evaluator_id: evaluator.id, value: 3.5, rationale: 'r', version: 1, created_at: now, updated_at: now })
        .execute();
      await handle.db.updateTable('rfp').set({ status: 'draft', allow_half_points: 1 }).where('id', '=', demoId).execute();
      try {
        const scale = await submitDetails(demoId, { scaleMax: '10' });
        expect(scale.status).toBe(409);
        expect(await page(scale)).toContain('Scores have been given on the 0–5 scale; the scale cannot change while they exist.');
        const halves = await submitDetails(demoId, { allowHalfPoints: null });
        expect(halves.status).toBe(409);
        expect(await page(halves)).toContain('Half-point scores have been given; half points cannot be turned off while they exist.');
        expect((await submitDetails(demoId, { totalPoints: '100', aggregation: 'median' })).status).toBe(200);
      } finally {
        await handle.db.deleteFrom('score').where('id', '=', 'score-on-scale').execute();
        await handle.db.updateTable('rfp').set({ status: 'open', allow_half_points: 0, aggregation: 'mean' }).where('id', '=', demoId).execute();
        await handle.close();
      }
    });
  });

  describe('who may edit', () => {
    it('is the lead only: others are refused (403), outsiders do not see the RFP (404), anonymous visitors sign in', async () => {
      const expectations: Array<[string | null, number]> = [
        [null, 302],
        ['admin@city.example', 403],
        ['evaluator1@city.example', 403],
        ['leader@city.example', 403],
      ];
      for (const [email, status] of expectations) {
        const visitor = new Visitor(server.baseUrl);
        if (email) await visitor.login(email);
        expect((await visitor.get(`/rfps/${demoId}/details`)).status, `GET as ${email}`).toBe(status);
        expect((await visitor.post(`/rfps/${demoId}/details`, { title: 'Taken over' })).status, `POST as ${email}`).toBe(status);
      }
      expect((await rfpRow(demoId)).title).toBe('Generative AI assistant for 311 service requests');
      const outsiderId = await createDraft('OUTSIDE-1');
      const other = new Visitor(server.baseUrl);
      await other.login('evaluator1@city.example');
      expect((await other.get(`/rfps/${outsiderId}/details`)).status).toBe(404);
    });

    it('shows the lead, not an observer, the way to the page from the overview', async () => {
      expect(await page(await lead.get(`/rfps/${demoId}`))).toContain(`href="/rfps/${demoId}/details"`);
      const observer = new Visitor(server.baseUrl);
      await observer.login('leader@city.example');
      expect(await page(await observer.get(`/rfps/${demoId}`))).not.toContain('/details"');
    });
  });
});
