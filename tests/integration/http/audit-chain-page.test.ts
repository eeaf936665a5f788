/**
 * The audit log page states the chain's head and, on request, recomputes the chain from the stored rows: intact, then
 * — after a database administrator changed an event past the triggers — the first broken link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { getAuditChainHead } from '#db/queries/audit';
import { getRfpByReference } from '#db/queries/rfps';
import { DEMO_RFP_REFERENCE } from '#db/seed';
import { asDatabaseAdministrator } from '#tests/support/audit-tamper';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

/** The page's text without React's comment markers between interpolated parts. */
const text = async (response: Response) => (await response.text()).replace(/<!-- -->/g, '');

describe('the audit log page and the chain', () => {
  let server: TestServer;
  let officer: Visitor;

  beforeAll(async () => {
    server = await startTestServer();
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('shows the head, verifies the chain on request, and names the event a DBA altered', async () => {
    const handle = openDatabase(server.databaseUrl);
    try {
      const rfp = (await getRfpByReference(handle.db, DEMO_RFP_REFERENCE))!;
      const path = `/rfps/${rfp.id}/audit`;
      const head = (await getAuditChainHead(handle.db, rfp.id))!;
      const page = await text(await officer.get(path));
      expect(page).toContain(`Chain head: event ${head.seq}`);
      expect(page).toContain(head.hash);

      // Filters are kept when verifying.
      const intact = await text(await officer.get(`${path}?action=rfp.create&verify=1`));
      expect(intact).toContain(`${DEMO_RFP_REFERENCE}: ${head.seq} events, chain intact, head seq ${head.seq} ${head.hash}`);
      expect(intact).toContain(`href="${path}?action=rfp.create&amp;verify=1">Verify the chain`);

      const target = await handle.db.selectFrom('audit_event').select(['id', 'action', 'at']).where('rfp_id', '=', rfp.id).where('seq', '=', 2).executeTakeFirstOrThrow();
      await asDatabaseAdministrator(handle.db, (trx) => trx.updateTable('audit_event').set({ actor_email: 'someone-else@city.example' }).where('id', '=', target.id).execute());
      const broken = await text(await officer.get(`${path}?verify=1`));
      expect(broken).toContain(`chain broken at seq 2 (event id ${target.id}, ${target.at}, ${target.action}): hash mismatch`);
      expect(broken).toContain('usa-alert--error');
    } finally {
      await handle.close();
    }
  });
});
