/**
 * The portable RFP file's zod schema (db/portable/schema.ts): a minimal valid file, the optional parts older
 * version-1 files lack, and typical invalid files with the one-line message (JSON path first) the import prints.
 */
import { describe, expect, it } from 'vitest';
import { parsePortableFile, PortableImportError, validatePortableFile } from '#db/portable/import';
import { describePortableError, formatJsonPath, type PortableRfpFile, portableRfpFileSchema } from '#db/portable/schema';

/** The smallest meaningful file: one section, one criterion with a question, one vendor, one evaluator's score. */
function minimalFile(): PortableRfpFile {
  return {
    format: 'ai-vendor-workbench/rfp',
    version: 1,
    rfp: {
      reference: 'RFP-2026-014',
      title: 'Permit-review assistant',
      department: 'Buildings',
      status: 'evaluation',
      settings: { scaleMax: 5, aggregation: 'mean', divergenceThreshold: 0.3, priceFormula: 'ratio' },
      riskTier: null,
    },
    sections: [
      {
        key: 'rai',
        title: 'Responsible AI',
        criteria: [
          {
            key: 'RAI-GOV',
            title: 'Governance',
            kind: 'scored',
            points: 100,
            rubric: [{ level: 0, anchor: 'Nothing' }],
            questions: [{ key: 'RAI-01', text: 'Who is accountable?', answerType: 'text', options: [], required: true, references: ['NIST AI RMF GOVERN 2.1'] }],
          },
        ],
      },
    ],
    vendors: [{ key: 'acme', name: 'Acme AI' }],
    submissions: [{ vendor: 'acme', status: 'received', price: null, answers: { 'RAI-01': 'The chief AI officer.' } }],
    evaluators: [{ email: 'eva@city.example', name: 'Eva', coi: 'none', recusedFrom: [] }],
    scores: [{ evaluator: 'eva@city.example', vendor: 'acme', criterion: 'RAI-GOV', value: 4, rationale: 'Named owner.', submitted: false }],
    consensus: [],
    results: { final: false, ranking: [] },
    audit: [],
  };
}

/** The one-line message for `file`, or null when it is valid. */
function problem(file: unknown): string | null {
  const parsed = portableRfpFileSchema.safeParse(file);
  return parsed.success ? null : describePortableError(parsed.error);
}

function edit(change: (file: PortableRfpFile) => void): PortableRfpFile {
  const file = minimalFile();
  change(file);
  return file;
}

