/**
 * The installation's time zone through the real server: a bad TIME_ZONE stops the start with a message saying what to
 * set, and pages show every deadline as a date and time in that zone with its abbreviation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('TIME_ZONE', () => {
  it('stops the server at start when it is not an IANA zone name, saying what to set', async () => {
    const failure = await startTestServer({ TIME_ZONE: 'Pacific Time' }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (error: unknown) => String(error),
    );
    expect(failure).toMatch(/Server exited with 1/);
    expect(failure).toContain('TIME_ZONE="Pacific Time" is not an IANA time zone name');
    expect(failure).toContain('America/Los_Angeles');
  }, 90_000);

  describe('set to America/Los_Angeles', () => {
    let server: TestServer;
    let lead: Visitor;
    let rfpId: string;
    beforeAll(async () => {
      server = await startTestServer({ TIME_ZONE: 'America/Los_Angeles' });
      lead = new Visitor(server.baseUrl);
      await lead.login('officer@city.example');
      const handle = openDatabase(server.databaseUrl);
      rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
      await handle.close();
    }, 180_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('says so at start and renders the zone into the page for the browser', async () => {
      expect(server.output()).toContain('dates in America/Los_Angeles');
      const html = await (await lead.get(`/rfps/${rfpId}`)).text();
      expect(html).toContain('<html lang="en" data-time-zone="America/Los_Angeles">');
    });

    it("shows the overview's deadlines as the end of the typed day in that zone, with the abbreviation", async () => {
      const html = (await (await lead.get(`/rfps/${rfpId}`)).text()).replaceAll('<!-- -->', '');
      expect(html).toMatch(/<dt>Questions due<\/dt><dd>Nov 2, 2026, 11:59 PM PST<\/dd>/);
      expect(html).toMatch(/<dt>Proposals due<\/dt><dd>Nov 16, 2026, 11:59 PM PST<\/dd>/);
      expect(html).toMatch(/<dt>Evaluation due<\/dt><dd>Jan 22, 2027, 11:59 PM PST<\/dd>/);
      expect(html).not.toMatch(/UTC/);
    });
  });
});
