import { describe, expect, it } from 'vitest';
import type { GridRow, SheetGrid } from '#app/import/import-types.server';
import { classifyHeader, proposeForSheet, proposeForWorkbook } from '#app/import/mapping.server';
import { buildImportPreview } from '#app/import/preview.server';

/*
 * Grids shaped like the questionnaires cities bring (sector security workbooks, cloud control matrices, national
 * self-assessments, supply-chain templates, GRC exports). Every text here was written for these tests; none is copied
 * from a published questionnaire.
 */

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

const SPEC =
  'The provider shall establish, document, approve, communicate, apply, evaluate and maintain the policies and procedures for this area, review them at least once a year and keep the evidence of each review.';

/** A cloud-security control matrix: several questions per control, the control's id repeated on each, a long specification. */
function controlMatrix(): GridRow[] {
  const controls = [
    ['Audit & Assurance', 'Audit Policy', 'AA-01', 3],
    ['Audit & Assurance', 'Independent Assessments', 'AA-02', 2],
    ['Data Security', 'Data Inventory', 'DS-01', 3],
    ['Data Security', 'Encryption at Rest', 'DS-02', 2],
  ] as const;
  const rows: Array<Array<string | null>> = [
    ['Cloud Controls Self-Assessment (example edition)'],
    ['Control Domain', 'Control Title', 'Control ID', 'Control Specification', 'Question ID', 'Question', 'Answer', 'Notes'],
  ];
  for (const [domain, title, id, questions] of controls) {
    for (let q = 1; q <= questions; q++) {
      rows.push([domain, title, id, `${SPEC} (${id})`, `${id}.${q}`, `Is part ${q} of “${title.toLowerCase()}” carried out and reviewed?`, null, null]);
    }
  }
  return grid(...rows);
}

/** A national cyber-fundamentals self-assessment: the practice described at length, then the question put to the organisation. */
function cyberSelfAssessment(): GridRow[] {
  return grid(
    ['ID', 'Domain', 'Practice', 'Practice description', 'Question', 'Response', 'Notes'],
    ['GV-1', 'Govern', 'Ownership', `Someone senior is accountable for cyber security, with the time, budget and authority to act. ${SPEC}`, 'Is a named senior person accountable for cyber security?', null, null],
    ['GV-2', 'Govern', 'Risk register', `Cyber risks are recorded with an owner, a rating and a treatment, and reviewed. ${SPEC}`, 'Do you keep a register of cyber risks with owners?', null, null],
    ['PR-1', 'Protect', 'Patching', `Security updates are applied within a set time after release, starting with internet-facing systems. ${SPEC}`, 'How quickly are critical security updates applied?', null, null],
    ['PR-2', 'Protect', 'Backups', `Backups of important data are made, kept apart from the network and restored in tests. ${SPEC}`, 'Are backups tested by restoring them at least yearly?', null, null],
  );
}

/** A government supply-chain template: a requirement paragraph before the question the supplier answers. */
function supplyChainTemplate(): GridRow[] {
  return grid(
    ['Supplier assurance template'],
    null,
    ['Ref #', 'Category', 'Sub-category', 'Requirement', 'Question', 'Supplier response', 'Evidence'],
    ['SC 1.1', 'Governance', 'Policy', `The supplier maintains a security policy approved by its board. ${SPEC}`, 'Do you have a board-approved security policy?', null, null],
    ['SC 1.2', 'Governance', 'Roles', `Security responsibilities are assigned and understood by staff. ${SPEC}`, 'Who is responsible for security in your organisation?', null, null],
    ['SC 2.1', 'Personnel', 'Screening', `Staff with access to buyer data are screened before they start. ${SPEC}`, 'Are staff screened before they get access to our data?', null, null],
  );
}

