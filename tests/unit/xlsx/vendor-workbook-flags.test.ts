/**
 * What the import flags in a signed (or unsigned) vendor workbook, as pure functions: the signature over what was
 * issued, every workbook-level and row-level flag, and the word-level difference the preview shows.
 */
import { describe, expect, it } from 'vitest';
import { wordDiff } from '#app/utils/word-diff';
import {
  type ComparedQuestionnaire,
  compareVendorAnswers,
  interpretRawWorkbook,
  type ParsedVendorWorkbook,
  type RawVendorWorkbook,
} from '#app/xlsx/vendor-response-import.server';
import { signIssue, verifyIssue, type WorkbookIssue } from '#app/xlsx/vendor-workbook-signature.server';
import { answerTypeText } from '#app/xlsx/vendor-workbook.server';

const SECRET = 'unit-test-secret-unit-test-secret';
const acme = { id: 'vendor-acme', key: 'acme', name: 'Acme AI' };
const globex = { id: 'vendor-globex', key: 'globex', name: 'Globex' };

const questionnaire: ComparedQuestionnaire = {
  rfpId: 'rfp-1',
  reference: 'RFP-2026-001',
  questionnaireVersion: 2,
  questions: [
    { id: 'q-T-1', key: 'T-1', text: 'Describe how you monitor model drift.', answerType: 'text', options: [], required: true },
    { id: 'q-CH-1', key: 'CH-1', text: 'Where is data stored?', answerType: 'choice', options: [{ label: 'United States only' }, { label: 'Elsewhere' }], required: false },
    { id: 'q-T-2', key: 'T-2', text: 'Name your security contact.', answerType: 'text', options: [], required: false },
  ],
};

function issueOf(overrides: Partial<WorkbookIssue> = {}): WorkbookIssue {
  return {
    rfpId: 'rfp-1',
    reference: 'RFP-2026-001',
    questionnaireVersion: 2,
    vendor: acme,
    issuedAt: '2026-12-01T10:00:00.000Z',
    questions: questionnaire.questions.map((q) => ({ key: q.key, text: q.text, answerType: q.answerType, options: q.options.map((o) => o.label) })),
    ...overrides,
  };
}

/** A workbook as the import reads it: each row's visible Question and Answer type cells as issued unless overridden. */
function workbook(
  issue: WorkbookIssue | null,
  answers: Array<[string, string | null, { question?: string; answerType?: string }?]>,
  overrides: Partial<ParsedVendorWorkbook> = {},
): ParsedVendorWorkbook {
  const byKey = new Map((issue?.questions ?? []).map((q) => [q.key, q]));
  return {
    reference: issue?.reference ?? questionnaire.reference,
    questionnaireVersion: issue?.questionnaireVersion ?? questionnaire.questionnaireVersion,
    vendorName: 'Acme AI, Inc.',
    rows: answers.map(([key, raw, visible], i) => {
      const issued = byKey.get(key);
      return {
        sheet: 'Sheet',
        row: i + 2,
        key,
        raw,
        question: visible?.question ?? issued?.text ?? null,
        answerType: visible?.answerType ?? (issued ? answerTypeText({ answerType: issued.answerType, options: issued.options.map((label) => ({ label })) }) : null),
      };
    }),
    keyColumnFound: true,
    stampSource: 'properties',
    signed: issue ? { issue, signature: signIssue(issue, SECRET) } : null,
    warnings: [],
    ...overrides,
  };
}

const compare = (parsed: ParsedVendorWorkbook, vendor = acme, q: ComparedQuestionnaire = questionnaire) => compareVendorAnswers(parsed, q, {}, { vendor, secret: SECRET });
const codes = (flags: Array<{ code: string }>) => flags.map((f) => f.code);