describe('portable RFP file schema', () => {
  it('accepts a minimal version-1 file without the optional parts, and empty parts as DESIGN §9 allows', () => {
    expect(problem(minimalFile())).toBeNull();
    expect(problem(edit((f) => Object.assign(f, { submissions: [], evaluators: [], scores: [], vendors: [] })))).toBeNull();
  });

  it('accepts the optional parts: members, scoresheets, evaluator scope, declared conflicts with recusals', () => {
    const file = edit((f) => {
      f.members = [{ email: 'lead@city.example', name: 'Lee', role: 'lead' }];
      f.scoresheets = [{ evaluator: 'eva@city.example', vendor: 'acme', status: 'in_progress', submittedAt: null }];
      f.evaluators.push({ email: 'max@city.example', name: 'Max', coi: 'declared: Former employee of Acme.', recusedFrom: ['acme'], recusalReasons: { acme: 'Former employee.' }, sections: ['rai'] });
      f.evaluators.push({ email: 'pat@city.example', name: 'Pat', coi: null, recusedFrom: [], assigned: false });
      f.consensus = [{ vendor: 'acme', criterion: 'RAI-GOV', value: 4, rationale: 'Agreed.', decidedBy: 'lead@city.example', decidedAt: '2026-12-01T10:00:00.000Z' }];
    });
    expect(problem(file)).toBeNull();
  });

  it('names the JSON path of a wrong format, version, status or setting', () => {
    expect(problem({ ...minimalFile(), format: 'something-else' })).toBe('$.format: Invalid input: expected "ai-vendor-workbench/rfp"');
    expect(problem({ ...minimalFile(), version: 2 })).toBe('$.version: Invalid input: expected 1');
    expect(problem(edit((f) => Object.assign(f.rfp, { status: 'awarded' })))).toMatch(/^\$\.rfp\.status: Invalid option: expected one of "draft"\|"open"/);
    expect(problem(edit((f) => Object.assign(f.rfp.settings, { scaleMax: 0 })))).toMatch(/^\$\.rfp\.settings\.scaleMax: Too small/);
    expect(problem(edit((f) => Object.assign(f.submissions[0]!, { receivedAt: '14/12/2026' })))).toMatch(/^\$\.submissions\[0\]\.receivedAt: Invalid ISO datetime/);
  });

  it('counts further problems after the first', () => {
    const { rfp: _rfp, ...withoutRfp } = minimalFile();
    expect(problem({ ...withoutRfp, version: 3 })).toMatch(/^\$\.version: .* \(and 1 more problem\)$/);
    expect(problem({})).toMatch(/^\$\.format: .* \(and \d+ more problems\)$/);
  });

  it('refuses answers to questions the questionnaire does not have, and answers of the wrong type', () => {
    expect(problem(edit((f) => (f.submissions[0]!.answers['RAI-99'] = 'Yes')))).toBe(
      '$.submissions[0].answers["RAI-99"]: answers question RAI-99, which is not in the questionnaire',
    );
    expect(problem(edit((f) => ((f.submissions[0]!.answers as Record<string, unknown>)['RAI-01'] = { text: 'x' })))).toBe(
      '$.submissions[0].answers["RAI-01"]: must be a string, a number, a list of strings or null',
    );
  });

  it('refuses references to vendors, evaluators, criteria and sections the file does not define', () => {
    // The score on acme then names a vendor without a submission: a second problem.
    expect(problem(edit((f) => (f.submissions[0]!.vendor = 'globex')))).toBe('$.submissions[0].vendor: names vendor globex, which is not in "vendors" (and 1 more problem)');
    expect(problem(edit((f) => (f.scores[0]!.evaluator = 'ghost@city.example')))).toBe('$.scores[0].evaluator: names evaluator ghost@city.example, who is not in "evaluators"');
    expect(problem(edit((f) => (f.scores[0]!.criterion = 'RAI-NOPE')))).toBe('$.scores[0].criterion: names criterion RAI-NOPE, which is not in the questionnaire');
    expect(problem(edit((f) => (f.evaluators[0]!.recusedFrom = ['globex'])))).toBe('$.evaluators[0].recusedFrom[0]: names vendor globex, which has no submission in the file');
    expect(problem(edit((f) => (f.evaluators[0]!.sections = ['security'])))).toBe('$.evaluators[0].sections[0]: names section security, which is not in the questionnaire');
    expect(problem(edit((f) => f.consensus.push({ vendor: 'acme', criterion: 'PRICE', value: 1, rationale: '' })))).toBe(
      '$.consensus[0].criterion: names criterion PRICE, which is not in the questionnaire',
    );
  });

  it('refuses duplicated keys and people, and scores that disagree with their scoresheet', () => {
    expect(problem(edit((f) => f.sections.push({ key: 'rai', title: 'Again', criteria: [] })))).toBe('$.sections[1].key: section key rai is used twice');
    expect(problem(edit((f) => f.evaluators.push({ email: 'EVA@city.example', name: 'Eva', coi: null, recusedFrom: [] })))).toBe(
      '$.evaluators[1].email: evaluator EVA@city.example is listed twice',
    );
    expect(problem(edit((f) => f.scores.push({ ...f.scores[0]!, value: 2 })))).toBe('$.scores[1]: a second score for the same evaluator, vendor and criterion');
    expect(problem(edit((f) => (f.scoresheets = [{ evaluator: 'eva@city.example', vendor: 'acme', status: 'submitted' }])))).toBe(
      '$.scores[0].submitted: is false, but the scoresheet of eva@city.example for acme is submitted',
    );
  });

  it('checks the conflict-of-interest notation and email addresses', () => {
    for (const coi of ['none', 'declared', 'declared: Spouse works for Acme.', null]) {
      expect(problem(edit((f) => (f.evaluators[0]!.coi = coi)))).toBeNull();
    }
    expect(problem(edit((f) => (f.evaluators[0]!.coi = 'maybe')))).toBe('$.evaluators[0].coi: must be "none", "declared" or "declared: <details>" (null while pending)');
    expect(problem(edit((f) => (f.evaluators[0]!.email = 'eva at city')))).toMatch(/^\$\.evaluators\[0\]\.email: must be an email address/);
  });

  it('formats JSON paths as a reader types them', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['sections', 2, 'criteria', 0, 'key'])).toBe('$.sections[2].criteria[0].key');
    expect(formatJsonPath(['submissions', 0, 'answers', 'RAI-07'])).toBe('$.submissions[0].answers["RAI-07"]');
  });

  it('reads a file: not JSON and not valid both come back as one-line refusals', () => {
    expect(parsePortableFile(JSON.stringify(minimalFile())).rfp.reference).toBe('RFP-2026-014');
    expect(() => parsePortableFile('{ "format": ')).toThrow(PortableImportError);
    expect(() => parsePortableFile('{ "format": ')).toThrow(/^The file is not JSON: /);
    expect(() => validatePortableFile({ ...minimalFile(), version: 2 })).toThrow('Not a valid portable RFP file: $.version: Invalid input: expected 1');
  });
});