describe('header names win over text length', () => {
  it.each([
    ['Key Measure', null],
    ['Key Risk', null],
    ['Key Performance Indicator', null],
    ['Practice', 'question'],
  ] as const)('reads %j as %s', (text, field) => {
    expect(classifyHeader(text)).toBe(field);
  });

  it('a cloud control matrix: the question and its own id, not the control specification and the repeated control id', () => {
    const proposal = proposeForSheet(sheet('Controls', controlMatrix()));
    expect(proposal.mapping.headerRow).toBe(2);
    expect(proposal.mapping.columns).toEqual({ key: 5, section: 1, question: 6, guidance: 8 });
  });

  it('a cyber self-assessment: “Question” beats the wordier “Practice description”', () => {
    expect(proposeForSheet(sheet('Assessment', cyberSelfAssessment())).mapping.columns).toEqual({ key: 1, section: 2, question: 5, guidance: 7 });
  });

  it('a supply-chain template: “Question” beats the wordier “Requirement”; “Category” beats “Sub-category”', () => {
    const proposal = proposeForSheet(sheet('Template', supplyChainTemplate()));
    expect(proposal.mapping).toMatchObject({ headerRow: 3, columns: { key: 1, section: 2, question: 5 } });
  });

  it('an exact “Question text” header beats a wordier “Description”', () => {
    const rows = grid(
      ['Question ID', 'Question Text', 'Description'],
      ['Q1', 'Is data encrypted at rest?', `Background for the evaluator. ${SPEC}`],
      ['Q2', 'Is data encrypted in transit?', `More background for the evaluator. ${SPEC}`],
    );
    expect(proposeForSheet(sheet('S', rows)).mapping.columns).toEqual({ key: 1, question: 2 });
  });

  it('a “Key Measure” column is not the key: no row collides, keys are left to be generated', () => {
    const measures = ['Availability', 'Availability', 'Resilience', 'Resilience', 'Availability', 'Recovery'];
    const rows = grid(
      ['Domain', 'Key Measure', 'Question', 'Answer type'],
      ...measures.map((m, i) => ['Operations', m, `How do you measure and report ${m.toLowerCase()} (case ${i + 1})?`, 'Text']),
    );
    const proposal = proposeForSheet(sheet('Measures', rows));
    expect(proposal.mapping.columns).toEqual({ section: 1, question: 3, answerType: 4 });
  });

  it('a column headed like a key whose values repeat is dropped, with a warning that says why', () => {
    const families = ['AC', 'AC', 'AC', 'AU', 'AU', 'IR'];
    const rows = grid(['ID', 'Question', 'Answer'], ...families.map((f, i) => [f, `Question ${i + 1} about the ${f} family?`, null]));
    const proposal = proposeForSheet(sheet('S', rows));
    expect(proposal.mapping.columns).toEqual({ question: 2 });
    expect(proposal.warnings.join(' ')).toMatch(/Column 1 \(“ID”\) is headed like a key, but its values repeat \(3 different in 6 rows\)/);
  });
});

/** A higher-education vendor security tab: title rows, then "Question ID / Question / Answer / Additional Information / Guidance". */
function securityTab(prefix: string, topic: string, count: number): GridRow[] {
  return grid(
    [`${topic}`],
    ['Complete every question on this tab. Use the guidance column when unsure.'],
    ['Question ID', 'Question', 'Answer', 'Additional Information', 'Guidance'],
    ...Array.from({ length: count }, (_, i) => [
      `${prefix}-${String(i + 1).padStart(2, '0')}`,
      `Does your ${topic.toLowerCase()} programme cover point ${i + 1} for institutional data?`,
      null,
      null,
      `Say yes only if point ${i + 1} is written down and reviewed; describe any exceptions in the additional information.`,
    ]),
  );
}

/** The evaluation sheet a buyer adds: the criteria again, with weights, scores and who scored them. */
function evaluationSheet(): GridRow[] {
  return grid(
    ['Ref', 'Section', 'Criterion', 'Weight', 'Score (0-5)', 'Weighted score', 'Evaluator', 'Notes'],
    ['E1', 'Security', 'Access control', '20%', '4', '0.8', 'A. Reviewer', 'Strong answer'],
    ['E2', 'Security', 'Encryption', '20%', '3', '0.6', 'A. Reviewer', ''],
    ['E3', 'Privacy', 'Data retention', '15%', '5', '0.75', 'B. Reviewer', ''],
    ['E4', 'Privacy', 'Data location', '15%', '2', '0.3', 'B. Reviewer', 'Unclear'],
    ['E5', 'Operations', 'Support model', '30%', '4', '1.2', 'C. Reviewer', ''],
  );
}

/** A crosswalk: each control's identifier against the clauses of other frameworks. */
function crosswalkSheet(): GridRow[] {
  return grid(
    ['ID', 'Domain', 'Control', 'Mapped to', 'Source'],
    ...Array.from({ length: 12 }, (_, i) => [`CW-${i + 1}`, `D${(i % 3) + 1}`, `CTL-${i + 1}`, `AC-${i + 1}; AU-${i + 2}`, `A.5.${i + 1}`]),
  );
}

