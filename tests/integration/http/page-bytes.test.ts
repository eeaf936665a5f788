/**
 * Pages are byte-exact UTF-8: React 18's streaming renderer copies text into 2,048-byte buffers and, when a multi-byte
 * character does not fit the rest of one, sends the whole buffer with its unwritten tail of zero bytes (react#24985).
 * Here every question of the demo RFP gets a short text dense with 2-, 3- and 4-byte characters, shifted by one more
 * ASCII byte on each render so that every buffer boundary in the page meets those characters at every alignment; each
 * page must contain no NUL byte, decode as strict UTF-8, and show every text exactly as stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

describe('pages are byte-exact around the renderer’s 2,048-byte buffers', () => {
  let server: TestServer;
  let officer: Visitor;
  let rfpId: string;

  beforeAll(async () => {
    server = await startTestServer();
    officer = new Visitor(server.baseUrl);
    await officer.login('officer@city.example');
    const handle = openDatabase(server.databaseUrl);
    rfpId = (await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow()).id;
    await handle.close();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('has no NUL byte and every multi-byte text intact, whatever the offset of those characters', async () => {
    const handle = openDatabase(server.databaseUrl);
    const questions = await handle.db.selectFrom('question').select('id').where('rfp_id', '=', rfpId).orderBy('id').execute();
    expect(questions.length).toBeGreaterThan(20);
    try {
      // Nine shifts cover every alignment of a 2-, 3- and 4-byte character (2 + 3 + 4 bytes per repetition).
      for (let shift = 0; shift < 9; shift += 1) {
        const texts = questions.map((q, i) => `${'a'.repeat(shift)}Q${i} é中😀é中😀é中😀 ñ€𝄞 ${'é中😀'.repeat(6)}`);
        for (const [i, q] of questions.entries()) await handle.db.updateTable('question').set({ text: texts[i]! }).where('id', '=', q.id).execute();
        const response = await officer.get(`/rfps/${rfpId}/questionnaire`);
        expect(response.status).toBe(200);
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect(bytes.length).toBeGreaterThan(3 * 2048);
        const nul = bytes.indexOf(0);
        expect(nul, `NUL byte at offset ${nul} (shift ${shift})`).toBe(-1);
        const html = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        for (const text of texts) expect(html, `shift ${shift}`).toContain(text);
      }
    } finally {
      await handle.close();
    }
  });
});
