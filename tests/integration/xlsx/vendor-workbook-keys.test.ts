import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { compareVendorAnswers, parseVendorWorkbook } from '#app/xlsx/vendor-response-import.server';
import { buildVendorWorkbook, type VendorWorkbookInput } from '#app/xlsx/vendor-workbook.server';
import { comparedQuestionnaire, loadSampleQuestionnaire, SAMPLE_RFP_ID } from '#fixtures/vendor-workbooks/sample';

// Issue 11: imported questionnaires keep official keys verbatim ("A&A-01.1", "GOVERN 1.1"), and the vendor workbook
// matches answers by key, so such keys must survive the export, a vendor's filling and the import of the answers.

const OFFICIAL: Record<string, string> = { 'KO-01': 'A&A-01.1', 'RAI-01': 'GOVERN 1.1', 'PRC-03': 'AC-2(1) / ISO: A.7' };
const ANSWERS: Record<string, string> = { 'A&A-01.1': 'Yes', 'GOVERN 1.1': 'A board committee approves every model release.', 'AC-2(1) / ISO: A.7': 'Quarterly reviews.' };

function withOfficialKeys(input: VendorWorkbookInput): VendorWorkbookInput {
  return {
    ...input,
    sections: input.sections.map((s) => ({
      ...s,
      criteria: s.criteria.map((c) => ({ ...c, questions: c.questions.map((q) => ({ ...q, key: OFFICIAL[q.key] ?? q.key })) })),
    })),
  };
}

describe('official keys in the vendor workbook', () => {
  it('round-trip: answers written against keys with &, spaces, parentheses, / and : come back to their questions', async () => {
    const input = withOfficialKeys(loadSampleQuestionnaire());
    const vendor = { id: 'vendor-acme', key: 'acme', name: 'Acme AI, Inc.' };
    const secret = 'official-keys-test-secret-official-keys';
    const bytes = await buildVendorWorkbook(input, { secret, rfpId: SAMPLE_RFP_ID, vendor });

    // The vendor fills the Answer column of the rows whose hidden key is one of ours.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    let filled = 0;
    for (const sheet of workbook.worksheets) {
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
      const keyColumn = header.indexOf('Key');
      const answerColumn = header.indexOf('Answer');
      if (keyColumn < 1 || answerColumn < 1) continue;
      sheet.eachRow((row, n) => {
        const answer = n > 1 ? ANSWERS[String(row.getCell(keyColumn).value ?? '')] : undefined;
        if (answer === undefined) return;
        row.getCell(answerColumn).value = answer;
        filled++;
      });
    }
    expect(filled).toBe(3);
    const returned = new Uint8Array(await workbook.xlsx.writeBuffer());

    const parsed = await parseVendorWorkbook(returned, 'acme answers.xlsx');
    const preview = compareVendorAnswers(parsed, comparedQuestionnaire(input), {}, { vendor, secret });
    const byKey = Object.fromEntries(preview.rows.map((r) => [r.key, { outcome: r.outcome, questionId: r.questionId, value: r.value }]));
    expect(byKey['A&A-01.1']).toEqual({ outcome: 'new', questionId: 'q-A&A-01.1', value: 'Yes' });
    expect(byKey['GOVERN 1.1']).toEqual({ outcome: 'new', questionId: 'q-GOVERN 1.1', value: ANSWERS['GOVERN 1.1'] });
    expect(byKey['AC-2(1) / ISO: A.7']).toEqual({ outcome: 'new', questionId: 'q-AC-2(1) / ISO: A.7', value: ANSWERS['AC-2(1) / ISO: A.7'] });
    expect(preview.rows.some((r) => r.outcome === 'unknown_key' || r.outcome === 'duplicate_key')).toBe(false);
  });
});