/** Instructions: paragraphs in one column, no header. */
function instructionsSheet(): GridRow[] {
  return grid(
    ['How to complete this workbook'],
    ...Array.from({ length: 14 }, (_, i) => [
      `Step ${i + 1}: read each tab in turn, answer every question in the answer column, and add any supporting detail in the column beside it before you return the workbook.`,
    ]),
  );
}

/** A dashboard: counts and scores per section, as formulas' saved values. */
function summarySheet(): GridRow[] {
  return grid(
    ['Section', 'Questions', 'Answered', 'Required', 'Score'],
    ['Company', '6', '0', '6', '0'],
    ['Data', '14', '0', '10', '0'],
    ['Application', '9', '0', '9', '0'],
  );
}

describe('a tab whose only header rows are the repeated section headers', () => {
  it('takes the first “<section> | Answer | Additional Information | Guidance” row as the header and finds the key and question from their content', () => {
    const block = (code: string, title: string, n: number) => [
      [code, title, 'Answer', 'Additional Information', 'Guidance'],
      ...Array.from({ length: n }, (_, i) => [`${code}-0${i + 1}`, `Does the ${title.toLowerCase()} control ${i + 1} apply to all institutional data?`, null, null, 'Describe any exceptions.']),
    ];
    const rows = grid(['Vendor security workbook — Data tab'], ...block('DATA', 'Data Security', 4), ...block('DCTR', 'Datacenter', 3));
    const proposal = proposeForSheet(sheet('Data', rows));
    expect(proposal.mapping).toMatchObject({ headerRow: 2, columns: { key: 1, question: 2, guidance: 5 } });
    expect(proposal.headers).toEqual(['DATA', 'Data Security', 'Answer', 'Additional Information', 'Guidance']);
  });
});

describe('the proposed sheet is the one that looks most like the questionnaire', () => {
  it('a security workbook: past the instructions and the dashboard, the largest questionnaire tab; every sheet is ranked with its rows', () => {
    const proposal = proposeForWorkbook([
      sheet('Instructions', instructionsSheet()),
      sheet('Summary', summarySheet()),
      sheet('Company', securityTab('COMP', 'Company', 6)),
      sheet('Data', securityTab('DATA', 'Data', 24)),
      sheet('Lists', grid(['Yes'], ['No'], ['N/A']), true),
      sheet('Empty', []),
    ]);
    expect(proposal.sheetName).toBe('Data');
    expect(proposal.mapping).toMatchObject({ sheet: 'Data', headerRow: 3, columns: { key: 1, question: 2, guidance: 5 } });
    expect(proposal.ranking.map((r) => [r.name, r.rows, r.hidden])).toEqual([
      ['Data', 24, false],
      ['Company', 6, false],
      ['Instructions', 14, false],
      ['Summary', 3, false],
      ['Lists', 2, true],
      ['Empty', 0, false],
    ]);
  });

  it('an evaluation sheet (weights, scores, evaluators) is not proposed over the questionnaire', () => {
    const proposal = proposeForWorkbook([sheet('Evaluation', evaluationSheet()), sheet('Questions', securityTab('Q', 'Security', 10))]);
    expect(proposal.sheetName).toBe('Questions');
    expect(proposal.ranking[0]!.score).toBeGreaterThan(proposal.ranking[1]!.score);
  });

  it('a crosswalk of identifiers is not proposed over the questionnaire', () => {
    expect(proposeForWorkbook([sheet('Mapping', crosswalkSheet()), sheet('Questions', securityTab('Q', 'Security', 10))]).sheetName).toBe('Questions');
  });

  it('the ranking is there when the officer chose the sheet too', () => {
    const proposal = proposeForWorkbook([sheet('Evaluation', evaluationSheet()), sheet('Questions', securityTab('Q', 'Security', 10))], 'Evaluation');
    expect(proposal.sheetName).toBe('Evaluation');
    expect(proposal.ranking.map((r) => r.name)).toEqual(['Questions', 'Evaluation']);
  });
});

