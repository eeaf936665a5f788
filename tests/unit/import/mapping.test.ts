import { describe, expect, it } from 'vitest';
import type { GridRow, SheetGrid } from '#app/import/import-types.server';
import { classifyHeader, detectHeaderRow, looksLikeKey, proposeForRows, proposeForSheet, proposeForWorkbook, transposeRows } from '#app/import/mapping.server';

const grid = (...rows: Array<Array<string | null> | null>): GridRow[] =>
  rows.flatMap((cells, i) => (cells ? [{ row: i + 1, cells: cells.map((c) => c ?? '') }] : []));

function sheet(name: string, rows: GridRow[], hidden = false): SheetGrid {
  return {
    name,
    rows,
    hidden,
    complete: true,
    validations: [],
    rowCount: rows.length === 0 ? 0 : rows[rows.length - 1]!.row,
    columnCount: Math.max(0, ...rows.map((r) => r.cells.length)),
  };
}

describe('classifyHeader', () => {
  it.each([
    ['Ref #', 'key'],
    ['ID', 'key'],
    ['Question ID', 'key'],
    ['Control ID', 'key'],
    ['No.', 'key'],
    ['Section', 'section'],
    ['Category', 'section'],
    ['Domain', 'section'],
    ['Section title', 'section'],
    ['Question', 'question'],
    ['Question text', 'question'],
    ['Requirement', 'question'],
    ['Control description', 'question'],
    ['Guidance for vendors', 'guidance'],
    ['Instructions', 'guidance'],
    ['Notes', 'guidance'],
    ['Answer type', 'answerType'],
    ['Response type', 'answerType'],
    ['Question type', 'answerType'],
    ['Format', 'answerType'],
    ['Options', 'options'],
    ['Response options', 'options'],
    ['Allowed values', 'options'],
    ['Choices', 'options'],
    ['Required', 'required'],
    ['Mandatory?', 'required'],
    ['References', 'references'],
    ['Framework mapping', 'references'],
    ['Standard', 'references'],
    ['Mapped to', 'references'],
  ] as const)('reads %j as %s', (text, field) => {
    expect(classifyHeader(text)).toBe(field);
  });

  it.each(['', 'Vendor response', 'Yes/No', 'No', 'Text', '2026', 'x', 'Describe how your organisation governs the AI system in production, in detail.'])(
    'does not read %j as a header',
    (text) => {
      expect(classifyHeader(text)).toBeNull();
    },
  );
});

describe('detectHeaderRow', () => {
  it('finds a header below title rows and scores a header over data rows that contain header-like words', () => {
    const rows = grid(
      ['City of Example — AI questionnaire'],
      ['Issued', '2026-01-15'],
      null,
      ['Ref #', 'Question', 'Guidance', 'Response type', 'Mandatory?'],
      ['Q-1', 'Describe the governance of the system, who approves changes and how often it is reviewed.', '', 'Text', 'Required'],
    );
    const found = detectHeaderRow(rows);
    expect(found?.row).toBe(4);
    expect(found?.columns).toEqual({ key: 1, question: 2, guidance: 3, answerType: 4, required: 5 });
  });

  it('gives up when no row names two fields', () => {
    expect(detectHeaderRow(grid(['Some title'], ['a', 'b', 'c']))).toBeNull();
  });

  it('looks only at the first 30 rows', () => {
    const rows: GridRow[] = [{ row: 31, cells: ['ID', 'Question', 'Type'] }];
    expect(detectHeaderRow(rows)).toBeNull();
  });
});

