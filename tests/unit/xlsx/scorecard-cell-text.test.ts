import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, csvText, FORMULA_TRIGGERS, guardFormulaTrigger, MAX_CELL_CHARS, startsWithFormulaTrigger, writeText } from '#app/xlsx/cell-text';
import { csvField } from '#app/xlsx/matrix-csv.server';
import { loadInjectionPayloads, longText, NUL_PAYLOAD } from '#fixtures/injection/payloads';

// eslint-disable-next-line no-control-regex
const TRIGGER_START = /^[=+\-@\t\r\n\u0000\uff1d\uff0b\uff0d\uff20]/;

describe('cellText: the one text writer of the scorecard', () => {
  it('puts an apostrophe in front of every text that starts with a formula trigger, full-width ones included', () => {
    for (const trigger of FORMULA_TRIGGERS) {
      const out = cellText(`${trigger}1+1`);
      expect(out.startsWith("'"), JSON.stringify(trigger)).toBe(true);
    }
    expect(cellText('=cmd|\' /C calc\'!A0')).toBe("'=cmd|' /C calc'!A0");
    expect(cellText('@SUM(1+1)*cmd|\' /C calc\'!A0')).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
    expect(cellText('=HYPERLINK("http://evil.example","x")')).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(cellText('＝1+1')).toBe("'＝1+1");
    expect(cellText('－2')).toBe("'－2");
  });

  it('leaves ordinary text alone, including a trigger character later in the text', () => {
    for (const text of ['Civic Answers Inc.', 'Score 4 = strong', 'a-b', 'https://example.test', "'=already quoted", '3 + 4', 'Ünïcode ✓ 😀']) {
      expect(cellText(text)).toBe(text);
    }
  });

  it('treats a leading NUL or CR as a trigger even though cleaning removes or changes it', () => {
    expect(cellText(NUL_PAYLOAD.text)).toBe("'=1+1");
    expect(cellText('\u0000hello')).toBe("'hello");
    expect(cellText('\r\n=1+1')).toBe("'\n=1+1");
    expect(cellText('\u0001=1+1')).toBe("'=1+1");
  });

  it('drops characters XML cannot carry, normalises line breaks and repairs lone surrogates', () => {
    expect(cellText('a\u0000b\u0008c\u000bd\u001fe\uffff')).toBe('abcde');
    expect(cellText('line 1\r\nline 2\rline 3')).toBe('line 1\nline 2\nline 3');
    expect(cellText('x\ud800y')).toBe('x\ufffdy');
    expect(cellText('x\udc00y')).toBe('x\ufffdy');
    expect(cellText('tab\tinside')).toBe('tab\tinside');
  });

  it('cuts a text over 32,767 characters with a visible marker, never splitting a surrogate pair', () => {
    const text = longText(40_000);
    const out = cellText(text);
    expect(out.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    expect(out).toMatch(/ … \[truncated: 40,000 characters, see the app\]$/);
    expect(out.startsWith(text.slice(0, 1000))).toBe(true);
    const emoji = '😀'.repeat(20_000);
    const cut = cellText(emoji);
    expect(cut.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    expect(cut.replace(/ … \[truncated.*$/, '')).not.toMatch(/[\ud800-\udbff]$/);
    expect(cellText(`=${'x'.repeat(MAX_CELL_CHARS)}`).length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    expect(cellText('y'.repeat(MAX_CELL_CHARS))).toBe('y'.repeat(MAX_CELL_CHARS));
  });

  it('never returns a text that starts with a trigger, or that is too long, whatever the input (property)', () => {
    const alphabet = fc.constantFrom(...FORMULA_TRIGGERS, 'a', ' ', '\u0001', '\ud800', '😀', "'", '"');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (text) => {
        const out = cellText(text);
        expect(TRIGGER_START.test(out)).toBe(false);
        expect(out.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
        expect(startsWithFormulaTrigger(out)).toBe(false);
      }),
    );
  });

  it('guards every payload of the corpus', () => {
    for (const { name, text } of [...loadInjectionPayloads(), NUL_PAYLOAD]) {
      const out = cellText(text);
      expect(TRIGGER_START.test(out), name).toBe(false);
      if (TRIGGER_START.test(text)) expect(out.startsWith("'"), name).toBe(true);
      expect(guardFormulaTrigger(text).startsWith("'") || !TRIGGER_START.test(text), name).toBe(true);
    }
  });

  it('writes a plain string value into a cell, never a formula or a hyperlink', () => {
    const sheet = new ExcelJS.Workbook().addWorksheet('t');
    const cell = sheet.getCell('A1');
    writeText(cell, '=HYPERLINK("http://evil.example","x")');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(cell.formula).toBeUndefined();
    expect(cell.hyperlink).toBeUndefined();
    writeText(cell, 'https://example.test');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    writeText(cell, null);
    expect(cell.value).toBeNull();
  });
});

// What a spreadsheet may take as the start of a cell when it opens a CSV with its own separator, worst case: it splits
// on that separator and on every line break whatever the quotes, then trims spaces and a leading double quote.
function cellsAsRead(csv: string, separator: ',' | ';' | '\t'): string[] {
  return csv.split(/\r\n|\r|\n/).flatMap((line) => line.split(separator)).map((cell) => cell.replace(/^[\s"]+/, ''));
}
const FORMULA_START = /^[=+\-@\uff1d\uff0b\uff0d\uff20]/;
const SEPARATORS = [',', ';', '\t'] as const;

describe('csvText: CSV fields that stay text whatever separator the reader splits on', () => {
  it('guards a formula after a semicolon, a tab, a comma or a line break, with spaces or quotes in between', () => {
    expect(csvText('Scope;=1+1')).toBe("Scope;'=1+1");
    expect(csvText('Scope\t=1+1')).toBe("Scope\t'=1+1");
    expect(csvText('Scope, =1+1')).toBe("Scope, '=1+1");
    expect(csvText('Summary\n- fast\r\n+ cheap')).toBe("Summary\n'- fast\r\n'+ cheap");
    expect(csvText('a;"=1+1"')).toBe('a;"\'=1+1"');
    expect(csvText('a;   @SUM(1)')).toBe("a;   '@SUM(1)");
    expect(csvText(' =1+1')).toBe(" '=1+1");
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvField('Scope;=1+1')).toBe("Scope;'=1+1");
  });

  it('leaves text alone when no cell could start with a formula character', () => {
    for (const text of ['Scope; limited', 'a-b;c+d', 'Score 4 = strong', 'x,y', 'line 1\nline 2', "'=already quoted", 'https://example.test']) {
      expect(csvText(text)).toBe(text);
    }
  });

  it('gives no reader a cell that starts with a formula character, for every payload after every separator (corpus)', () => {
    for (const { name, text } of [...loadInjectionPayloads(), NUL_PAYLOAD]) {
      for (const joiner of ['', ',', ';', '\t', '\n', '; ', ';"', ', "']) {
        const field = csvField(`Scope${joiner}${text}`);
        for (const separator of SEPARATORS) {
          for (const cell of cellsAsRead(field, separator)) expect(FORMULA_START.test(cell), `${name} after ${JSON.stringify(joiner)} read with ${JSON.stringify(separator)}: ${JSON.stringify(cell)}`).toBe(false);
        }
      }
    }
  });

  it('gives no reader a cell that starts with a formula character, whatever the text (property)', () => {
    const alphabet = fc.constantFrom(...FORMULA_TRIGGERS, ',', ';', '"', ' ', '\u00a0', "'", 'a', '1');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')), (text) => {
        const field = csvField(text);
        for (const separator of SEPARATORS) for (const cell of cellsAsRead(field, separator)) expect(FORMULA_START.test(cell)).toBe(false);
      }),
    );
  });
});
