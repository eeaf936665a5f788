import { describe, expect, it } from 'vitest';
import { buildImportPreview } from '#app/import/preview.server';
import { fates, keysBySection, previewOne, questionsOf, rowsOf, sheetOf, workbook } from './preview-grid';

/**
 * Issue 11, item 1: the sections questionnaires really use arrive as sections, and every line below the header says what
 * became of it. Each grid mimics a layout of a real sector questionnaire.
 */

describe('section heading rows with a Section column mapped', () => {
  // Cloud-security style: the heading row carries the section (or a code and a title) but no question text.
  const sheet = sheetOf(
    'Questions',
    rowsOf(
      ['Key', 'Section', 'Question', 'Guidance'],
      ['', 'Access Control', '', ''],
      ['AC-1', '', 'Is MFA enforced?', 'For every account.'],
      ['AC-2', '', 'Are accounts reviewed?'],
      ['', 'Logging', ''],
      ['LG-1', '', 'Are logs kept a year?'],
      ['HR', '', '', 'Human Resources'],
      ['HR-1', '', 'Are staff vetted?'],
      ['LG-2', 'Logging', 'Are logs immutable?'],
    ),
  );
  const preview = previewOne(sheet, { headerRow: 1, columns: { key: 1, section: 2, question: 3, guidance: 4 } });

  it('reads the heading before skipping the row, so the questions after it land in the new section', () => {
    expect(keysBySection(preview)).toEqual([
      ['Access Control', ['AC-1', 'AC-2']],
      ['Logging', ['LG-1', 'LG-2']],
      ['HR — Human Resources', ['HR-1']],
    ]);
  });

  it('gives every line its fate, headings naming their section', () => {
    expect(fates(preview)).toEqual([
      [2, 'section'],
      [3, 'question'],
      [4, 'question'],
      [5, 'section'],
      [6, 'question'],
      [7, 'section'],
      [8, 'question'],
      [9, 'question'],
    ]);
    expect(preview.rows[0]).toEqual({ sheet: 'Questions', row: 2, fate: 'section', reason: 'section heading “Access Control”' });
    expect(preview.rows[1]).toEqual({ sheet: 'Questions', row: 3, fate: 'question', key: 'AC-1' });
    expect(preview.skipped).toEqual([]);
  });
});

describe('repeated header rows carrying a section name', () => {
  const LABELS = ['Answer', 'Additional Information', 'Guidance'];
  const names = ['Company', 'Application Security', 'Authentication', 'Data', 'Datacenter', 'Policies', 'Incident Response', 'AI'];

  it('makes an 8-section tab 8 sections, with a pure repeat of the header row marked as one', () => {
    const body: string[][] = [];
    names.forEach((name, s) => {
      body.push([name, '', ...LABELS]);
      for (let q = 1; q <= 3; q++) body.push([`S${s + 1}-0${q}`, `${name} question ${q}?`, '', '', `Guidance ${q}`]);
      if (s === 3) body.push(['ID', 'Question', ...LABELS]);
    });
    const sheet = sheetOf('HECVAT', rowsOf(['ID', 'Question', ...LABELS], ...body));
    const preview = previewOne(sheet, { headerRow: 1, columns: { key: 1, question: 2, guidance: 5 } });
    expect(preview.sections.map((s) => [s.title, s.questions.length])).toEqual(names.map((n) => [n, 3]));
    expect(preview.rows.filter((r) => r.fate === 'header')).toEqual([{ sheet: 'HECVAT', row: 18, fate: 'header', reason: 'repeats the header row' }]);
    expect(preview.skipped).toEqual([]);
  });

  it('takes the header row’s own first cell as the first section when it is a title, and a code with a title as both', () => {
    const sheet = sheetOf(
      'Tab',
      rowsOf(
        ['General Information', 'Answer', 'Additional Information'],
        ['Do you have a security officer?', 'Yes', 'Ms Smith'],
        ['A&A', 'Application & Data', 'Answer', 'Additional Information'],
        ['Is data encrypted at rest?'],
      ),
    );
    const preview = previewOne(sheet, { headerRow: 1, columns: { question: 1, guidance: 3 } });
    expect(preview.sections.map((s) => [s.title, s.questions.map((q) => q.text)])).toEqual([
      ['General Information', ['Do you have a security officer?']],
      ['A&A — Application & Data', ['Is data encrypted at rest?']],
    ]);
  });
});

describe('banner rows between blocks', () => {
  it('start sections with a Section column mapped too, and rows with a section value still use it', () => {
    const rows = rowsOf(
      ['ID', 'Domain', 'Control', 'Notes'],
      ['Domain 1: Governance'],
      ['GV-1', '', 'Is there an AI policy?'],
      [null, null, null, null, 'Domain 2: Data'],
      ['DT-1', '', 'Is training data documented?'],
      ['DT-2', 'Data quality', 'Is data quality measured?'],
    );
    rows[0 + 1]!.spans = [[1, 4]];
    const preview = previewOne(sheetOf('Controls', rows), { headerRow: 1, columns: { key: 1, section: 2, question: 3 } });
    expect(keysBySection(preview)).toEqual([
      ['Domain 1: Governance', ['GV-1']],
      ['Domain 2: Data', ['DT-1']],
      ['Data quality', ['DT-2']],
    ]);
  });
});