describe('the signature over what was issued', () => {
  it('verifies the record it was made for, and nothing else', () => {
    const issue = issueOf();
    const signature = signIssue(issue, SECRET);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyIssue(issue, signature, SECRET)).toBe(true);
    expect(verifyIssue(issue, signature.toUpperCase(), SECRET)).toBe(true);
    expect(verifyIssue(issue, signature, 'another-installation-secret-000000')).toBe(false);
    expect(verifyIssue(issue, 'not hex', SECRET)).toBe(false);
    const changes: Array<Partial<WorkbookIssue>> = [
      { rfpId: 'rfp-2' },
      { reference: 'RFP-2026-002' },
      { questionnaireVersion: 3 },
      { vendor: globex },
      { vendor: null },
      { issuedAt: '2026-12-01T10:00:01.000Z' },
      { questions: issue.questions.slice(1) },
      { questions: [...issue.questions].reverse() },
      { questions: issue.questions.map((q, i) => (i === 0 ? { ...q, text: `${q.text} ` } : q)) },
      { questions: issue.questions.map((q, i) => (i === 1 ? { ...q, options: ['United States only'] } : q)) },
      { questions: issue.questions.map((q, i) => (i === 1 ? { ...q, answerType: 'multi_choice' as const } : q)) },
    ];
    for (const change of changes) expect(verifyIssue({ ...issue, ...change }, signature, SECRET), JSON.stringify(change)).toBe(false);
  });

  it('does not depend on how the same characters are encoded (NFC vs NFD)', () => {
    const composed = issueOf({ questions: [{ key: 'T-1', text: 'Café résumé', answerType: 'text', options: [] }] });
    const decomposed = issueOf({ questions: [{ key: 'T-1', text: 'Café résumé'.normalize('NFD'), answerType: 'text', options: [] }] });
    expect(verifyIssue(decomposed, signIssue(composed, SECRET), SECRET)).toBe(true);
  });
});

describe('reading the signed record back', () => {
  const meta = {
    format: 'workbench-vendor-workbook-v1',
    rfpReference: 'RFP-2026-001',
    questionnaireVersion: 2,
    exportedAt: '2026-12-01T10:00:00.000Z',
    rfpId: 'rfp-1',
    issuedToVendorId: 'vendor-acme',
    issuedToVendorKey: 'acme',
    issuedToVendorName: 'Acme AI',
    signatureScheme: 'hmac-sha256-v1',
    signature: 'ab'.repeat(32),
  };
  const issued = [{ key: 'T-1', text: 'Describe how you monitor model drift.', answerType: 'text', options: '[]' }];
  const raw = (overrides: Partial<RawVendorWorkbook>): RawVendorWorkbook => ({
    properties: { subject: null, keywords: null, title: null, category: null },
    meta,
    issued,
    vendorName: null,
    rows: [],
    keyColumnFound: true,
    warnings: [],
    ...overrides,
  });

  it('rebuilds the issue from the _meta values and _issued rows', () => {
    expect(interpretRawWorkbook(raw({})).signed).toEqual({
      signature: 'ab'.repeat(32),
      issue: {
        rfpId: 'rfp-1',
        reference: 'RFP-2026-001',
        questionnaireVersion: 2,
        vendor: acme,
        issuedAt: '2026-12-01T10:00:00.000Z',
        questions: [{ key: 'T-1', text: 'Describe how you monitor model drift.', answerType: 'text', options: [] }],
      },
    });
    const { issuedToVendorId: _id, issuedToVendorKey: _key, issuedToVendorName: _name, ...blank } = meta;
    expect(interpretRawWorkbook(raw({ meta: blank })).signed?.issue?.vendor).toBeNull();
  });

  it('is unsigned without signature and record; malformed when a part is missing or broken', () => {
    const { signature: _s, signatureScheme: _scheme, ...unsigned } = meta;
    expect(interpretRawWorkbook(raw({ meta: unsigned, issued: null })).signed).toBeNull();
    expect(interpretRawWorkbook(raw({ issued: null })).signed).toEqual({ signature: 'ab'.repeat(32), issue: null });
    expect(interpretRawWorkbook(raw({ issued: [{ ...issued[0]!, options: 'not json' }] })).signed?.issue).toBeNull();
    expect(interpretRawWorkbook(raw({ issued: [{ ...issued[0]!, answerType: 'essay' }] })).signed?.issue).toBeNull();
    expect(interpretRawWorkbook(raw({ meta: { ...meta, issuedToVendorName: undefined as unknown as string } })).signed?.issue).toBeNull();
  });
});

