/**
 * The acceptance corpus (fixtures/questionnaire-import/corpus/) through the import page, as the final check does
 * with real questionnaires: each file uploaded, confirmed as first proposed, and the questionnaire then holds the keys and
 * sections (and answer types) the page previewed — which are those of the service's preview of the same proposal
 * (tests/integration/import/questionnaire-corpus.test.ts asserts what those are, file by file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { getQuestionnaire } from '#db/queries/questionnaire';
import { inspectGrid, parseUpload, planOf, previewGrid } from '#app/import/questionnaire-import.server';
import { formFields } from '#tests/support/html-form';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

const corpus = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'questionnaire-import', 'corpus');

const FILES = [
  '01-higher-ed-vendor-security.xlsx',
  '02-cloud-control-matrix.xlsx',
  '02b-cloud-control-matrix-sparse-domain.xlsx',
  '03-cyber-fundamentals-self-assessment.xlsx',
  '04-supply-chain-template.xlsx',
  '05-framework-export.xlsx',
  '06-outline-tree.xlsx',
  '07-maturity-scale.xlsx',
  '08a-libreoffice-higher-ed.xlsx',
  '08b-libreoffice-supply-chain.csv',
  '09-key-measure-beside-id.xlsx',
  '10-question-beside-wordy-guidance.xlsx',
  '11-sideways-playbook.xlsx',
];

/** The keys in the preview's questions table, in order (the page shows them exactly as they will be saved). */
function previewKeys(html: string): string[] {
  const start = html.indexOf('id="preview-questions"');
  if (start === -1) throw new Error('No questions table on the page');
  const table = html.slice(start, html.indexOf('<h3', start + 1));
  return [...table.matchAll(/<th scope="row" data-label="Key" class="wb-key">([^<]*)/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('the acceptance corpus through the import page', () => {
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

  async function savedSections(rfpId: string): Promise<Array<[string, string[][]]>> {
    const handle = openDatabase(server.databaseUrl);
    try {
      return (await getQuestionnaire(handle.db, rfpId)).map((s) => [s.title, s.criteria.flatMap((c) => c.questions.map((q) => [q.key, q.answer_type]))]);
    } finally {
      await handle.close();
    }
  }

  FILES.forEach((fileName, index) => {
    it(`${fileName}: confirmed as first proposed, it is saved with the sections, keys and answer types the page and the service previewed`, async () => {
      const bytes = new Uint8Array(readFileSync(join(corpus, fileName)));
      const { grid } = await parseUpload(bytes, fileName);
      const expected = await previewGrid(grid, fileName, planOf(inspectGrid(grid, fileName).proposed), []);
      const expectedSections = expected.sections.map((s) => [s.title, s.questions.map((q) => [q.key, q.answerType])]);

      const created = await officer.post('/rfps/new', { reference: `RFP-CORPUS-${index + 1}`, title: fileName, department: 'IT', summary: 'Corpus import.' });
      const rfpPath = created.headers.get('location')!;
      const form = new FormData();
      form.set('file', new File([bytes], fileName));
      const uploaded = await officer.request(`${rfpPath}/questionnaire/import`, { method: 'POST', body: form, headers: { origin: officer.baseUrl } });
      expect(uploaded.status, await uploaded.clone().text()).toBe(302);
      const html = await (await officer.get(uploaded.headers.get('location')!)).text();
      expect(previewKeys(html)).toEqual(expected.sections.flatMap((s) => s.questions.map((q) => q.key)));

      const confirmed = await officer.post(`${rfpPath}/questionnaire/import`, Object.fromEntries(formFields(html, 'import-confirm')));
      expect(confirmed.status, await confirmed.clone().text()).toBe(302);
      expect(await savedSections(rfpPath.split('/').pop()!)).toEqual(expectedSections);
    });
  });
});
