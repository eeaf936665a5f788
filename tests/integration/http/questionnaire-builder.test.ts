/**
 * The builder says what is wrong instead of swallowing it (issue 12, item 5), through the real server: points that
 * are not a number, generated keys, sections renamed where they are shown, a price criterion's editor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { questionBanks } from '#db/queries/bank-content';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('the questionnaire builder', () => {
  let server: TestServer;
  let officer: Visitor;
  let handle: DatabaseHandle;
  let rfpPath: string;
  let rfpId: string;
  let sectionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    handle = openDatabase(server.databaseUrl);
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const created = await officer.post('/rfps/new', { reference: 'RFP-BLD-12', title: 'Permit assistant', department: 'Buildings', summary: 'Pre-screens permits.' });
    expect(created.status).toBe(302);
    rfpPath = created.headers.get('location')!;
    rfpId = rfpPath.split('/').pop()!;
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-section', title: 'Cost' })).status).toBe(302);
    sectionId = (await handle.db.selectFrom('section').select('id').where('rfp_id', '=', rfpId).executeTakeFirstOrThrow()).id;
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  /** A page's HTML without the comments React puts between adjacent text parts. */
  const page = async (response: Response | Promise<Response>) => (await (await response).text()).replaceAll('<!-- -->', '');
  const criteria = () => handle.db.selectFrom('criterion').select(['id', 'key', 'title', 'points']).where('rfp_id', '=', rfpId).orderBy('created_at').execute();

  it.each([
    ['twenty', 'Points must be a number written in digits, such as 10 or 12.5 — “twenty” is not.'],
    ['-5', 'Points cannot be negative: “-5” is below 0.'],
  ])('refuses points “%s” with a field error on that section’s form, keeping what was typed', async (points, message) => {
    const refused = await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-criterion', sectionId, title: 'Price', kind: 'price', points });
    expect(refused.status).toBe(400);
    const html = await page(refused);
    const field = `criterion-points-${sectionId}`;
    expect(html).toContain(`<span class="usa-error-message" id="${field}-error" role="alert">${message}</span>`);
    // The form's error summary links to that field (its id differs from its name: every section has this form).
    expect(html).toMatch(new RegExp(`<a class="usa-link" href="#${field}">${message}</a>`));
    expect(html).toMatch(new RegExp(`<input[^>]*id="${field}"[^>]*aria-invalid="true"[^>]*aria-describedby="${field}-hint ${field}-error"`));
    expect(html).toMatch(new RegExp(`<input[^>]*id="criterion-title-input-${sectionId}"[^>]*value="Price"`));
    // The refused form is open, and its error is not repeated on the page's other forms.
    expect(html).toMatch(/<details class="margin-top-1" open="">\s*<summary class="usa-link">Add a criterion to Cost/);
    expect(html).not.toMatch(/id="title-error"/);
    expect(await criteria()).toEqual([]);
  });

  it('gives criteria short keys (PRC-01, PRC-02) and their questions PRC-01.1', async () => {
    for (const title of ['Price', 'Price of support']) {
      const added = await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-criterion', sectionId, title, kind: title === 'Price' ? 'price' : 'scored', points: '20' });
      expect(added.status).toBe(302);
    }
    const [price, support] = await criteria();
    expect([price!.key, support!.key]).toEqual(['PRC-01', 'PSP-01']);
    const again = await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-criterion', sectionId, title: 'Price', kind: 'scored', points: '1' });
    expect(again.status).toBe(302);
    expect((await criteria()).map((c) => c.key)).toEqual(['PRC-01', 'PSP-01', 'PRC-02']);

    const criterionPage = await page(officer.get(`${rfpPath}/questionnaire/criteria/${price!.id}`));
    expect(criterionPage).toMatch(/<input[^>]*name="key"[^>]*value="PRC-01\.1"/);
    const addedQuestion = await officer.post(`${rfpPath}/questionnaire/criteria/${price!.id}`, { intent: 'add-question', key: 'PRC-01.1', text: 'What is your total price for five years?', answerType: 'number', required: 'yes' });
    expect(addedQuestion.status).toBe(302);
    const next = await (await officer.get(`${rfpPath}/questionnaire/criteria/${price!.id}`)).text();
    expect(next).toMatch(/<input[^>]*name="key"[^>]*value="PRC-01\.2"/);

    // A copy of the criterion is the next number, with its questions renumbered after it.
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'duplicate', level: 'criterion', id: price!.id })).status).toBe(302);
    const copy = await handle.db.selectFrom('criterion').select(['id', 'key']).where('rfp_id', '=', rfpId).where('title', '=', 'Price (copy)').executeTakeFirstOrThrow();
    expect(copy.key).toBe('PRC-03');
    const copied = await handle.db.selectFrom('question').select('key').where('criterion_id', '=', copy.id).execute();
    expect(copied.map((q) => q.key)).toEqual(['PRC-03.1']);
  });

  it('explains the price formula on a price criterion instead of asking for rubric anchors', async () => {
    const [price] = await criteria();
    const html = await (await officer.get(`${rfpPath}/questionnaire/criteria/${price!.id}`)).text();
    expect(html).toContain('How price points are worked out');
    expect(html).toContain('points = W × lowest price ÷ vendor’s price');
    expect(html).toContain('$1,000,000 earns 16.00');
    expect(html).toMatch(/<fieldset class="usa-fieldset margin-top-3" hidden="">\s*<legend class="usa-legend usa-legend--large">Rubric/);
    const scored = (await criteria()).find((c) => c.key === 'PSP-01')!;
    const scoredHtml = await (await officer.get(`${rfpPath}/questionnaire/criteria/${scored.id}`)).text();
    expect(scoredHtml).not.toContain('How price points are worked out');
    expect(scoredHtml).toMatch(/<fieldset class="usa-fieldset margin-top-3">\s*<legend/);
  });

  it('renames a section from beside its heading, and says why an empty name is refused', async () => {
    const builder = await page(officer.get(`${rfpPath}/questionnaire`));
    const heading = builder.indexOf(`id="section-title-${sectionId}"`);
    const rename = builder.indexOf('Rename<span class="usa-sr-only"> section Cost</span>');
    const firstCriterion = builder.indexOf('<h4 id="criterion-title-');
    expect(heading).toBeGreaterThan(-1);
    expect(rename).toBeGreaterThan(heading);
    expect(rename).toBeLessThan(firstCriterion);

    const empty = await officer.post(`${rfpPath}/questionnaire`, { intent: 'rename-section', sectionId, title: '  ' });
    expect(empty.status).toBe(400);
    const html = await page(empty);
    expect(html).toContain(`id="section-title-input-${sectionId}-error" role="alert">Section title is required.</span>`);
    expect(html).toMatch(/<details class="margin-top-1 wb-rename" open="">/);

    const renamed = await officer.post(`${rfpPath}/questionnaire`, { intent: 'rename-section', sectionId, title: 'Cost and price' });
    expect(renamed.status).toBe(200);
    expect(await renamed.text()).toContain('Section renamed.');
    expect((await handle.db.selectFrom('section').select('title').where('id', '=', sectionId).executeTakeFirstOrThrow()).title).toBe('Cost and price');
  });

  it('moves several ticked criteria at once, keeping their order, and says what is missing', async () => {
    expect((await officer.post(`${rfpPath}/questionnaire`, { intent: 'add-section', title: 'Quality' })).status).toBe(302);
    const quality = await handle.db.selectFrom('section').select('id').where('rfp_id', '=', rfpId).where('title', '=', 'Quality').executeTakeFirstOrThrow();
    const before = await criteria();
    const [prc02, prc03] = [before.find((c) => c.key === 'PRC-02')!, before.find((c) => c.key === 'PRC-03')!];

    const none = await officer.post(`${rfpPath}/questionnaire`, { intent: 'move-criteria', destination: `start:${quality.id}` });
    expect(none.status).toBe(400);
    expect(await page(none)).toContain('<a class="usa-link" href="#bulk-heading">Tick the criteria to move (the box beside each criterion’s title).</a>');
    const body = new URLSearchParams([['intent', 'move-criteria'], ['criterionIds', prc03.id], ['criterionIds', prc02.id], ['destination', `after:${prc02.id}`]]);
    const intoItself = await officer.request(`${rfpPath}/questionnaire?index`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl }, body: body.toString() });
    expect(intoItself.status).toBe(400);
    expect(await page(intoItself)).toContain('Criterion PRC-02 is one of those being moved: choose a place outside the selection.');

    body.set('destination', `start:${quality.id}`);
    const moved = await officer.request(`${rfpPath}/questionnaire?index`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl }, body: body.toString() });
    expect(moved.status).toBe(302);
    const rows = await handle.db.selectFrom('criterion').select(['key', 'section_id', 'position']).where('rfp_id', '=', rfpId).orderBy('section_id').orderBy('position').execute();
    expect(rows.filter((r) => r.section_id === quality.id).map((r) => [r.key, Number(r.position)])).toEqual([
      ['PRC-02', 0],
      ['PRC-03', 1],
    ]);
    expect(rows.filter((r) => r.section_id === sectionId).map((r) => [r.key, Number(r.position)])).toEqual([
      ['PRC-01', 0],
      ['PSP-01', 1],
    ]);
    const events = await handle.db.selectFrom('audit_event').select(['entity_id', 'after_json']).where('rfp_id', '=', rfpId).where('action', '=', 'criterion.move').execute();
    expect(events.map((e) => e.entity_id).sort()).toEqual([prc02.id, prc03.id].sort());
  });

  it('deletes several ticked criteria after one confirmation listing them', async () => {
    const all = await criteria();
    const [prc02, prc03] = [all.find((c) => c.key === 'PRC-02')!, all.find((c) => c.key === 'PRC-03')!];
    const confirm = await page(officer.get(`${rfpPath}/questionnaire?index&confirm=criteria&criterionIds=${prc02.id}&criterionIds=${prc03.id}&destination=`));
    expect(confirm).toContain('Delete 2 criteria?');
    expect(confirm).toContain('<li>PRC-02 · Price (0 questions)</li>');
    expect(confirm).toContain('<li>PRC-03 · Price (copy) (1 question)</li>');
    expect(confirm).toContain(`<input type="hidden" name="criterionIds" value="${prc02.id},${prc03.id}"/>`);
    expect((await criteria()).length).toBe(4);
    // Deleting several returns to where they were, like a single delete: the first ticked criterion's section.
    const { section_id: sectionId } = await handle.db.selectFrom('criterion').select('section_id').where('id', '=', prc02.id).executeTakeFirstOrThrow();
    const back = `${rfpPath}/questionnaire#section-${sectionId}`;
    expect(confirm).toContain(`<input type="hidden" name="returnTo" value="${back}"/>`);
    const deleted = await officer.post(`${rfpPath}/questionnaire?index`, { intent: 'delete-criteria', criterionIds: `${prc02.id},${prc03.id}`, returnTo: back });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get('location')).toBe(back);
    expect((await criteria()).map((c) => c.key)).toEqual(['PRC-01', 'PSP-01']);
    const events = await handle.db.selectFrom('audit_event').select('entity_id').where('rfp_id', '=', rfpId).where('action', '=', 'criterion.delete').execute();
    expect(events.map((e) => e.entity_id).sort()).toEqual([prc02.id, prc03.id].sort());
  });

  it('says a bank is added, and asks before adding it again: only the missing criteria, or copies', async () => {
    const privacy = questionBanks().find((b) => b.id === 'privacy')!;
    const first = await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-bank', bankId: 'privacy' });
    expect(first.status).toBe(200);
    expect(await page(first)).toContain(`Added ${privacy.criteria.length} criteria from “${privacy.title}”.`);
    const banks = await page(officer.get(`${rfpPath}/questionnaire/banks`));
    const card = banks.slice(banks.indexOf(`<h3 class="usa-card__heading">${privacy.title}</h3>`), banks.indexOf('</li>', banks.indexOf(`<h3 class="usa-card__heading">${privacy.title}</h3>`)));
    expect(card).toContain('<span class="usa-tag bg-green">Added</span>');
    expect(card).toContain(`Add again…<span class="usa-sr-only"> ${privacy.title}</span>`);

    const count = async () => (await criteria()).length;
    const n = await count();
    const asked = await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-bank', bankId: 'privacy' });
    expect(asked.status).toBe(409);
    const askedHtml = await page(asked);
    expect(askedHtml).toContain('This bank is already in the RFP');
    expect(askedHtml).toContain(`Add copies of all ${privacy.criteria.length} criteria`);
    expect(askedHtml).not.toContain('missing criteri');
    expect(await count()).toBe(n);

    // Part of a bank: one question added on its own brings its criterion.
    const security = questionBanks().find((b) => b.id === 'security')!;
    const one = security.criteria[0]!;
    expect((await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-questions', questionKeys: one.questions[0]!.key })).status).toBe(200);
    const partial = await page(officer.get(`${rfpPath}/questionnaire/banks`));
    expect(partial).toContain(`<span class="usa-tag bg-green">1 of ${security.criteria.length} criteria added</span>`);
    const askedAgain = await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-bank', bankId: 'security' });
    expect(askedAgain.status).toBe(409);
    expect(await page(askedAgain)).toContain(`1 of its ${security.criteria.length} criteria are already in the RFP`);
    const skipped = await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-bank', bankId: 'security', duplicates: 'skip' });
    expect(skipped.status).toBe(200);
    expect(await page(skipped)).toContain(`Added ${security.criteria.length - 1} criteria from “${security.title}”. 1 criterion already in this RFP was left as it is.`);
    const keys = (await criteria()).map((c) => c.key);
    expect(keys.filter((k) => k === one.key)).toHaveLength(1);

    const copies = await officer.post(`${rfpPath}/questionnaire/banks`, { intent: 'add-bank', bankId: 'privacy', duplicates: 'copy' });
    expect(copies.status).toBe(200);
    expect((await criteria()).map((c) => c.key)).toContain(`${privacy.criteria[0]!.key}-2`);
  });
});
