import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS, inflateEntry, readZipDirectory } from '#app/import/upload-guard.server';
import { answerTypeText, buildVendorWorkbook, plain, type VendorWorkbookInput, wrappedLines } from '#app/xlsx/vendor-workbook.server';

const TRICKY = ['=1+1', '=HYPERLINK("http://example.test","click")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A2)', '\tTabbed', '\rCarriage'];

function input(): VendorWorkbookInput {
  return {
    rfp: { reference: '=RFP-1', title: '+Title & more', department: '@Dept', questionnaireVersion: 1, proposalsDueAt: '2026-03-16' },
    sections: [
      {
        key: 's',
        title: '=Section',
        criteria: [
          {
            key: 'c',
            title: '-Criterion',
            kind: 'scored',
            questions: TRICKY.map((text, i) => ({ key: `Q-${i}`, text, guidance: text, answerType: 'text' as const, options: [], required: false })),
          },
        ],
      },
    ],
    vendorName: '=Vendor',
    answers: Object.fromEntries(TRICKY.map((text, i) => [`Q-${i}`, text])),
  };
}

/** The XML of one part of the workbook, read with the upload guard's own ZIP reader. */
function part(bytes: Uint8Array, name: string): string {
  const entry = readZipDirectory(bytes, 'test.xlsx', DEFAULT_UPLOAD_LIMITS).find((e) => e.name === name);
  if (!entry) throw new Error(`no part ${name}`);
  return new TextDecoder().decode(inflateEntry(bytes, entry, 'test.xlsx'));
}

describe('user text in the exported workbook', () => {
  it('is written as shared strings, never as formulas, and reads back exactly', async () => {
    const bytes = new Uint8Array(await buildVendorWorkbook(input()));
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
      const xml = part(bytes, name);
      expect(xml).not.toMatch(/<f[ >]/);
      // Every cell with a value is a shared string (t="s") or a plain number (no t).
      for (const cell of xml.matchAll(/<c [^>]*>/g)) expect(cell[0]).not.toMatch(/t="(str|inlineStr|e)"/);
    }
    const shared = part(bytes, 'xl/sharedStrings.xml');
    expect(shared).toContain('=HYPERLINK(&quot;http://example.test&quot;,&quot;click&quot;)');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.slice().buffer);
    const sheet = workbook.getWorksheet('=Section')!;
    TRICKY.forEach((text, i) => {
      const expected = plain(text);
      for (const column of [3, 4, 7]) {
        const cell = sheet.getCell(i + 2, column);
        expect(cell.type, `${cell.address}`).toBe(ExcelJS.ValueType.String);
        expect(cell.value).toBe(expected);
        expect(cell.formula).toBeUndefined();
      }
    });
    // Carriage returns become line feeds; the leading character is otherwise kept as it was.
    expect(plain('\rCarriage')).toBe('\nCarriage');
    expect(plain('\tTabbed')).toBe('\tTabbed');
    const instructions = workbook.getWorksheet('Instructions')!;
    const texts: unknown[] = [];
    instructions.eachRow((row) => row.eachCell((cell) => texts.push(cell.value)));
    expect(texts).toEqual(expect.arrayContaining(['=RFP-1', '+Title & more', '@Dept', '=Vendor']));
  });

  it('puts text-like answer cells in Text format so what a vendor types there stays text', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await buildVendorWorkbook(input())).buffer);
    expect(workbook.getWorksheet('=Section')!.getCell('G2').numFmt).toBe('@');
  });
});

describe('plain', () => {
  it('drops characters XML cannot hold and caps the length at Excel’s cell limit', () => {
    expect(plain('a\u0000b\u0007c\u000bd\ne')).toBe('abcd\ne');
    expect(plain('x'.repeat(40_000))).toHaveLength(32_767);
  });
});

describe('answerTypeText', () => {
  it('tells the vendor how to answer, listing the options', () => {
    expect(answerTypeText({ answerType: 'yes_no', options: [{ label: 'Yes' }, { label: 'No' }] })).toBe('Yes / No (pick from the list)');
    expect(answerTypeText({ answerType: 'multi_choice', options: [{ label: 'A' }, { label: 'B' }] })).toBe('One or more of the following; separate choices with ; \n• A\n• B');
    expect(answerTypeText({ answerType: 'attachment', options: [] })).toBe('Attachment: type the name of the attached file');
  });
});

describe('wrappedLines', () => {
  it('estimates the lines of wrapped text, generously', () => {
    expect(wrappedLines('short', 40)).toBe(1);
    expect(wrappedLines('one\ntwo\n\nfour', 40)).toBe(4);
    expect(wrappedLines('word '.repeat(40).trim(), 20)).toBeGreaterThanOrEqual(8);
    expect(wrappedLines('x'.repeat(100), 10)).toBeGreaterThanOrEqual(8);
  });
});