describe('flags', () => {
  it('none for the workbook issued to this vendor, returned as issued', () => {
    const preview = compare(workbook(issueOf(), [['T-1', 'We retrain monthly.'], ['CH-1', 'Elsewhere']]));
    expect(preview).toMatchObject({ signature: 'valid', issuedTo: acme, workbookFlags: [], flagged: false, canApply: true });
    expect(preview.rows.every((r) => r.flags.length === 0)).toBe(true);
  });

  it('question text rewritten in the workbook: the row is flagged with the issued and the returned text', () => {
    const preview = compare(workbook(issueOf(), [['T-1', 'We do not.', { question: 'Describe whether you ever monitor model drift.' }], ['T-2', 'Pat']]));
    const row = preview.rows.find((r) => r.key === 'T-1')!;
    expect(row.outcome).toBe('new');
    expect(row.flags).toEqual([
      {
        code: 'question_edited',
        message: 'The question text in the workbook is not the text issued.',
        before: 'Describe how you monitor model drift.',
        after: 'Describe whether you ever monitor model drift.',
        beforeLabel: 'as issued',
        afterLabel: 'in the workbook',
      },
    ]);
    expect(preview.rows.find((r) => r.key === 'T-2')!.flags).toEqual([]);
    expect(preview).toMatchObject({ workbookFlags: [], flagged: true, canApply: true });
  });

  it('spacing alone is not an edit', () => {
    const preview = compare(workbook(issueOf(), [['T-1', 'x', { question: '  Describe how you  monitor\nmodel drift. ' }]]));
    expect(preview.flagged).toBe(false);
  });

  it('options rewritten in the workbook', () => {
    const preview = compare(workbook(issueOf(), [['CH-1', 'Elsewhere', { answerType: 'Pick one from the list:\n• United States only\n• Elsewhere\n• Anywhere' }]]));
    expect(preview.rows[0]!.flags).toMatchObject([{ code: 'options_edited', before: 'Pick one from the list:\n• United States only\n• Elsewhere', after: 'Pick one from the list:\n• United States only\n• Elsewhere\n• Anywhere' }]);
  });

  it('question or options changed in the app after the workbook was issued', () => {
    const now: ComparedQuestionnaire = {
      ...questionnaire,
      questions: questionnaire.questions.map((q) =>
        q.key === 'T-1' ? { ...q, text: 'Describe how you monitor model drift and bias.' } : q.key === 'CH-1' ? { ...q, options: [...q.options, { label: 'Canada' }] } : q,
      ),
    };
    const preview = compare(workbook(issueOf(), [['T-1', 'Monthly.'], ['CH-1', 'Elsewhere']]), acme, now);
    expect(preview.rows.find((r) => r.key === 'T-1')!.flags).toMatchObject([
      { code: 'question_changed_since_issue', before: 'Describe how you monitor model drift.', after: 'Describe how you monitor model drift and bias.', afterLabel: 'the questionnaire now' },
    ]);
    expect(codes(preview.rows.find((r) => r.key === 'CH-1')!.flags)).toEqual(['options_changed_since_issue']);
  });

  it('a row the issued workbook did not have', () => {
    const issue = issueOf({ questions: issueOf().questions.filter((q) => q.key !== 'T-2') });
    const preview = compare(workbook(issue, [['T-1', 'x'], ['T-2', 'added by hand']]));
    expect(preview.rows.find((r) => r.key === 'T-2')!.flags).toMatchObject([{ code: 'not_issued' }]);
  });

  it('issued to another vendor, for another RFP, for another questionnaire version', () => {
    expect(codes(compare(workbook(issueOf(), [['T-1', 'x']]), globex).workbookFlags)).toEqual(['other_vendor']);
    expect(compare(workbook(issueOf(), [['T-1', 'x']]), globex).workbookFlags[0]!.message).toBe(
      'This workbook was issued to Acme AI (acme), not to Globex. Check that you are on the right vendor’s page.',
    );
    const otherRfp = compare(workbook(issueOf({ rfpId: 'rfp-9', reference: 'RFP-2026-009' }), [['T-1', 'x']]));
    expect(otherRfp.workbookFlags).toMatchObject([{ code: 'other_rfp', message: expect.stringContaining('was issued for RFP-2026-009, not RFP-2026-001') }]);
    // Same reference, another RFP (e.g. another installation's): still another RFP.
    expect(codes(compare(workbook(issueOf({ rfpId: 'rfp-9' }), [['T-1', 'x']])).workbookFlags)).toEqual(['other_rfp']);
    const outdated = compare(workbook(issueOf({ questionnaireVersion: 1 }), [['T-1', 'x']]));
    expect(outdated.workbookFlags).toMatchObject([{ code: 'other_version', message: expect.stringMatching(/^This workbook is for questionnaire version 1; the current version is 2/) }]);
    expect(outdated).toMatchObject({ flagged: true, canApply: true });
  });

  it('a blank workbook is not flagged on any vendor’s page; the preview says it was issued blank', () => {
    const preview = compare(workbook(issueOf({ vendor: null }), [['T-1', 'x']]), globex);
    expect(preview).toMatchObject({ signature: 'valid', issuedTo: null, workbookFlags: [], flagged: false });
    expect(preview.warnings).toEqual(['This workbook was issued blank, to no particular vendor; the vendor name typed in it is “Acme AI, Inc.”. Check that it came from Globex.']);
  });

  it('a record changed after signing: bad signature, and rows compared with the questionnaire instead', () => {
    const issue = issueOf();
    const parsed = workbook(issue, [['T-1', 'x', { question: 'Say anything.' }]]);
    const tampered = { ...issue, questions: issue.questions.map((q) => (q.key === 'T-1' ? { ...q, text: 'Say anything.' } : q)) };
    const preview = compare({ ...parsed, signed: { issue: tampered, signature: parsed.signed!.signature } });
    expect(preview).toMatchObject({ signature: 'invalid', issuedTo: null });
    expect(codes(preview.workbookFlags)).toEqual(['bad_signature']);
    expect(preview.rows[0]!.flags).toMatchObject([
      { code: 'question_edited', message: 'The question text in the workbook differs from the questionnaire.', before: 'Describe how you monitor model drift.', after: 'Say anything.', beforeLabel: 'the questionnaire now' },
    ]);
    // Signed by another installation: the same.
    expect(codes(compareVendorAnswers(workbook(issue, [['T-1', 'x']]), questionnaire, {}, { vendor: acme, secret: 'another-installation-secret-000000' }).workbookFlags)).toEqual(['bad_signature']);
    // What an unverified record claims about the vendor is still shown.
    expect(codes(compare({ ...parsed, signed: { issue: tampered, signature: parsed.signed!.signature } }, globex).workbookFlags)).toEqual(['bad_signature', 'other_vendor']);
  });

  it('a workbook from before signing: unsigned, and its visible questions compared with the questionnaire', () => {
    const preview = compare(workbook(null, [['T-1', 'x', { question: 'Describe how you monitor drift.' }], ['CH-1', 'Elsewhere']]));
    expect(codes(preview.workbookFlags)).toEqual(['unsigned']);
    expect(codes(preview.rows[0]!.flags)).toEqual(['question_edited']);
    // Without a signed record, a missing Question or Answer type column is nothing to compare (hand-made workbooks).
    expect(preview.rows[1]!.flags).toEqual([]);
  });

  it('the digest changes with the flags, so an acceptance cannot carry over to other flags', () => {
    const a = compare(workbook(issueOf(), [['T-1', 'x', { question: 'One.' }]]));
    const b = compare(workbook(issueOf(), [['T-1', 'x', { question: 'Two.' }]]));
    const c = compare(workbook(issueOf(), [['T-1', 'y', { question: 'One.' }]]));
    expect(a.flagsDigest).not.toBe(b.flagsDigest);
    expect(a.flagsDigest).toBe(c.flagsDigest);
  });
});

describe('wordDiff', () => {
  it('marks removed and added words, and both texts can be read back from the parts', () => {
    const before = 'Describe how you monitor model drift.';
    const after = 'Describe whether you ever monitor model drift.';
    const parts = wordDiff(before, after);
    expect(parts).toEqual([
      { kind: 'same', text: 'Describe ' },
      { kind: 'removed', text: 'how' },
      { kind: 'added', text: 'whether' },
      { kind: 'same', text: ' you' },
      { kind: 'added', text: ' ever' },
      { kind: 'same', text: ' monitor model drift.' },
    ]);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(before);
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(after);
  });

  it('keeps markup as text and copes with empty and very long texts', () => {
    expect(wordDiff('', '<b>x</b>')).toEqual([{ kind: 'added', text: '<b>x</b>' }]);
    expect(wordDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
    const long = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const parts = wordDiff(long, `${long.replace('w1 ', 'x1 ')}`);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(long);
  });
});
