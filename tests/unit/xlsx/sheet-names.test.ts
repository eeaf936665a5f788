import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordsStamp, MAX_SHEET_NAME_LENGTH, sectionSheetNames } from '#app/xlsx/vendor-workbook-layout';

describe('sectionSheetNames', () => {
  it('removes the characters Excel forbids and collapses the spaces they leave', () => {
    expect(sectionSheetNames(['Security: data/privacy [AI] * what? \\ why'])).toEqual(['Security data privacy AI what']);
    expect(sectionSheetNames(['Price'])).toEqual(['Price']);
  });

  it('cuts to 31 characters, on a word boundary when that keeps most of the name', () => {
    const [name] = sectionSheetNames(['Responsible AI: governance / oversight [NIST AI RMF] & testing*']);
    expect(name).toBe('Responsible AI governance');
    const [long] = sectionSheetNames(['Supercalifragilisticexpialidocious-and-more-words']);
    expect(long).toHaveLength(31);
  });

  it('never starts or ends with an apostrophe, and names empty titles by position', () => {
    expect(sectionSheetNames(["'Quoted'", '  ', '***', "Vendor's"])).toEqual(['Quoted', 'Section 2', 'Section 3', "Vendor's"]);
  });

  it('makes names unique case-insensitively, also against the workbook’s own sheets, within 31 characters', () => {
    expect(sectionSheetNames(['Price', 'PRICE', 'price'])).toEqual(['Price', 'PRICE (2)', 'price (3)']);
    expect(sectionSheetNames(['Instructions', 'lists', '_meta', 'History'])).toEqual(['Instructions (2)', 'lists (2)', '_meta (2)', 'History (2)']);
    const title = 'A section title that is far too long for a sheet';
    const names = sectionSheetNames([title, title]);
    expect(names[0]).not.toBe(names[1]);
    expect(names.every((n) => n.length <= 31)).toBe(true);
    expect(names[1]).toMatch(/ \(2\)$/);
  });

  it('does not split a surrogate pair at the cut', () => {
    const [name] = sectionSheetNames([`${'x'.repeat(30)}😀 more`]);
    expect(name).toBe('x'.repeat(30));
  });

  it('always gives valid, unique names (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 12 }), (titles) => {
        const names = sectionSheetNames(titles);
        expect(names).toHaveLength(titles.length);
        const lower = names.map((n) => n.toLowerCase());
        expect(new Set(lower).size).toBe(names.length);
        for (const name of names) {
          expect(name.length).toBeGreaterThan(0);
          expect(name.length).toBeLessThanOrEqual(MAX_SHEET_NAME_LENGTH);
          expect(name).not.toMatch(/[[\]:*?/\\]/);
          // eslint-disable-next-line no-control-regex
          expect(name).not.toMatch(/[\u0000-\u001f]/);
          expect(name).not.toMatch(/^'|'$/);
          expect(['instructions', 'lists', '_meta', 'history']).not.toContain(name.toLowerCase());
        }
      }),
    );
  });
});

describe('keywordsStamp', () => {
  it('is space-separated and URI-encodes the reference', () => {
    expect(keywordsStamp('RFP 2026/9', 3)).toBe('workbench-vendor-workbook-v1 rfp=RFP%202026%2F9 questionnaire-version=3');
  });
});