describe('banner rows that lost their merge (a CSV saved from a workbook)', () => {
  it('are headings when every question line carries an answer-type code and the banner has none', () => {
    const rows = rowsOf(
      ['Question', 'Response type', 'Guidance'],
      ['Part A — Company'],
      ['Where is the company registered?', 'TXT'],
      ['Does the company have a parent company?', 'YNA', 'Name it.'],
      ['Part B — Model supply chain'],
      ['Which third-party models does the product use?', 'TXT'],
      ['Is every model provider under contract?', 'YNA'],
    );
    const preview = previewOne(sheetOf('Template', rows), { headerRow: 1, columns: { question: 1, answerType: 2, guidance: 3 } });
    expect(preview.sections.map((s) => [s.title, s.questions.length])).toEqual([
      ['Part A — Company', 2],
      ['Part B — Model supply chain', 2],
    ]);
    expect(fates(preview).map(([, fate]) => fate)).toEqual(['section', 'question', 'question', 'section', 'question', 'question']);
  });

  it('stay questions when the other question lines carry nothing beside their text either', () => {
    const rows = rowsOf(
      ['Question', 'Response type', 'Guidance'],
      ['Describe your company'],
      ['Describe your model supply chain', 'TXT'],
      ['List your subprocessors'],
      ['Name your hosting regions', 'TXT'],
      ['Give your monthly uptime', '', 'Over the last year.'],
    );
    const preview = previewOne(sheetOf('Template', rows), { headerRow: 1, columns: { question: 1, answerType: 2, guidance: 3 } });
    expect(preview.sections.flatMap((s) => s.questions.map((q) => q.text))).toEqual([
      'Describe your company',
      'Describe your model supply chain',
      'List your subprocessors',
      'Name your hosting regions',
      'Give your monthly uptime',
    ]);
  });
});

describe('a depth tree', () => {
  // NIST-style: function (1) → category (2) → subcategory (3, the assessable one).
  const tree = rowsOf(
    ['Depth', 'ID', 'Text'],
    ['1', 'GOVERN', 'Govern: a culture of risk management is cultivated'],
    ['2', 'GOVERN 1', 'Policies, processes and procedures are in place'],
    ['3', 'GOVERN 1.1', 'Legal and regulatory requirements are understood'],
    ['3', 'GOVERN 1.2', 'Trustworthy AI is built into policies'],
    ['2', 'GOVERN 2', 'Accountability structures are in place'],
    ['3', 'GOVERN 2.1', 'Roles and responsibilities are documented'],
    ['1', 'MAP', 'Map: context is established'],
    ['2', 'MAP 1', 'Context is established and understood'],
    ['3', 'MAP 1.1', 'Intended purposes are understood'],
  );

  it('makes the chosen depth sections, deeper rows questions and shallower rows skipped banners', () => {
    const preview = previewOne(sheetOf('AI RMF', tree), { headerRow: 1, columns: { key: 2, question: 3 }, depth: { source: 'column', column: 1 }, sectionDepth: 2 });
    expect(keysBySection(preview)).toEqual([
      ['GOVERN 1 — Policies, processes and procedures are in place', ['GOVERN 1.1', 'GOVERN 1.2']],
      ['GOVERN 2 — Accountability structures are in place', ['GOVERN 2.1']],
      ['MAP 1 — Context is established and understood', ['MAP 1.1']],
    ]);
    expect(preview.rows.filter((r) => r.fate === 'skipped')).toEqual([
      { sheet: 'AI RMF', row: 2, fate: 'skipped', reason: 'above the section level (depth 1; sections are depth 2)' },
      { sheet: 'AI RMF', row: 8, fate: 'skipped', reason: 'above the section level (depth 1; sections are depth 2)' },
    ]);
  });

  it('keeps only one depth when asked, filtering the rest with a reason', () => {
    const preview = previewOne(sheetOf('AI RMF', tree), {
      headerRow: 1,
      columns: { key: 2, question: 3 },
      depth: { source: 'column', column: 1 },
      sectionDepth: 1,
      onlyDepth: 3,
    });
    expect(keysBySection(preview)).toEqual([
      ['Govern: a culture of risk management is cultivated', ['GOVERN 1.1', 'GOVERN 1.2', 'GOVERN 2.1']],
      ['Map: context is established', ['MAP 1.1']],
    ]);
    expect(preview.rows.find((r) => r.row === 3)).toEqual({ sheet: 'AI RMF', row: 3, fate: 'filtered', reason: 'not kept: depth 2; only depth 3 is kept' });
    // Without a depth source there is no depth to keep: the choice is ignored rather than filtering every row.
    expect(questionsOf(previewOne(sheetOf('AI RMF', tree), { headerRow: 1, columns: { key: 2, question: 3 }, onlyDepth: 3 }))).toHaveLength(9);
  });

  it('reads outline numbers ("1", "1.2", "1.2.3") as depths, and row outline levels', () => {
    const numbered = rowsOf(['No.', 'Requirement'], ['1', 'Governance'], ['1.1', 'Policy'], ['1.1.1', 'Is there a policy?'], ['2', 'Data'], ['2.1', 'Quality'], ['2.1.1', 'Is data checked?']);
    const byNumber = previewOne(sheetOf('S', numbered), { headerRow: 1, columns: { key: 1, question: 2 }, depth: { source: 'column', column: 1 }, sectionDepth: 2 });
    expect(keysBySection(byNumber)).toEqual([
      ['1.1 — Policy', ['1.1.1']],
      ['2.1 — Quality', ['2.1.1']],
    ]);

    const outlined = rowsOf(['Requirement'], ['Governance'], ['Is there a policy?'], ['Is it reviewed?'], ['Data'], ['Is data checked?']);
    [0, 0, 1, 1, 0, 1].forEach((level, i) => (outlined[i]!.outline = level));
    const byOutline = previewOne(sheetOf('S', outlined), { headerRow: 1, columns: { question: 1 }, depth: { source: 'outline' }, sectionDepth: 0 });
    expect(byOutline.sections.map((s) => [s.title, s.questions.length])).toEqual([
      ['Governance', 2],
      ['Data', 1],
    ]);
  });
});

