import { describe, expect, it } from 'vitest';
import { isValidKey, normaliseKey } from '#app/import/keys';
import { buildImportPreview } from '#app/import/preview.server';
import { keyField } from '#app/rfp/questionnaire-forms';
import { previewOne, questionsOf, rowsOf, sheetOf, workbook } from './preview-grid';

/** Issue 11, item 4: official keys arrive exactly as written, and the preview says what happens to keys already in the RFP. */

const OFFICIAL = ['A&A-01.1', 'GOVERN 1.1', 'AC-2(1)', 'ISO/IEC 42001 A.7', 'CC6.1: Logical access', 'q_7.b', '1.2.3'];
const BROKEN = ['Q#1', '-A1', '(a)', 'a;b', 'Key “quoted”', 'x'.repeat(41), 'Ünïcode-1'];

const sheet = (...rows: Array<[string, string]>) => sheetOf('Q', rowsOf(['Key', 'Question'], ...rows));
const KQ = { headerRow: 1, columns: { key: 1, question: 2 } };

describe('the key rule', () => {
  it('keeps official identifiers verbatim, trimming and collapsing inner whitespace only', () => {
    const preview = previewOne(sheet(...OFFICIAL.map((k, i): [string, string] => [k, `Question ${i}?`]), ['  GOVERN \n  1.2 ', 'Spaced?']), KQ);
    expect(questionsOf(preview).map((q) => q.key)).toEqual([...OFFICIAL, 'GOVERN 1.2']);
    expect(preview.skipped).toEqual([]);
    expect(preview.warnings).toEqual([]);
  });

  it('skips a row whose key breaks the rule, with the reason, and never rewrites or replaces the key', () => {
    const preview = previewOne(sheet(...BROKEN.map((k, i): [string, string] => [k, `Question ${i}?`]), ['OK-1', 'Fine?']), KQ);
    expect(questionsOf(preview).map((q) => q.key)).toEqual(['OK-1']);
    expect(preview.skipped.map((s) => s.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(preview.skipped[0]!.reason).toBe(
      'key “Q#1” has characters a key cannot have: keys use letters, digits, spaces and . - _ & ( ) / : — starting with a letter or digit, at most 40 characters (change it in the spreadsheet, or unmap the key column to generate keys)',
    );
    expect(preview.skipped[5]!.reason).toMatch(/^key “x{41}” is longer than 40 characters/);
    expect(preview.rows.filter((r) => r.fate === 'skipped')).toHaveLength(BROKEN.length);
    expect(preview.warnings[0]).toMatch(/^7 row\(s\) were skipped because their key breaks the key rule/);
  });

  it('is the builder’s rule too: the question form accepts and refuses exactly the keys the import keeps and skips', () => {
    for (const raw of [...OFFICIAL, ...BROKEN, '  GOVERN \t 1.3 ']) {
      const form = keyField('Key').safeParse(raw);
      const imported = questionsOf(previewOne(sheet([raw, 'Q?']), KQ)).map((q) => q.key);
      expect({ raw, form: form.success ? form.data : null }).toEqual({ raw, form: imported[0] ?? null });
      expect(form.success).toBe(isValidKey(normaliseKey(raw)));
    }
    expect(keyField('Key').safeParse('Q#1').error?.issues[0]?.message).toBe(
      'Key may use letters, digits, spaces and . - _ & ( ) / : — starting with a letter or digit, at most 40 characters.',
    );
  });
});

describe('keys already used', () => {
  it('skips a later row with a key used earlier in the file (case-insensitive)', () => {
    const preview = previewOne(sheet(['A&A-01.1', 'First?'], ['a&a-01.1', 'Second?']), KQ);
    expect(questionsOf(preview).map((q) => q.text)).toEqual(['First?']);
    expect(preview.skipped).toEqual([{ sheet: 'Q', row: 3, reason: 'duplicate key a&a-01.1 (first used on row 2)' }]);
  });

  it('generates keys that neither the file nor the RFP already uses', () => {
    const preview = previewOne(sheet(['', 'One?'], ['IMP-002', 'Two?'], ['', 'Three?']), KQ, {}, [{ id: 'q1', key: 'imp-001', text: 'Old' }]);
    expect(questionsOf(preview).map((q) => q.key)).toEqual(['IMP-003', 'IMP-002', 'IMP-004']);
    expect(preview.rows.map((r) => r.key)).toEqual(['IMP-003', 'IMP-002', 'IMP-004']);
  });

  const existing = [
    { id: 'q-aa', key: 'a&a-01.1', text: 'Is access reviewed?' },
    { id: 'q-gov', key: 'GOVERN 1.1', text: 'Are legal requirements understood?' },
    { id: 'q-gov2', key: 'GOVERN 1.1-2', text: 'Taken suffix' },
  ];
  const file = sheet(['A&A-01.1', 'Is access reviewed quarterly?'], ['GOVERN 1.1', 'Are legal requirements understood and managed?'], ['NEW-1', 'New?'], ['A&A-01.1-2', 'A key like a suffix?']);

  it('by default skips rows whose key is in the RFP, listing the collisions before confirming', () => {
    const preview = previewOne(file, KQ, {}, existing);
    expect(questionsOf(preview).map((q) => [q.key, q.action])).toEqual([
      ['NEW-1', 'add'],
      ['A&A-01.1-2', 'add'],
    ]);
    expect(preview.collisions).toEqual([
      { sheet: 'Q', row: 2, key: 'A&A-01.1', existingId: 'q-aa', existingText: 'Is access reviewed?', outcome: 'skipped' },
      { sheet: 'Q', row: 3, key: 'GOVERN 1.1', existingId: 'q-gov', existingText: 'Are legal requirements understood?', outcome: 'skipped' },
    ]);
    expect(preview.rows[0]).toMatchObject({ fate: 'skipped', reason: expect.stringMatching(/^key A&A-01\.1 is already in this RFP \(“Is access reviewed\?”\)/) });
    expect(preview.warnings).toContain('2 key(s) of the file are already in this RFP (A&A-01.1, GOVERN 1.1): those rows are skipped.');
  });

  it('updates those questions when asked, keeping their keys as the RFP spells them', () => {
    const preview = previewOne(file, KQ, { onCollision: 'update' }, existing);
    expect(questionsOf(preview).map((q) => [q.key, q.action, q.existingId])).toEqual([
      ['a&a-01.1', 'update', 'q-aa'],
      ['GOVERN 1.1', 'update', 'q-gov'],
      ['NEW-1', 'add', undefined],
      ['A&A-01.1-2', 'add', undefined],
    ]);
    expect(preview.collisions.map((c) => c.outcome)).toEqual(['updated', 'updated']);
  });

  it('adds them with new keys when asked: the first free -2, -3 … that neither the file nor the RFP uses, shown as saved', () => {
    const preview = previewOne(file, KQ, { onCollision: 'new_keys' }, existing);
    expect(questionsOf(preview).map((q) => [q.key, q.action])).toEqual([
      ['A&A-01.1-3', 'add'],
      ['GOVERN 1.1-3', 'add'],
      ['NEW-1', 'add'],
      ['A&A-01.1-2', 'add'],
    ]);
    expect(preview.collisions.map((c) => [c.key, c.outcome, c.newKey])).toEqual([
      ['A&A-01.1', 'renamed', 'A&A-01.1-3'],
      ['GOVERN 1.1', 'renamed', 'GOVERN 1.1-3'],
    ]);
    expect(preview.rows.map((r) => r.key)).toEqual(['A&A-01.1-3', 'GOVERN 1.1-3', 'NEW-1', 'A&A-01.1-2']);
  });

  it('keeps a new key within 40 characters', () => {
    const long = 'K'.repeat(40);
    const preview = previewOne(sheet([long, 'Long?']), KQ, { onCollision: 'new_keys' }, [{ id: 'q', key: long, text: 'Old' }]);
    expect(questionsOf(preview)[0]!.key).toBe(`${'K'.repeat(38)}-2`);
  });

  it('checks keys across every sheet of the import', () => {
    const a = sheetOf('A', rowsOf(['Key', 'Question'], ['', 'Generated?'], ['X-1', 'First?']));
    const b = sheetOf('B', rowsOf(['Key', 'Question'], ['IMP-001', 'Taken here?'], ['x-1', 'Again?']));
    const preview = buildImportPreview(workbook(a, b), { sheets: [{ sheet: 'A', ...KQ }, { sheet: 'B', ...KQ }] }, []);
    expect(questionsOf(preview).map((q) => q.key)).toEqual(['IMP-002', 'X-1', 'IMP-001']);
    expect(preview.skipped).toEqual([{ sheet: 'B', row: 3, reason: 'duplicate key x-1 (first used on “A” row 3)' }]);
  });
});