describe('re-proposing for the header row the officer chose', () => {
  // Headers in another language are not recognised, so the first guess is the title line; the officer picks row 3.
  const rows = grid(
    ['Leveranciersvragenlijst 2026'],
    null,
    ['Nr.', 'Vraag', 'Toelichting', 'Antwoord'],
    ['B-1', 'Heeft u een geldig beveiligingscertificaat?', 'Noem het certificaat en de reikwijdte.', null],
    ['B-2', 'Hoe vaak worden toegangsrechten herzien?', 'Geef de termijn.', null],
  );

  it('takes labels, columns and sample rows from the chosen row, nothing from the first guess', () => {
    const first = proposeForSheet(sheet('Deel B', rows));
    expect(first.mapping.headerRow).toBe(1);
    const again = proposeForSheet(sheet('Deel B', rows), 3);
    expect(again.mapping).toEqual({ sheet: 'Deel B', headerRow: 3, columns: { key: 1, question: 2 }, orientation: 'rows' });
    expect(again.headers).toEqual(['Nr.', 'Vraag', 'Toelichting', 'Antwoord']);
    expect(again.sampleRows.map((r) => r[0])).toEqual(['B-1', 'B-2']);
    expect(again.dataRows).toBe(2);
    expect(again.warnings.join(' ')).toMatch(/column 2 \(“Vraag”\) is proposed because of what it holds/);
  });

  it('a recognised header chosen by the officer maps its named columns', () => {
    const named = grid(['Cover note'], ['Ref', 'Question', 'Guidance', 'Response type'], ['Q-1', 'Is the service monitored around the clock?', 'Say how.', 'Text']);
    expect(proposeForSheet(sheet('S', named), 2).mapping.columns).toEqual({ key: 1, question: 2, guidance: 3, answerType: 4 });
    // The same rows with the title chosen as the header: nothing named, so nothing from row 2 is used.
    expect(proposeForSheet(sheet('S', named), 1).headers).toEqual(['Cover note', '', '', '']);
  });

  it('a chosen row that names no field says so', () => {
    const proposal = proposeForSheet(sheet('Deel B', rows), 1);
    expect(proposal.headers[0]).toBe('Leveranciersvragenlijst 2026');
    expect(proposal.warnings[0]).toMatch(/^Row 1 names none of the fields, so the columns are guessed from what they hold/);
  });

  it('header row 0: every line is data, no labels, the key and question guessed from the content with a warning', () => {
    const bare = grid(['X-1', 'Is the service monitored around the clock?'], ['X-2', 'Who is told first after an incident?'], ['X-3', 'Are backups restored in tests?']);
    const proposal = proposeForSheet(sheet('Bare', bare), 0);
    expect(proposal.mapping).toMatchObject({ headerRow: 0, columns: { key: 1, question: 2 } });
    expect(proposal.headers).toEqual(['', '']);
    expect(proposal.sampleRows).toHaveLength(3);
    expect(proposal.warnings.join(' ')).toMatch(/No column is headed like the question text/);
  });
});

/** A framework checklist exported from a GRC tool: every node of the tree, the assessable ones marked. */
function frameworkExport(): GridRow[] {
  const rows: Array<Array<string | null>> = [['depth', 'identifier', 'title', 'description', 'assessable']];
  for (const [f, fn] of [
    ['GV', 'Govern'],
    ['PR', 'Protect'],
  ] as const) {
    rows.push(['1', f, fn, `The ${fn.toLowerCase()} function sets out how the organisation handles this part of its risk.`, null]);
    for (let c = 1; c <= 2; c++) {
      rows.push(['2', `${f}.C${c}`, `${fn} category ${c}`, `Outcomes of category ${c} within ${fn.toLowerCase()}, grouped for reporting.`, null]);
      for (let s = 1; s <= 3; s++) {
        rows.push(['3', `${f}.C${c}-0${s}`, '', `Outcome ${s} of ${fn.toLowerCase()} category ${c} is achieved, documented and reviewed.`, 'x']);
      }
    }
  }
  return grid(...rows);
}

