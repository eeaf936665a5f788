/**
 * The portable RFP file (DESIGN §9): what `workbench rfp export --format json` writes and `rfp import` reads.
 * Versioned; every file is validated against this schema before it is written or loaded.
 *
 * Version 1. Fields marked optional were added after the first files were written and are still optional, so an
 * older version-1 file stays valid: `criterion.description`, `evaluators[].sections | assigned | recusalReasons |
 * coiStatement | coiStatementSha256 | attestedAt`, `scores[].updatedAt`, `consensus[].decidedBy | decidedAt`,
 * `scoresheets`, `members`, `auditChain`, `confidentiality` (absent: a file from before it, which carried everything).
 *
 * Besides the shape, the schema checks that the file is consistent with itself (every vendor, question, criterion,
 * section and evaluator a part names is defined in the file, keys are unique), so an import can refuse a bad file
 * with the JSON path of the first problem before it writes anything.
 */
import { z } from 'zod';

const isoTimestamp = z.iso.datetime({ offset: true });
const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const portableRubricLevelSchema = z.object({ level: z.number(), anchor: z.string() });

export const portableQuestionSchema = z.object({
  key: z.string().min(1),
  text: z.string(),
  guidance: z.string().nullable().optional(),
  strongAnswer: z.string().nullable().optional(),
  answerType: z.enum(['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment']),
  options: z.array(z.object({ label: z.string(), autoScore: z.number().min(0).max(1).nullable().optional() })),
  required: z.boolean(),
  references: z.array(z.string()),
});

export const portableCriterionSchema = z.object({
  key: z.string().min(1),
  title: z.string(),
  description: z.string().nullable().optional(),
  kind: z.enum(['scored', 'pass_fail', 'price', 'info']),
  points: z.number().min(0),
  rubric: z.array(portableRubricLevelSchema),
  questions: z.array(portableQuestionSchema),
});

/** An answer as the `answer` table holds it: text / yes_no / choice as a string, multi_choice as strings, a number, or null. */
export const portableAnswerValueSchema = z.union([z.string(), z.number(), z.array(z.string()), z.null()], {
  error: 'must be a string, a number, a list of strings or null',
});

/** `none`, `declared` or `declared: <details>`; null while the evaluator has not attested (pending). */
export const portableCoiSchema = z
  .string()
  .regex(/^(none|declared(: [\s\S]*)?)$/, 'must be "none", "declared" or "declared: <details>" (null while pending)')
  .nullable();

const portableEvaluatorSchema = z.object({
  email,
  name: z.string(),
  coi: portableCoiSchema,
  recusedFrom: z.array(z.string()),
  /** Section keys the evaluator scores; null (or absent) for the whole RFP. */
  sections: z.array(z.string()).nullable().optional(),
  /** False for an evaluator member without an assignment (absent: assigned). */
  assigned: z.boolean().optional(),
  /** Vendor key → the reason recorded with the recusal. */
  recusalReasons: z.record(z.string(), z.string()).optional(),
  coiStatement: z.string().nullable().optional(),
  coiStatementSha256: z.string().nullable().optional(),
  attestedAt: isoTimestamp.nullable().optional(),
});

