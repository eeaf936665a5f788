/**
 * A delete keeps its confirmation page but returns the user to where they were (issue 12, item 3): the builder's
 * Delete link carries the place to come back to (the item's section or criterion), the confirmation's Cancel goes
 * there, and so does the redirect after the delete; a `returnTo` that leaves the site is replaced by the builder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const text = async (response: Response) => (await response.text()).replaceAll('<!-- -->', '').replaceAll('&amp;', '&');

describe('deleting from the builder', () => {
  let server: TestServer;
  let officer: Visitor;
  let rfpPath: string;
  let builder: string;
  let handle: ReturnType<typeof openDatabase>;

  beforeAll(async () => {
    server = await startTestServer();
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const created = await officer.post('/rfps/new', { reference: 'RFP-DEL-1', title: 'Deletes', department: 'IT', summary: 'Tests deletes.' });
    rfpPath = created.headers.get('location')!;
    builder = `${rfpPath}/questionnaire`;
    expect((await officer.post(builder, { intent: 'apply-template', templateId: 'generative-ai-311' })).status).toBe(302);
    handle = openDatabase(server.databaseUrl);
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    await server?.stop();
  });

  const firstCriterion = () =>
    handle.db
      .selectFrom('criterion')
      .innerJoin('rfp', 'rfp.id', 'criterion.rfp_id')
      .select(['criterion.id', 'criterion.section_id'])
      .where('rfp.reference', '=', 'RFP-DEL-1')
      .orderBy('criterion.position')
      .executeTakeFirstOrThrow();

  it('links each Delete to a confirmation that knows where the user was', async () => {
    const c = await firstCriterion();
    const html = await text(await officer.get(builder));
    const query = new URLSearchParams({ confirm: `criterion:${c.id}`, returnTo: `${builder}#section-${c.section_id}` });
    expect(html).toContain(`href="${builder}?${query}"`);
    const confirm = await text(await officer.get(`${builder}?${query}`));
    expect(confirm).toContain('Delete this criterion?');
    expect(confirm).toContain(`<input type="hidden" name="returnTo" value="${builder}#section-${c.section_id}"/>`);
    expect(confirm).toMatch(new RegExp(`href="${builder}#section-${c.section_id}"[^>]*>Cancel`));
  });

  it('goes back to the deleted item’s section after the delete', async () => {
    const c = await firstCriterion();
    const deleted = await officer.post(`${builder}?index`, { intent: 'delete', level: 'criterion', id: c.id, returnTo: `${builder}#section-${c.section_id}` });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get('location')).toBe(`${builder}#section-${c.section_id}`);
    expect(await handle.db.selectFrom('criterion').select('id').where('id', '=', c.id).executeTakeFirst()).toBeUndefined();
  });

  it('never sends the user off the site, whatever returnTo says', async () => {
    const c = await firstCriterion();
    const confirm = await text(await officer.get(`${builder}?${new URLSearchParams({ confirm: `criterion:${c.id}`, returnTo: '//evil.example/x' })}`));
    expect(confirm).toContain(`<input type="hidden" name="returnTo" value="${builder}"/>`);
    const deleted = await officer.post(`${builder}?index`, { intent: 'delete', level: 'criterion', id: c.id, returnTo: 'https://evil.example/' });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get('location')).toBe(builder);
  });
});
