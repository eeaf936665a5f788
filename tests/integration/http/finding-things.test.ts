/**
 * Finding things, through the real server: the RFP list searches, filters and pages inside the reader's scope; the
 * audit log reads as sentences with names, searches and filters; a filter that cannot be understood is answered 400
 * with what to change, never 500 and never ignored in silence.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client';
import { getRfpByReference } from '#db/queries/rfps';
import type { RfpStatus } from '#db/schema';
import { DEMO_RFP_REFERENCE } from '#db/seed';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

/** The page's text without React's comment markers between interpolated parts. */
const text = async (response: Response) => (await response.text()).replace(/<!-- -->/g, '');
/** The references the RFP list shows, in order. */
const references = (html: string) => [...html.matchAll(/<th scope="row" data-label="Reference"><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('finding things', () => {
  let server: TestServer;
  let handle: DatabaseHandle;
  let admin: Visitor;
  let officer: Visitor;
  let demoId: string;

  beforeAll(async () => {
    // Whole days of the due-date and audit filters are the installation's; these expectations are written in UTC.
    server = await startTestServer({ TIME_ZONE: 'UTC' });
    handle = openDatabase(server.databaseUrl);
    demoId = (await getRfpByReference(handle.db, DEMO_RFP_REFERENCE))!.id;
    const demo = (await handle.db.selectFrom('rfp').selectAll().where('id', '=', demoId).executeTakeFirstOrThrow());
    // 30 RFPs nobody but an admin sees (no members): three departments, every status, proposals due in 2027.
    const statuses: RfpStatus[] = ['draft', 'open', 'evaluation', 'consensus', 'closed'];
    const departments = ['Police Department', 'Transportation', 'Library Services'];
    await handle.db
      .insertInto('rfp')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          ...demo,
          id: randomUUID(),
          reference: `FIND-${String(i + 1).padStart(2, '0')}`,
          title: i === 7 ? 'Licence-plate readers (ALPR) 100%_match' : `Service number ${i + 1}`,
          department: departments[i % 3]!,
          status: statuses[i % 5]!,
          proposals_due_at: `2027-${String((i % 9) + 1).padStart(2, '0')}-15T23:59:00.000Z`,
          evaluation_due_at: i === 29 ? '2027-12-01T17:00:00.000Z' : null,
          updated_at: `2026-11-${String(i + 1).padStart(2, '0')}T12:00:00.000Z`,
        })),
      )
      .execute();
    admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  it('the RFP list pages on the server and searches title, reference and department, ignoring case', async () => {
    const first = await text(await admin.get('/rfps'));
    expect(first).toContain('31 RFPs; showing 1–25.');
    expect(references(first)).toHaveLength(25);
    expect(references(first)[0]).toBe(DEMO_RFP_REFERENCE);
    const second = await text(await admin.get('/rfps?page=2'));
    expect(references(second)).toHaveLength(6);
    expect(new Set([...references(first), ...references(second)]).size).toBe(31);
    expect(second).toContain('aria-label="Page 1"');

    expect(references(await text(await admin.get('/rfps?q=find-0')))).toHaveLength(9);
    expect(references(await text(await admin.get('/rfps?q=alpr')))).toEqual(['FIND-08']);
    // LIKE's own characters are taken literally.
    expect(references(await text(await admin.get(`/rfps?q=${encodeURIComponent('100%_m')}`)))).toEqual(['FIND-08']);
    expect(references(await text(await admin.get('/rfps?q=%25')))).toEqual(['FIND-08']);
    expect(references(await text(await admin.get('/rfps?q=LIBRARY%20services')))).toHaveLength(10);
    expect(await text(await admin.get('/rfps?q=nothing-like-this'))).toContain('No RFPs match these filters.');
  });

  it('filters by status, department, the reader’s role and a range of due dates', async () => {
    expect(references(await text(await admin.get('/rfps?status=closed')))).toEqual(['FIND-30', 'FIND-25', 'FIND-20', 'FIND-15', 'FIND-10', 'FIND-05']);
    expect(references(await text(await admin.get('/rfps?status=closed&department=Transportation')))).toEqual(['FIND-20', 'FIND-05']);
    // The admin is a member of none of the 30, and not of the demo either.
    expect(references(await text(await admin.get('/rfps?role=none&q=find')))).toHaveLength(25);
    expect(references(await text(await admin.get('/rfps?role=lead')))).toEqual([]);
    expect(references(await text(await officer.get('/rfps?role=lead')))).toEqual([DEMO_RFP_REFERENCE]);
    // Proposals due on 15 March 2027 (UTC day), or an evaluation due in the range.
    expect(references(await text(await admin.get('/rfps?dueFrom=2027-03-15&dueTo=2027-03-15'))).sort()).toEqual(['FIND-03', 'FIND-12', 'FIND-21', 'FIND-30']);
    expect(references(await text(await admin.get('/rfps?dueFrom=2027-03-16&dueTo=2027-03-31')))).toEqual([]);
    expect(references(await text(await admin.get('/rfps?dueFrom=2027-11-01')))).toEqual(['FIND-30']);
  });

  it('keeps every search inside what the reader may see', async () => {
    // The officer leads only the demo: the 30 other RFPs are not found by any search or filter.
    const all = await text(await officer.get('/rfps'));
    expect(references(all)).toEqual([DEMO_RFP_REFERENCE]);
    expect(references(await text(await officer.get('/rfps?q=find')))).toEqual([]);
    expect(references(await text(await officer.get('/rfps?department=Transportation')))).toEqual([]);
    // "Not a member" is an admin's choice only; the department list holds only what the reader may see.
    const refused = await officer.get('/rfps?role=none');
    expect(refused.status).toBe(400);
    expect(all).not.toContain('Library Services');
    expect((await admin.get('/rfps?role=none')).status).toBe(200);
  });

  it('answers a filter it cannot use with 400 and says which and why, still listing what it can', async () => {
    const response = await admin.get('/rfps?status=pending&dueFrom=2027-02-30&dueTo=2027-01-01&page=zero');
    expect(response.status).toBe(400);
    const html = await text(response);
    expect(html).toContain('The status “pending” is not one of the choices.');
    expect(html).toContain('“Due from” must be a date such as 2026-03-01.');
    expect(html).toContain('The page must be a whole number from 1.');
    expect(html).toContain('href="#status"');
    // The due-until day was understood, and applied: only the demo's proposals are due by 1 January 2027.
    expect(references(html)).toEqual([DEMO_RFP_REFERENCE]);
    const reversed = await admin.get('/rfps?dueFrom=2027-03-01&dueTo=2027-02-01');
    expect(reversed.status).toBe(400);
    expect(await text(reversed)).toContain('“Due until” is before “Due from”: swap them or change one.');
  });

  it('the audit log reads as sentences with names, and searches, filters and pages them', async () => {
    const path = `/rfps/${demoId}/audit`;
    const page = await text(await officer.get(path));
    const sentences = [...page.matchAll(/<th scope="row" data-label="What happened" class="text-normal">([^<]+)<\/th>/g)].map((m) => m[1]!);
    expect(sentences).toHaveLength(50);
    for (const sentence of sentences) expect(sentence).not.toMatch(UUID);
    expect(page).toMatch(/[\d,]+ entries; showing 1–50\./);
    expect(page).toContain('aria-label="Page 2"');

    const team = await text(await officer.get(`${path}?family=team`));
    expect(team).toContain('Olivia Ortiz added Evan Chen to the team as evaluator.');
    expect(team).not.toContain('imported');
    const search = await text(await officer.get(`${path}?q=${encodeURIComponent('evan chen')}&family=team`));
    expect(search).toContain('Evan Chen');
    expect(search).not.toContain('Priya Natarajan to the team');
    const byEntity = await text(await officer.get(`${path}?entity=submission`));
    expect(byEntity).toContain('added BudgetBot LLC to this RFP’s vendors.');
    expect(byEntity).not.toContain('to the team');
    const byActor = await text(await officer.get(`${path}?who=nobody%40city.example`));
    expect(byActor).toContain('No entries match these filters.');

    const bad = await officer.get(`${path}?from=2026-13-01&family=nonsense`);
    expect(bad.status).toBe(400);
    const badText = await text(bad);
    expect(badText).toContain('The first day must be a date such as 2026-03-01.');
    expect(badText).toContain('The kind of action “nonsense” is not one of the choices.');
  });
});