const portableFileShape = z.object({
  format: z.literal('ai-vendor-workbench/rfp'),
  version: z.literal(1),
  exportedAt: isoTimestamp.optional(),
  rfp: z.object({
    reference: z.string().min(1),
    title: z.string(),
    department: z.string(),
    summary: z.string().optional(),
    status: z.enum(['draft', 'open', 'evaluation', 'consensus', 'closed']),
    settings: z.object({
      scaleMax: z.number().int().positive(),
      aggregation: z.enum(['mean', 'median']),
      divergenceThreshold: z.number().min(0).max(1),
      priceFormula: z.enum(['ratio', 'linear']),
      totalPoints: z.number().positive().optional(),
      allowHalfPoints: z.boolean().optional(),
      /** Price-blind technical scoring (absent in files written before 2026-12-02: off). */
      priceBlind: z.boolean().optional(),
    }),
    riskTier: z.string().nullable(),
    riskIntake: z.record(z.string(), z.string()).nullable().optional(),
    questionnaireVersion: z.number().int().positive().optional(),
    /** Deadlines: ISO 8601 with the exporting installation's offset (`2026-03-01T23:59:59.999-08:00`); any offset is read. */
    qaDueAt: isoTimestamp.nullable().optional(),
    proposalsDueAt: isoTimestamp.nullable().optional(),
    evaluationDueAt: isoTimestamp.nullable().optional(),
  }),
  sections: z.array(z.object({ key: z.string().min(1), title: z.string(), criteria: z.array(portableCriterionSchema) })),
  vendors: z.array(z.object({ key: z.string().min(1), name: z.string(), website: z.string().nullable().optional() })),
  submissions: z.array(
    z.object({
      vendor: z.string(),
      status: z.enum(['expected', 'received', 'responsive', 'non_responsive', 'withdrawn']),
      statusReason: z.string().nullable().optional(),
      receivedAt: isoTimestamp.nullable().optional(),
      /** Dollars for the contract term, more than 0; the same value as the answer to the price question when there is one. */
      price: z.number().positive('must be more than 0 (a price of 0 or less is an input error, never a bid)').nullable(),
      /** Question key → value, in questionnaire order. */
      answers: z.record(z.string(), portableAnswerValueSchema),
    }),
  ),
  evaluators: z.array(portableEvaluatorSchema),
  scores: z.array(
    z.object({
      evaluator: email,
      vendor: z.string(),
      criterion: z.string(),
      value: z.number(),
      rationale: z.string(),
      submitted: z.boolean(),
      updatedAt: isoTimestamp.optional(),
    }),
  ),
  consensus: z.array(
    z.object({
      vendor: z.string(),
      criterion: z.string(),
      value: z.number(),
      rationale: z.string(),
      decidedBy: email.nullable().optional(),
      decidedAt: isoTimestamp.optional(),
    }),
  ),
  /** Every scoresheet (evaluator × vendor), also those with no score yet. Absent: derived from `scores[].submitted`. */
  scoresheets: z
    .array(
      z.object({
        evaluator: email,
        vendor: z.string(),
        status: z.enum(['in_progress', 'submitted']),
        submittedAt: isoTimestamp.nullable().optional(),
      }),
    )
    .optional(),
  /** Leads and observers (evaluators are in `evaluators`; someone in both is a member in the role named here). */
  members: z.array(z.object({ email, name: z.string(), role: z.enum(['lead', 'observer']) })).optional(),
  results: z.object({
    final: z.boolean(),
    ranking: z.array(
      z.object({
        vendor: z.string(),
        rank: z.number().int().positive().nullable(),
        qualified: z.boolean(),
        disqualifiedBecause: z.string().nullable(),
        total: z.number().nullable(),
        sections: z.record(z.string(), z.number().nullable()),
      }),
    ),
  }),
  /**
   * What of the panel's individual scores the file carries (app/confidentiality/panel.ts decides, for its recipient):
   * `complete` false when some were withheld (counted in `withheld`; redacted audit entries keep who, when and which
   * score, with a `withheld` field instead of the value and rationale); `containsSealedScores` when it holds scores or
   * rationales of an RFP that has not reached consensus, which nobody but their author may read yet.
   */
  confidentiality: z
    .object({
      complete: z.boolean(),
      withheld: z.object({ scores: z.number().int().min(0), consensus: z.number().int().min(0), auditEntries: z.number().int().min(0) }),
      containsSealedScores: z.boolean(),
      notice: z.string(),
    })
    .optional(),
  audit: z.array(
    z.object({
      at: isoTimestamp,
      actor: z.string().nullable(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string().nullable().optional(),
      before: z.unknown(),
      after: z.unknown(),
      reason: z.string().nullable(),
    }),
  ),
  /**
   * The head of the RFP's audit chain in the exporting installation when the file was written (db/audit-chain.ts):
   * `workbench audit verify <ref> --head <hash>` there proves later that the log was not rewritten since.
   * `count`: events in the chain (the `audit` list above is what this file shows of them).
   */
  auditChain: z
    .object({
      head: z.object({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'), at: isoTimestamp }).nullable(),
      count: z.number().int().min(0),
    })
    .optional(),
});

type PortableFileShape = z.infer<typeof portableFileShape>;
type Issue = { message: string; path: PropertyKey[] };

/** The cross-references of a file that has the right shape: every problem with its path. */
export function findPortableReferenceProblems(file: PortableFileShape): Issue[] {
  const issues: Issue[] = [];
  const problem = (path: PropertyKey[], message: string) => issues.push({ path, message });
  // Keys are compared exactly (as the database's unique constraints do); emails case-insensitively (as accounts are).
  const person = (e: string) => e.toLowerCase();

  const uniqueKeys = (what: string, entries: Array<{ key: string; path: PropertyKey[] }>) => {
    const seen = new Set<string>();
    for (const { key, path } of entries) {
      if (seen.has(key)) problem(path, `${what} key ${key} is used twice`);
      seen.add(key);
    }
    return seen;
  };
  const sectionKeys = uniqueKeys(
    'section',
    file.sections.map((s, i) => ({ key: s.key, path: ['sections', i, 'key'] })),
  );
  const criteria = file.sections.flatMap((s, si) => s.criteria.map((c, ci) => ({ c, path: ['sections', si, 'criteria', ci] as PropertyKey[] })));
  const criterionKeys = uniqueKeys(
    'criterion',
    criteria.map(({ c, path }) => ({ key: c.key, path: [...path, 'key'] })),
  );
  const questionKeys = uniqueKeys(
    'question',
    criteria.flatMap(({ c, path }) => c.questions.map((q, qi) => ({ key: q.key, path: [...path, 'questions', qi, 'key'] }))),
  );
  const vendorKeys = uniqueKeys(
    'vendor',
    file.vendors.map((v, i) => ({ key: v.key, path: ['vendors', i, 'key'] })),
  );

  // The price question (first number question of the first price criterion): its answer and the price are one value.
  const priceQuestion = criteria.filter(({ c }) => c.kind === 'price').flatMap(({ c }) => c.questions.filter((q) => q.answerType === 'number'))[0]?.key;
  const submitted = new Set<string>();
  file.submissions.forEach((s, i) => {
    const priceAnswer = priceQuestion === undefined ? null : (s.answers[priceQuestion] ?? null);
    if (priceAnswer !== null && (typeof priceAnswer !== 'number' || !(priceAnswer > 0))) {
      problem(['submissions', i, 'answers', priceQuestion!], `the answer to the price question ${priceQuestion} must be a number more than 0`);
    } else if (priceAnswer !== null && priceAnswer !== s.price) {
      problem(['submissions', i, 'price'], `is ${s.price ?? 'null'}, but the answer to the price question ${priceQuestion} is ${priceAnswer}: they are one value, so make them equal`);
    }
    if (!vendorKeys.has(s.vendor)) problem(['submissions', i, 'vendor'], `names vendor ${s.vendor}, which is not in "vendors"`);
    if (submitted.has(s.vendor)) problem(['submissions', i, 'vendor'], `vendor ${s.vendor} has two submissions`);
    submitted.add(s.vendor);
    for (const key of Object.keys(s.answers)) {
      if (!questionKeys.has(key)) problem(['submissions', i, 'answers', key], `answers question ${key}, which is not in the questionnaire`);
    }
  });

  const evaluators = new Set<string>();
  file.evaluators.forEach((e, i) => {
    if (evaluators.has(person(e.email))) problem(['evaluators', i, 'email'], `evaluator ${e.email} is listed twice`);
    evaluators.add(person(e.email));
    e.recusedFrom.forEach((v, j) => {
      if (!submitted.has(v)) problem(['evaluators', i, 'recusedFrom', j], `names vendor ${v}, which has no submission in the file`);
    });
    for (const v of Object.keys(e.recusalReasons ?? {})) {
      if (!e.recusedFrom.includes(v)) problem(['evaluators', i, 'recusalReasons', v], `vendor ${v} is not in "recusedFrom"`);
    }
    (e.sections ?? []).forEach((key, j) => {
      if (!sectionKeys.has(key)) problem(['evaluators', i, 'sections', j], `names section ${key}, which is not in the questionnaire`);
    });
    if (e.assigned === false && (e.coi !== null || (e.sections ?? null) !== null)) {
      problem(['evaluators', i, 'assigned'], 'an evaluator who is not assigned has no conflict-of-interest attestation and no sections');
    }
  });
  const members = new Set<string>();
  (file.members ?? []).forEach((m, i) => {
    // A lead may also be an evaluator (assigned); the membership role is the one named here.
    if (members.has(person(m.email))) problem(['members', i, 'email'], `${m.email} is listed twice`);
    members.add(person(m.email));
  });

  const unique = (what: string, entries: Array<{ key: string; path: PropertyKey[] }>) => {
    const seen = new Set<string>();
    for (const { key, path } of entries) {
      if (seen.has(key)) problem(path, `a second ${what} for the same ${what === 'consensus score' ? 'vendor and criterion' : what === 'score' ? 'evaluator, vendor and criterion' : 'evaluator and vendor'}`);
      seen.add(key);
    }
  };
  const checkRefs = (path: PropertyKey[], refs: { evaluator?: string; vendor: string; criterion?: string }) => {
    if (refs.evaluator !== undefined && !evaluators.has(person(refs.evaluator))) problem([...path, 'evaluator'], `names evaluator ${refs.evaluator}, who is not in "evaluators"`);
    if (!submitted.has(refs.vendor)) problem([...path, 'vendor'], `names vendor ${refs.vendor}, which has no submission in the file`);
    if (refs.criterion !== undefined && !criterionKeys.has(refs.criterion)) problem([...path, 'criterion'], `names criterion ${refs.criterion}, which is not in the questionnaire`);
  };
  const sheetKey = (s: { evaluator: string; vendor: string }) => `${person(s.evaluator)}|${s.vendor}`;
  file.scores.forEach((s, i) => checkRefs(['scores', i], s));
  unique(
    'score',
    file.scores.map((s, i) => ({ key: `${sheetKey(s)}|${s.criterion}`, path: ['scores', i] })),
  );
  file.consensus.forEach((c, i) => checkRefs(['consensus', i], c));
  unique(
    'consensus score',
    file.consensus.map((c, i) => ({ key: `${c.vendor}|${c.criterion}`, path: ['consensus', i] })),
  );

  // A score is "submitted" exactly when its scoresheet is; one sheet per evaluator × vendor.
  const sheetSubmitted = new Map<string, boolean>();
  if (file.scoresheets) {
    file.scoresheets.forEach((s, i) => checkRefs(['scoresheets', i], s));
    unique(
      'scoresheet',
      file.scoresheets.map((s, i) => ({ key: sheetKey(s), path: ['scoresheets', i] })),
    );
    for (const s of file.scoresheets) sheetSubmitted.set(sheetKey(s), s.status === 'submitted');
    file.scores.forEach((s, i) => {
      const sheet = sheetSubmitted.get(sheetKey(s)) ?? false;
      if (sheet !== s.submitted) problem(['scores', i, 'submitted'], `is ${s.submitted}, but the scoresheet of ${s.evaluator} for ${s.vendor} ${sheet ? 'is submitted' : 'is not'}`);
    });
  } else {
    file.scores.forEach((s, i) => {
      const sheet = sheetSubmitted.get(sheetKey(s));
      if (sheet !== undefined && sheet !== s.submitted) problem(['scores', i, 'submitted'], `disagrees with another score of ${s.evaluator} for ${s.vendor}`);
      sheetSubmitted.set(sheetKey(s), s.submitted);
    });
  }
  return issues;
}

export const portableRfpFileSchema = portableFileShape.superRefine((file, ctx) => {
  for (const issue of findPortableReferenceProblems(file)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

export type PortableRfpFile = z.infer<typeof portableRfpFileSchema>;
export type PortableEvaluator = PortableRfpFile['evaluators'][number];
export type PortableConfidentiality = NonNullable<PortableRfpFile['confidentiality']>;

/** A JSON path as a reader would type it: `$.submissions[2].answers["RAI-07"]`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** One line for a failed validation: the first problem with its JSON path, and how many more there are. */
export function describePortableError(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'The file is not a valid portable RFP file.';
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  return `${formatJsonPath(first.path)}: ${first.message}${more}`;
}
