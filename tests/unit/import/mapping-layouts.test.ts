import { describe, expect, it } from 'vitest';
import type { GridRow, SheetGrid } from '#app/import/import-types.server';
import { classifyHeader, proposeForSheet } from '#app/import/mapping.server';

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
