/**
 * The vendor's price is one value, more than 0, on every path that can type it (issue 12, item 7): the answer form,
 * the vendor-workbook import preview and the portable RFP file. Each refuses a price of 0 or less with its own message.
 */
import { describe, expect, it } from 'vitest';
import { answerFromForm } from '#app/responses/answer-input';
import { type ComparedQuestionnaire, compareVendorAnswers, type ParsedVendorWorkbook } from '#app/xlsx/vendor-response-import.server';
import { describePortableError, type PortableRfpFile, portableRfpFileSchema } from '#db/portable/schema';

describe('the answer form', () => {
  const price = { key: 'PRC-01', answer_type: 'number' as const, options: [], isPrice: true };
  it('refuses a price of 0 or less, saying which question and what was typed', () => {
    expect(answerFromForm(price, ['-5'])).toEqual({ error: 'PRC-01: the price must be more than 0 (you entered -5).' });
    expect(answerFromForm(price, ['0'])).toEqual({ error: 'PRC-01: the price must be more than 0 (you entered 0).' });
    expect(answerFromForm(price, ['$1,240,000.50'])).toEqual({ value: 1240000.5 });
    expect(answerFromForm(price, [''])).toEqual({ value: null });
  });
  it('still takes 0 and negative numbers for other number questions', () => {
    expect(answerFromForm({ ...price, key: 'OPS-02', isPrice: false }, ['-5'])).toEqual({ value: -5 });
  });
});

describe('the vendor-workbook import preview', () => {
  const questionnaire: ComparedQuestionnaire = {
    rfpId: 'rfp-1',
    reference: 'RFP-1',
    questionnaireVersion: 1,
    questions: [
      { id: 'q-price', key: 'PRC-01', text: 'Total price', answerType: 'number', options: [], required: true, isPrice: true },
      { id: 'q-staff', key: 'OPS-02', text: 'Change in staff', answerType: 'number', options: [], required: false },
    ],
  };
  const workbook = (priceCell: string | number, staff: number): ParsedVendorWorkbook => ({
    reference: 'RFP-1',
    questionnaireVersion: 1,
    vendorName: 'Acme',
    keyColumnFound: true,
    stampSource: 'properties',
    signed: null,
    rows: [
      { sheet: 'Price', row: 2, key: 'PRC-01', raw: priceCell },
      { sheet: 'Price', row: 3, key: 'OPS-02', raw: staff },
    ],
    warnings: [],
  });
  const context = { vendor: { id: 'v', key: 'acme', name: 'Acme' }, secret: 'unit-test-secret-unit-test-secret' };

  it('flags a price of 0 or less on its row and refuses to import the workbook', () => {
    for (const bad of [-5, 0, '-$1,200', '(1,200.00)']) {
      const preview = compareVendorAnswers(workbook(bad, -2), questionnaire, {}, context);
      const row = preview.rows.find((r) => r.key === 'PRC-01')!;
      expect(row.outcome, String(bad)).toBe('invalid_price');
      expect(row.message).toMatch(/^The price must be more than 0 \(the workbook says -?[\d.]+\)/);
      expect(preview.canApply).toBe(false);
      expect(preview.counts.invalid_price).toBe(1);
      // Another number question may be negative.
      expect(preview.rows.find((r) => r.key === 'OPS-02')!.outcome).toBe('new');
    }
    expect(compareVendorAnswers(workbook('1,240,000', 1), questionnaire, {}, context).canApply).toBe(true);
  });
});

describe('the portable RFP file', () => {
  function file(price: number | null, answer: number | string | null): PortableRfpFile {
    return {
      format: 'ai-vendor-workbench/rfp',
      version: 1,
      rfp: { reference: 'RFP-1', title: 'T', department: 'D', status: 'open', settings: { scaleMax: 5, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula: 'ratio' }, riskTier: null },
      sections: [
        {
          key: 'cost',
          title: 'Cost',
          criteria: [{ key: 'PRC', title: 'Price', kind: 'price', points: 20, rubric: [], questions: [{ key: 'PRC-01', text: 'Total price', answerType: 'number', options: [], required: true, references: [] }] }],
        },
      ],
      vendors: [{ key: 'acme', name: 'Acme AI' }],
      submissions: [{ vendor: 'acme', status: 'received', price, answers: answer === null ? {} : { 'PRC-01': answer } }],
      evaluators: [],
      scores: [],
      consensus: [],
      results: { final: false, ranking: [] },
      audit: [],
    };
  }
  const problem = (f: unknown) => {
    const parsed = portableRfpFileSchema.safeParse(f);
    return parsed.success ? null : describePortableError(parsed.error);
  };

  it('refuses a price of 0 or less', () => {
    expect(problem(file(-5, null))).toMatch(/submissions\[0\]\.price.*more than 0/);
    expect(problem(file(0, null))).toMatch(/more than 0/);
    expect(problem(file(415000, 415000))).toBeNull();
    expect(problem(file(null, null))).toBeNull();
  });

  it('refuses a file whose price and answer to the price question differ, or whose answer is not a price', () => {
    expect(problem(file(415000, 400000))).toMatch(/price.*is 415000, but the answer to the price question PRC-01 is 400000: they are one value/);
    expect(problem(file(null, 400000))).toMatch(/is null, but the answer to the price question PRC-01 is 400000/);
    expect(problem(file(null, -3))).toMatch(/PRC-01.*must be a number more than 0/);
    expect(problem(file(null, 'about a million'))).toMatch(/must be a number more than 0/);
  });
});