describe('trees and in-scope marks', () => {
  it('a GRC export: the depth column makes sections at the shallowest unmarked depth, and only the assessable rows are kept', () => {
    const proposal = proposeForSheet(sheet('Framework', frameworkExport()));
    expect(proposal.mapping).toEqual({
      sheet: 'Framework',
      headerRow: 1,
      columns: { key: 2, question: 4 },
      orientation: 'rows',
      depth: { source: 'column', column: 1 },
      sectionDepth: 1,
      filter: { column: 5, value: 'x' },
    });
    expect(proposal.warnings).toEqual([
      'Only the rows marked “x” in column 5 (“assessable”) are proposed for import (12 of 18). Clear the filter to import every row.',
      'Column 1 (“depth”) gives each row’s depth in a tree: rows at depth 1 are proposed as section headings and deeper rows as questions. Choose another depth if the sections are wrong.',
    ]);
  });

  it('without marks, a level column keeps only the deepest rows as questions under the shallowest as sections', () => {
    const rows = frameworkExport().map((r) => ({ ...r, cells: r.cells.slice(0, 4) }));
    rows[0]!.cells[0] = 'Level';
    expect(proposeForSheet(sheet('Framework', rows)).mapping).toMatchObject({ depth: { source: 'column', column: 1 }, sectionDepth: 1, onlyDepth: 3 });
  });

  it('outline levels (grouped rows) make the tree when there is no depth column; question marks tell the headings apart', () => {
    const rows = grid(
      ['ID', 'Question', 'Answer'],
      ['1', 'Governance', null],
      ['1.1', 'Is there a named owner for security?', null],
      ['1.2', 'Is the policy reviewed yearly?', null],
      ['2', 'Operations', null],
      ['2.1', 'Are changes approved before release?', null],
    ).map((r) => (r.row === 1 ? r : { ...r, outline: /\./.test(r.cells[0]!) ? 1 : 0 }));
    expect(proposeForSheet(sheet('Grouped', rows)).mapping).toMatchObject({ depth: { source: 'outline' }, sectionDepth: 0 });
  });

  it('an “In scope” column of Yes and blanks proposes keeping the Yes rows; one of mixed answers or a level of words proposes nothing', () => {
    const rows = grid(
      ['Ref', 'Question', 'In scope', 'Applicable', 'Level'],
      ['A-1', 'Is data encrypted at rest?', 'Yes', 'Partly', 'High'],
      ['A-2', 'Is data encrypted in transit?', '', 'Yes', 'Low'],
      ['A-3', 'Are keys rotated?', 'Yes', 'Planned', 'High'],
      ['A-4', 'Are keys held in a hardware module?', '', '', 'Medium'],
    );
    const mapping = proposeForSheet(sheet('S', rows)).mapping;
    expect(mapping.filter).toEqual({ column: 3, value: 'Yes' });
    expect(mapping.depth).toBeUndefined();
  });
});

describe('outline levels that are not a tree of sections', () => {
  it('questions with their notes grouped beneath them propose no depth', () => {
    const rows = grid(
      ['ID', 'Question', 'Answer'],
      ['Q-1', 'Describe the hosting arrangements', null],
      ['', 'Note: include any subcontracted data centres', null],
      ['Q-2', 'Describe the support model', null],
      ['Q-3', 'Describe the release process', null],
    ).map((r) => (r.row === 1 ? r : { ...r, outline: r.cells[0] === '' ? 1 : 0 }));
    const proposal = proposeForSheet(sheet('Grouped notes', rows));
    expect(proposal.mapping.depth).toBeUndefined();
    expect(proposal.mapping.columns).toEqual({ key: 1, question: 2 });
  });
});

describe('the first proposal previews right', () => {
  const preview = (s: SheetGrid) => {
    const proposal = proposeForSheet(s);
    const result = buildImportPreview({ kind: 'xlsx', sheets: [s], warnings: [] }, { sheets: [proposal.mapping] }, []);
    return result.sections.map((section) => [section.title, section.questions.map((q) => q.key)]);
  };

  it('a GRC export: the assessable items under their functions', () => {
    expect(preview(sheet('Framework', frameworkExport()))).toEqual([
      ['GV — The govern function sets out how the organisation handles this part of its risk.', ['GV.C1-01', 'GV.C1-02', 'GV.C1-03', 'GV.C2-01', 'GV.C2-02', 'GV.C2-03']],
      ['PR — The protect function sets out how the organisation handles this part of its risk.', ['PR.C1-01', 'PR.C1-02', 'PR.C1-03', 'PR.C2-01', 'PR.C2-02', 'PR.C2-03']],
    ]);
  });

  it('a cloud control matrix: every question under its own id, by domain', () => {
    expect(preview(sheet('Controls', controlMatrix()))).toEqual([
      ['Audit & Assurance', ['AA-01.1', 'AA-01.2', 'AA-01.3', 'AA-02.1', 'AA-02.2']],
      ['Data Security', ['DS-01.1', 'DS-01.2', 'DS-01.3', 'DS-02.1', 'DS-02.2']],
    ]);
  });
});
