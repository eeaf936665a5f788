/**
 * Issue 12, item 7, through the real server: a vendor registry entry's page shows the entry's history — registered,
 * edited, a duplicate merged into it — in the audit log's sentences, with times in the installation's zone, to every
 * officer who may read the registry page, including one on none of the vendor's RFPs. Events of an RFP (the response
 * a merge moved, anything recorded in an RFP's chain about the vendor) stay out of it: they are in that RFP's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { recordAudit } from '#db/queries/audit';
import { formatDateTimeInZone } from '#app/utils/time-zone';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const ZONE = 'America/Los_Angeles';
/** The page's text without React's comment markers between interpolated parts. */
const text = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '');
/** The History section of a registry entry's page (the last section of the page). */
const historyOf = (html: string) => {
  const start = html.indexOf('<section aria-labelledby="history-heading">');
  expect(start, 'the page has a History section').toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('a vendor registry entry’s history', () => {
  let server: TestServer;
  let lead: Visitor;
  let outsider: Visitor;
  let rfpId: string;
  let keptId: string;

  const db = async <T>(work: (h: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> => {
    const handle = openDatabase(server.databaseUrl);
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  };
  const register = async (name: string, key: string) => {
    const added = await lead.post(`/rfps/${rfpId}/vendors`, { intent: 'add-new', name, key });
    expect(added.status).toBe(302);
    return {
      submissionId: added.headers.get('location')!.split('/').pop()!,
      vendorId: await db(async (h) => (await h.db.selectFrom('vendor').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id),
    };
  };

  beforeAll(async () => {
    server = await startTestServer({ TIME_ZONE: ZONE });
    const admin = new Visitor(server.baseUrl);
    await admin.login('admin@city.example');
    // An officer on no RFP: may read the registry, not the demo RFP.
    expect((await admin.post('/admin/users', { name: 'Oscar Outsider', email: 'outsider@city.example', role: 'officer', password: 'demo-password' })).status).toBe(200);
    lead = new Visitor(server.baseUrl);
    await lead.login('officer@city.example');
    outsider = new Visitor(server.baseUrl);
    await outsider.login('outsider@city.example');
    rfpId = await db(async (h) => (await h.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id);

    // Harbor Analytics was registered twice. The entry kept has no response of its own (removed here), so the
    // duplicate's response in the demo RFP moves to it.
    const kept = await register('Harbor Analytics', 'harbor-analytics');
    keptId = kept.vendorId;
    await db((h) => h.db.deleteFrom('submission').where('id', '=', kept.submissionId).execute());
    const duplicate = await register('Harbor Analytics Incorporated', 'harbor-analytics-inc');
    expect((await lead.post(`/vendors/${keptId}`, { intent: 'update', name: 'Harbor Analytics', key: 'harbor-analytics', website: 'https://harbor.example' })).status).toBe(302);
    const merged = await lead.post(`/vendors/${keptId}`, { intent: 'merge', duplicateId: duplicate.vendorId });
    expect(merged.status).toBe(302);
    // An event about this vendor in the RFP's own chain: the RFP's log shows it, the registry must not.
    await db((h) =>
      recordAudit(h.db, { id: null, email: 'system' }, { rfpId, entity: 'vendor', entityId: keptId, action: 'vendor.update', before: { name: 'Harbor Analytics' }, after: { name: 'Harbor panel-only note' } }),
    );
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('shows the merge, with both names, and the entry’s registration and edit, newest first, in the installation’s zone', async () => {
    const history = historyOf(await text(await lead.get(`/vendors/${keptId}`)));
    const mergedAt = await db(async (h) => (await h.db.selectFrom('audit_event').select('at').where('action', '=', 'vendor.merge').where('rfp_id', 'is', null).where('entity_id', '=', keptId).executeTakeFirstOrThrow()).at);
    const when = formatDateTimeInZone(mergedAt, ZONE);
    expect(when).toMatch(/ P[SD]T$/);
    expect(history).toContain(`<td class="text-no-wrap">${when}</td><td>Olivia Ortiz merged the duplicate vendor Harbor Analytics Incorporated into Harbor Analytics, moving 1 response.</td>`);
    const sentences = [...history.matchAll(/<td class="text-no-wrap">[^<]+<\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]!);
    expect(sentences).toEqual([
      'Olivia Ortiz merged the duplicate vendor Harbor Analytics Incorporated into Harbor Analytics, moving 1 response.',
      expect.stringMatching(/^Olivia Ortiz changed the vendor Harbor Analytics \(.*website.*\)\.$/),
      'Olivia Ortiz registered the vendor Harbor Analytics.',
    ]);
    expect(history).not.toMatch(/UTC/);
  });

  it('leaves out what belongs to an RFP, which that RFP’s audit log shows', async () => {
    for (const reader of [lead, outsider]) {
      const page = await text(await reader.get(`/vendors/${keptId}`));
      const history = historyOf(page);
      expect(history).toContain('merged the duplicate vendor Harbor Analytics Incorporated into Harbor Analytics');
      expect(page).not.toContain('panel-only note');
      expect(page).not.toContain('moved this RFP’s response');
      expect(page).not.toContain('to this RFP’s vendors');
    }
    // The officer on no RFP is told of the response, not which RFP it is in.
    expect(await text(await outsider.get(`/vendors/${keptId}`))).toContain('1 other RFP you are not a member of');
    // Those events exist: the RFP's log reads them.
    const rfpLog = await text(await lead.get(`/rfps/${rfpId}/audit?q=harbor`));
    expect(rfpLog).toContain('moved this RFP’s response from the duplicate vendor Harbor Analytics Incorporated to Harbor Analytics (duplicates merged).');
    expect(rfpLog).toContain('Harbor panel-only note');
  });

  it('answers a history page it cannot understand with 400 and what to change, still showing the history', async () => {
    const response = await lead.get(`/vendors/${keptId}?history=last`);
    expect(response.status).toBe(400);
    const history = historyOf(await text(response));
    expect(history).toContain('The page must be a whole number from 1. Showing page 1.');
    expect(history).toContain('Olivia Ortiz registered the vendor Harbor Analytics.');
  });
});