describe('filters', () => {
  // A framework workbook: every row has text, only rows marked x are assessable; headings are never marked.
  const rows = rowsOf(
    ['Ref', 'Section', 'Text', 'Assessable'],
    ['', 'Governance', ''],
    ['G', '', 'Governance overview', ''],
    ['G.1', '', 'Is there a policy?', 'x'],
    ['G.2', '', 'Background on policies', ''],
    ['G.3', '', 'Is the policy reviewed?', ' X '],
    ['', 'Data', ''],
    ['D', '', 'Data overview', ''],
    ['D.1', '', 'Is data classified?', 'x'],
  );
  it('keeps only marked rows, still reading headings from unmarked rows, and counts what is kept', () => {
    const preview = previewOne(sheetOf('Framework', rows), { headerRow: 1, columns: { key: 1, section: 2, question: 3 }, filter: { column: 4, value: 'x' } });
    expect(keysBySection(preview)).toEqual([
      ['Governance', ['G.1', 'G.3']],
      ['Data', ['D.1']],
    ]);
    expect(preview.skipped).toEqual([
      { sheet: 'Framework', row: 3, reason: 'not kept: column 4 (“Assessable”) is empty, not “x”' },
      { sheet: 'Framework', row: 5, reason: 'not kept: column 4 (“Assessable”) is empty, not “x”' },
      { sheet: 'Framework', row: 8, reason: 'not kept: column 4 (“Assessable”) is empty, not “x”' },
    ]);
    expect(preview.rows.filter((r) => r.fate === 'filtered')).toHaveLength(3);
  });
});

describe('several sheets', () => {
  const first = sheetOf('Governance', rowsOf(['ID', 'Question'], ['G-1', 'Is there a policy?'], ['Heading'], ['G-2', 'Is it reviewed?']));
  const second = sheetOf('Security', rowsOf(['Ref', 'Section', 'Question'], ['S-1', 'Access', 'Is MFA used?'], ['G-1', 'Access', 'Same key again?']));
  const plan = {
    sheets: [
      { sheet: 'Governance', headerRow: 1, columns: { key: 1, question: 2 }, sheetIsSection: true },
      { sheet: 'Security', headerRow: 1, columns: { key: 1, section: 2, question: 3 } },
    ],
  };

  it('imports each sheet with its own mapping, in order; a sheet can be one section; a key repeated across sheets is a duplicate', () => {
    const preview = buildImportPreview(workbook(first, second), plan, []);
    expect(keysBySection(preview)).toEqual([
      ['Governance', ['G-1', 'G-2']],
      ['Access', ['S-1']],
    ]);
    expect(questionsOf(preview).map((q) => q.sheet)).toEqual(['Governance', 'Governance', 'Security']);
    expect(preview.skipped).toEqual([
      { sheet: 'Governance', row: 3, reason: 'a section heading (“Heading”) not used: every question of this sheet goes in the section “Governance”' },
      { sheet: 'Security', row: 3, reason: 'duplicate key G-1 (first used on “Governance” row 2)' },
    ]);
    expect(preview.rows.map((r) => r.sheet)).toEqual(['Governance', 'Governance', 'Governance', 'Security', 'Security']);
  });

  it('refuses a sheet the workbook does not have, or the same sheet twice', () => {
    expect(() => buildImportPreview(workbook(first), { sheets: [{ sheet: 'Nope', headerRow: 1, columns: { question: 2 } }] }, [])).toThrow(
      'The workbook has no sheet named “Nope”. Its sheets are “Governance”.',
    );
    expect(() => buildImportPreview(workbook(first), { sheets: [plan.sheets[0]!, plan.sheets[0]!] }, [])).toThrow(/chosen twice/);
  });
});
