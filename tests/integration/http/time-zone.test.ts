/**
 * The installation's time zone through the real server: a bad TIME_ZONE stops the start with a message saying what to
 * set, and pages show every deadline as a date and time in that zone with its abbreviation.
 */
import ExcelJS from 'exceljs';
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

    async function workbook(path: string): Promise<ExcelJS.Workbook> {
      const response = await lead.get(path);
      expect(response.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
      return book;
    }
    const facts = (sheet: ExcelJS.Worksheet, valueColumn: number) => {
      const out = new Map<string, string>();
      sheet.eachRow((row) => out.set(String(row.getCell(1).value), String(row.getCell(valueColumn).value)));
      return out;
    };

    it('puts the deadlines in the vendor workbook and the scorecard Summary as the pages show them', async () => {
      const vendor = facts((await workbook(`/rfps/${rfpId}/vendor-workbook.xlsx`)).getWorksheet('Instructions')!, 2);
      expect(vendor.get('Questions due')).toBe('Nov 2, 2026, 11:59 PM PST');
      expect(vendor.get('Proposals due')).toBe('Nov 16, 2026, 11:59 PM PST');
      const summary = facts((await workbook(`/rfps/${rfpId}/scorecard.xlsx`)).getWorksheet('Summary')!, 3);
      expect(summary.get('Questions due')).toBe('Nov 2, 2026, 11:59 PM PST');
      expect(summary.get('Proposals due')).toBe('Nov 16, 2026, 11:59 PM PST');
      expect(summary.get('Evaluation due')).toBe('Jan 22, 2027, 11:59 PM PST');
      expect(summary.get('Generated')).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M P[SD]T by /);
      const scorecard = (await (await lead.get(`/rfps/${rfpId}/scorecard`)).text()).replaceAll('<!-- -->', '');
      expect(scorecard).toMatch(/prepared [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M P[SD]T/);
    });

    it('writes the audit CSV and the portable file in ISO 8601 with the zone offset, which reads back as the same instant', async () => {
      const csv = await (await lead.get(`/rfps/${rfpId}/audit.csv`)).text();
      const [header, first] = csv.replace(/^\uFEFF/, '').split('\r\n');
      expect(header).toBe('At (America/Los_Angeles),Actor,Action,Entity,Entity id,Reason,Before,After');
      expect(first).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?-0[78]:00,/);
      const file = (await (await lead.get(`/rfps/${rfpId}/export.json`)).json()) as { rfp: Record<string, string | null> };
      expect(file.rfp).toMatchObject({ qaDueAt: '2026-11-02T23:59:59.999-08:00', proposalsDueAt: '2026-11-16T23:59:59.999-08:00', evaluationDueAt: '2027-01-22T23:59:59.999-08:00' });
      expect(new Date(file.rfp.proposalsDueAt!).toISOString()).toBe('2026-11-17T07:59:59.999Z');
    });
  });
});