describe('looksLikeKey', () => {
  it.each(['RAI-07', '1.2', '12', 'GOVERN 1.1', 'A.7.2', 'AC-1(3)'])('accepts %j', (v) => expect(looksLikeKey(v)).toBe(true));
  it.each(['', 'Access control', 'Describe the system 1', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-1'])('rejects %j', (v) => expect(looksLikeKey(v)).toBe(false));
});

describe('proposeForRows', () => {
  it('re-reads a "Ref" column of long text as references', () => {
    const long = 'Smith, "A long citation to a publication about measurement", Journal of Examples (2021).';
    const proposal = proposeForRows('S', grid(['Item', 'Question', 'Ref'], ['1', 'Is it tested?', long], ['2', 'Is it monitored?', long]), 'rows');
    expect(proposal.mapping.columns.references).toBe(3);
    expect(proposal.mapping.columns.key).toBe(1);
  });

  it('drops a short-valued field whose column holds paragraphs', () => {
    const para = 'A long paragraph of explanatory text that is clearly not a section title, because it goes on and on for well over a hundred and twenty characters.';
    const proposal = proposeForRows('S', grid(['Key', 'Question', 'Section notes x'], ['A-1', 'Is it tested?', para], ['A-2', 'Is it monitored?', para]), 'rows');
    expect(proposal.mapping.columns.section).toBeUndefined();
  });

  it('guesses an unlabelled key column and a question column from their content, with a warning', () => {
    const proposal = proposeForRows(
      'S',
      grid(
        ['', 'Background', 'Prompt for the vendor', 'Sources'],
        ['X 1.1', 'Some background that explains the topic at some length.', 'How do you test the system before release?', 'Ref A'],
        ['X 1.2', 'More background that explains another topic at length.', 'Who reviews incidents, and how often?', 'Ref B'],
      ),
      'rows',
    );
    expect(proposal.mapping.columns).toMatchObject({ key: 1, guidance: 2, references: 4 });
    // "Prompt" names the question already; drop it and the content must find it.
    const unlabelled = proposeForRows(
      'S',
      grid(
        ['', 'Background', 'Column C', 'Sources'],
        ['X 1.1', 'Some background that explains the topic at some length.', 'How do you test the system before release?', 'Ref A'],
        ['X 1.2', 'More background that explains another topic at length.', 'Who reviews incidents, and how often?', 'Ref B'],
      ),
      'rows',
    );
    expect(unlabelled.mapping.columns.question).toBe(3);
    expect(unlabelled.warnings.join(' ')).toMatch(/No column is headed like the question text; column 3/);
  });

  it('returns headers and up to 8 sample rows padded to the same width', () => {
    const rows = grid(['Key', 'Question'], ...Array.from({ length: 12 }, (_, i) => [`Q-${i + 1}`, `Question ${i + 1}?`, i === 0 ? 'extra' : null]));
    const proposal = proposeForRows('S', rows, 'rows');
    expect(proposal.headers).toEqual(['Key', 'Question', '']);
    expect(proposal.sampleRows).toHaveLength(8);
    expect(proposal.sampleRows[0]).toEqual(['Q-1', 'Question 1?', 'extra']);
    expect(proposal.sampleRows[1]).toEqual(['Q-2', 'Question 2?', '']);
  });

  it('warns when nothing looks like a header', () => {
    const proposal = proposeForRows('S', grid(['alpha', 'beta'], ['1', '2']), 'rows');
    expect(proposal.mapping.headerRow).toBe(1);
    expect(proposal.warnings[0]).toMatch(/No header row was recognised/);
  });
});

describe('sideways sheets', () => {
  // Shaped like a published framework: one item per column, the field labels down column A.
  const ids = Array.from({ length: 12 }, (_, i) => `FN ${Math.floor(i / 4) + 1}.${(i % 4) + 1}`);
  const rows = grid(
    ['', ...ids],
    ['part_about', ...ids.map((id) => `Background on ${id}, explaining why the item matters to the organisation.`)],
    ['part_actions', ...ids.map((id) => `Suggested actions for ${id}: write a policy, assign an owner and review it yearly.`)],
    ['part_doc', ...ids.map((id) => `Has the organisation documented ${id}? Who approved it?`)],
    ['part_ref', ...ids.map((id) => `Author, "A publication about ${id}" (2020).\nAnother author, "More on ${id}" (2021).`)],
  );

  it('transposes rows and columns', () => {
    const turned = transposeRows(grid(['a', 'b'], ['c', 'd', 'e']));
    expect(turned).toEqual([
      { row: 1, cells: ['a', 'c'] },
      { row: 2, cells: ['b', 'd'] },
      { row: 3, cells: ['', 'e'] },
    ]);
  });

  it('reads a short, wide sheet sideways when that makes more sense, and says so', () => {
    const proposal = proposeForSheet(sheet('Framework', rows));
    expect(proposal.mapping.orientation).toBe('columns');
    expect(proposal.mapping.headerRow).toBe(1);
    expect(proposal.mapping.columns).toEqual({ key: 1, question: 4, guidance: 2, references: 5 });
    expect(proposal.headers).toEqual(['', 'part_about', 'part_actions', 'part_doc', 'part_ref']);
    expect(proposal.sampleRows[0]![0]).toBe('FN 1.1');
    expect(proposal.warnings[0]).toMatch(/looks sideways/);
  });

  it('keeps an ordinary sheet the right way up', () => {
    const ordinary = grid(['ID', 'Question', 'Type'], ['Q-1', 'Is it tested?', 'Yes/No']);
    expect(proposeForSheet(sheet('S', ordinary)).mapping.orientation).toBe('rows');
  });
});

describe('proposeForWorkbook', () => {
  const questionnaire = sheet('Questions', grid(['ID', 'Question', 'Type', 'Required'], ['Q-1', 'Is it tested?', 'Yes/No', 'Yes'], ['Q-2', 'Describe it.', 'Text', 'No']));
  const cover = sheet('Cover', grid(['Welcome'], ['Please read the instructions before answering.']));
  const lists = sheet('Lists', grid(['ID', 'Question', 'Type', 'Required', 'Options', 'Section'], ['Yes', 'No', 'Text', 'Required', 'A', 'B']), true);

  it('picks the sheet that looks like a questionnaire, never a hidden one, and says there were others', () => {
    const proposal = proposeForWorkbook([cover, lists, questionnaire]);
    expect(proposal.sheetName).toBe('Questions');
    expect(proposal.mapping.sheet).toBe('Questions');
    expect(proposal.warnings.join(' ')).toMatch(/has 3 sheets; “Questions” looks most like the questionnaire/);
  });

  it('proposes for the sheet the officer chose', () => {
    expect(proposeForWorkbook([cover, questionnaire], 'Cover').mapping.sheet).toBe('Cover');
    expect(() => proposeForWorkbook([cover], 'Nope')).toThrow(/No sheet named/);
  });
});
