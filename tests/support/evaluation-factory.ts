/**
 * Test-data factory: inserts a complete evaluation straight into a test database — users, an RFP in any status,
 * sections and criteria, vendors and submissions (with prices and statuses), members, assignments, recusals,
 * scoresheets, scores with rationales and consensus scores. No audit events, no lifecycle checks: it writes the
 * state a finished (or half-finished) evaluation leaves behind, so results views can be tested on it.
 *
 * `createEvaluation(db)` with no spec gives {@link DEFAULT_EVALUATION}: four vendors (one fails a knock-out
 * unanimously, one has a split knock-out settled by consensus), one withdrawn, three evaluators (one recused from a
 * vendor), two divergent criteria settled by consensus, every scoresheet submitted, status `consensus`.
 * `syntheticEvaluationSpec(size, seed)` gives large seeded evaluations for benchmarks.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { newId, nowIso } from '#db/ids';
import type { CriterionKind, Database, GlobalRole, RfpStatus, SubmissionStatus } from '#db/schema';
import { mulberry32 } from '#scoring/index';

type Executor = Kysely<Database> | Transaction<Database>;

export interface CriterionSpec {
  key: string;
  title: string;
  kind: CriterionKind;
  points: number;
}

export interface SectionSpec {
  key: string;
  title: string;
  criteria: CriterionSpec[];
}

export interface VendorSpec {
  /** Vendor registry key; default: the name as a slug plus a suffix unique to this evaluation. */
  key?: string;
  name: string;
  price?: number | null;
  status?: SubmissionStatus;
  statusReason?: string | null;
}

export interface PersonSpec {
  name: string;
  /** Default: made from the name, unique to this evaluation. */
  email?: string;
  /** Use an existing user instead of creating one. */
  userId?: string;
  role?: GlobalRole;
}

/** Where a score is asked for: indices into the spec's lists, and the criterion itself. */
export interface ScoreContext {
  vendor: number;
  vendorName: string;
  evaluator: number;
  criterion: CriterionSpec;
  /** Index of the criterion over all sections, in order. */
  criterionIndex: number;
  section: number;
}

export interface EvaluationSpec {
  reference?: string;
  title?: string;
  status?: RfpStatus;
  scaleMax?: number;
  aggregation?: 'mean' | 'median';
  divergenceThreshold?: number;
  priceFormula?: 'ratio' | 'linear';
  totalPoints?: number;
  allowHalfPoints?: boolean;
  sections: SectionSpec[];
  vendors: VendorSpec[];
  lead?: PersonSpec;
  evaluators: PersonSpec[];
  observers?: PersonSpec[];
  /** Evaluator index → vendor indices they are recused from. */
  recusals?: Record<number, number[]>;
  /** A score for a scored / pass_fail criterion (1 pass, 0 fail); `null` = not scored. Recused pairs are never asked. */
  score: (ctx: ScoreContext) => number | null;
  rationale?: (ctx: ScoreContext, value: number) => string;
  /** Scoresheet status per evaluator × vendor; `null` = no sheet row. Default: submitted. */
  sheet?: (evaluator: number, vendor: number) => 'submitted' | 'in_progress' | null;
  consensus?: Array<{ vendor: number; criterion: string; value: number; rationale: string }>;
  /** Password hash for created users (default: a value no password matches). */
  passwordHash?: string;
}

export interface CreatedPerson {
  id: string;
  email: string;
  name: string;
}

export interface CreatedEvaluation {
  rfpId: string;
  reference: string;
  lead: CreatedPerson;
  evaluators: CreatedPerson[];
  observers: CreatedPerson[];
  sections: Array<{ id: string; key: string; title: string }>;
  criteria: Array<{ id: string; key: string; title: string; kind: CriterionKind; points: number; sectionId: string }>;
  vendors: Array<{ id: string; key: string; name: string; submissionId: string; status: SubmissionStatus; price: number | null }>;
  scoreCount: number;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
}

async function insertChunked<T extends keyof Database & string>(db: Executor, table: T, rows: unknown[], columns: number): Promise<void> {
  // Stay well under SQLite's and PostgreSQL's bound-parameter limits.
  const size = Math.max(1, Math.floor(5000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

/** Inserts the evaluation `spec` describes (default {@link DEFAULT_EVALUATION}) and returns the rows it made. */
export async function createEvaluation(db: Executor, spec: EvaluationSpec = DEFAULT_EVALUATION): Promise<CreatedEvaluation> {
  const suffix = randomBytes(3).toString('hex');
  const now = nowIso();
  const passwordHash = spec.passwordHash ?? '!no-password';
  const S = spec.scaleMax ?? 5;

  const users: Array<Record<string, unknown>> = [];
  const person = (p: PersonSpec, role: GlobalRole): CreatedPerson => {
    if (p.userId) return { id: p.userId, email: p.email ?? '', name: p.name };
    const created = { id: newId(), email: (p.email ?? `${slug(p.name)}.${suffix}@city.example`).toLowerCase(), name: p.name };
    users.push({ ...created, role: p.role ?? role, password_hash: passwordHash, disabled: 0, created_at: now, updated_at: now });
    return created;
  };
  const lead = person(spec.lead ?? { name: 'Lena Lead' }, 'officer');
  const evaluators = spec.evaluators.map((e) => person(e, 'evaluator'));
  const observers = (spec.observers ?? [{ name: 'Omar Observer' }]).map((o) => person(o, 'viewer'));
  await insertChunked(db, 'app_user', users, 8);

  const rfpId = newId();
  const reference = spec.reference ?? `EVAL-${suffix.toUpperCase()}`;
  await db
    .insertInto('rfp')
    .values({
      id: rfpId,
      reference,
      title: spec.title ?? 'Generative AI assistant for 311 service requests',
      department: 'Department of Customer Service (311)',
      summary: 'A conversational assistant that answers residents’ questions and files 311 service requests.',
      status: spec.status ?? 'consensus',
      scale_max: S,
      aggregation: spec.aggregation ?? 'mean',
      divergence_threshold: spec.divergenceThreshold ?? 0.3,
      price_formula: spec.priceFormula ?? 'ratio',
      total_points: spec.totalPoints ?? 100,
      allow_half_points: spec.allowHalfPoints ? 1 : 0,
      risk_tier: 'II',
      proposals_due_at: '2026-12-15T22:00:00.000Z',
      evaluation_due_at: '2027-01-22T22:00:00.000Z',
      created_by: lead.id,
      created_at: now,
      updated_at: now,
      risk_intake_json: null,
      questionnaire_version: 1,
    })
    .execute();

  const members = [
    { rfp_id: rfpId, user_id: lead.id, role: 'lead' as const, added_by: null, added_at: now },
    ...evaluators.map((e) => ({ rfp_id: rfpId, user_id: e.id, role: 'evaluator' as const, added_by: lead.id, added_at: now })),
    ...observers.map((o) => ({ rfp_id: rfpId, user_id: o.id, role: 'observer' as const, added_by: lead.id, added_at: now })),
  ];
  await insertChunked(db, 'rfp_member', members, 5);

  const sections: CreatedEvaluation['sections'] = [];
  const criteria: CreatedEvaluation['criteria'] = [];
  const sectionRows: unknown[] = [];
  const criterionRows: unknown[] = [];
  const rubric = JSON.stringify(Array.from({ length: S + 1 }, (_, level) => ({ level, anchor: `Level ${level} evidence` })));
  spec.sections.forEach((s, si) => {
    const id = newId();
    sections.push({ id, key: s.key, title: s.title });
    sectionRows.push({ id, rfp_id: rfpId, key: s.key, title: s.title, position: si, created_at: now });
    s.criteria.forEach((c, ci) => {
      const cid = newId();
      criteria.push({ id: cid, key: c.key, title: c.title, kind: c.kind, points: c.points, sectionId: id });
      criterionRows.push({
        id: cid,
        rfp_id: rfpId,
        section_id: id,
        key: c.key,
        title: c.title,
        description: null,
        kind: c.kind,
        points: c.points,
        rubric_json: c.kind === 'scored' ? rubric : '[]',
        position: ci,
        created_at: now,
      });
    });
  });
  await insertChunked(db, 'section', sectionRows, 6);
  await insertChunked(db, 'criterion', criterionRows, 11);

  const vendors: CreatedEvaluation['vendors'] = [];
  const vendorRows: unknown[] = [];
  const submissionRows: unknown[] = [];
  for (const v of spec.vendors) {
    const id = newId();
    const submissionId = newId();
    const key = v.key ?? `${slug(v.name)}-${suffix}`;
    const status = v.status ?? 'responsive';
    const price = v.price === undefined ? 500_000 : v.price;
    vendors.push({ id, key, name: v.name, submissionId, status, price });
    vendorRows.push({ id, key, name: v.name, website: null, contact_name: null, contact_email: null, created_at: now });
    submissionRows.push({
      id: submissionId,
      rfp_id: rfpId,
      vendor_id: id,
      status,
      status_reason: v.statusReason ?? null,
      received_at: '2026-12-14T17:00:00.000Z',
      price,
      created_at: now,
    });
  }
  await insertChunked(db, 'vendor', vendorRows, 7);
  await insertChunked(db, 'submission', submissionRows, 8);

  await insertChunked(
    db,
    'assignment',
    evaluators.map((e) => ({
      rfp_id: rfpId,
      user_id: e.id,
      section_ids_json: null,
      coi_status: spec.recusals?.[evaluators.indexOf(e)]?.length ? 'declared' : 'none',
      coi_statement: 'I have no conflict of interest other than those declared.',
      coi_statement_sha256: null,
      coi_details: spec.recusals?.[evaluators.indexOf(e)]?.length ? 'Former employee of a bidder.' : null,
      attested_at: now,
      assigned_by: lead.id,
      assigned_at: now,
    })),
    11,
  );
  const recused = new Set<string>();
  const recusalRows: unknown[] = [];
  for (const [e, list] of Object.entries(spec.recusals ?? {})) {
    for (const v of list) {
      recused.add(`${e}|${v}`);
      const evaluator = evaluators[Number(e)];
      const vendor = vendors[v];
      if (!evaluator || !vendor) throw new Error(`Recusal of evaluator ${e} from vendor ${v}: no such evaluator or vendor.`);
      recusalRows.push({ rfp_id: rfpId, user_id: evaluator.id, vendor_id: vendor.id, reason: 'Former employee of this vendor.', created_at: now });
    }
  }
  await insertChunked(db, 'recusal', recusalRows, 5);

  const sheetRows: unknown[] = [];
  const scoreRows: unknown[] = [];
  const allCriteria = spec.sections.flatMap((s, section) => s.criteria.map((criterion) => ({ criterion, section })));
  const rationale = spec.rationale ?? defaultRationale;
  evaluators.forEach((evaluator, e) => {
    vendors.forEach((vendor, v) => {
      if (recused.has(`${e}|${v}`)) return;
      const status = spec.sheet ? spec.sheet(e, v) : 'submitted';
      if (status !== null) {
        sheetRows.push({
          rfp_id: rfpId,
          submission_id: vendor.submissionId,
          evaluator_id: evaluator.id,
          status,
          submitted_at: status === 'submitted' ? now : null,
          updated_at: now,
        });
      }
      allCriteria.forEach(({ criterion, section }, ci) => {
        if (criterion.kind !== 'scored' && criterion.kind !== 'pass_fail') return;
        const ctx: ScoreContext = { vendor: v, vendorName: vendor.name, evaluator: e, criterion, criterionIndex: ci, section };
        const value = spec.score(ctx);
        if (value === null) return;
        scoreRows.push({
          id: newId(),
          rfp_id: rfpId,
          submission_id: vendor.submissionId,
          criterion_id: (criteria[ci] as { id: string }).id,
          evaluator_id: evaluator.id,
          value,
          rationale: rationale(ctx, value),
          version: 1,
          created_at: now,
          updated_at: now,
        });
      });
    });
  });
  await insertChunked(db, 'scoresheet', sheetRows, 6);
  await insertChunked(db, 'score', scoreRows, 10);

  const consensusRows = (spec.consensus ?? []).map((k) => {
    const vendor = vendors[k.vendor];
    const criterion = criteria.find((c) => c.key === k.criterion);
    if (!vendor || !criterion) throw new Error(`Consensus on vendor ${k.vendor} × ${k.criterion}: no such vendor or criterion.`);
    return {
      id: newId(),
      rfp_id: rfpId,
      submission_id: vendor.submissionId,
      criterion_id: criterion.id,
      value: k.value,
      rationale: k.rationale,
      decided_by: lead.id,
      decided_at: now,
    };
  });
  await insertChunked(db, 'consensus_score', consensusRows, 8);

  return { rfpId, reference, lead, evaluators, observers, sections, criteria, vendors, scoreCount: scoreRows.length };
}

function defaultRationale(ctx: ScoreContext, value: number): string {
  if (ctx.criterion.kind === 'pass_fail') {
    return value === 1 ? `${ctx.vendorName} meets “${ctx.criterion.title}”: the response commits to it in the contract terms.` : `${ctx.vendorName} does not meet “${ctx.criterion.title}”: the response reserves the right it must give up.`;
  }
  return `${ctx.vendorName} shows level ${value} evidence for “${ctx.criterion.title}”, judged against the rubric anchors.`;
}

// ---------------------------------------------------------------------------------------------------------------
// The default evaluation: a small, readable 311 assistant procurement.
// ---------------------------------------------------------------------------------------------------------------

const DEFAULT_SECTIONS: SectionSpec[] = [
  {
    key: 'knock-outs',
    title: 'Knock-out requirements',
    criteria: [
      { key: 'KO-PROHIB', title: 'No prohibited AI practices', kind: 'pass_fail', points: 0 },
      { key: 'KO-NOTRAIN', title: 'No training on the city’s data', kind: 'pass_fail', points: 0 },
    ],
  },
  {
    key: 'responsible-ai',
    title: 'Responsible AI',
    criteria: [
      { key: 'RAI-GOV', title: 'AI governance and accountability', kind: 'scored', points: 10 },
      { key: 'RAI-MEAS', title: 'Bias and performance testing', kind: 'scored', points: 10 },
      { key: 'RAI-OVERSIGHT', title: 'Human oversight and hand-over', kind: 'scored', points: 5 },
    ],
  },
  {
    key: 'security-privacy',
    title: 'Security and privacy',
    criteria: [
      { key: 'SEC-DATA', title: 'Data protection', kind: 'scored', points: 10 },
      { key: 'SEC-AI', title: 'AI-specific threats', kind: 'scored', points: 5 },
      { key: 'PRIV-MIN', title: 'Data minimisation', kind: 'scored', points: 5 },
    ],
  },
  {
    key: 'accessibility',
    title: 'Accessibility and language access',
    criteria: [
      { key: 'ACC-A11Y', title: 'Section 508 conformance', kind: 'scored', points: 10 },
      { key: 'ACC-LANG', title: 'Language access', kind: 'scored', points: 10 },
    ],
  },
  {
    key: 'cost',
    title: 'Cost and sustainment',
    criteria: [
      { key: 'COST-PRICE', title: 'Price for the contract term', kind: 'price', points: 25 },
      { key: 'COST-SUPPORT', title: 'Support and sustainment', kind: 'scored', points: 10 },
      { key: 'COST-INFO', title: 'Hosting location (information only)', kind: 'info', points: 0 },
    ],
  },
];

/** Base quality per vendor (rows) per scored criterion (columns, in DEFAULT_SECTIONS order) on 0..5. */
const DEFAULT_QUALITY: Record<string, number[]> = {
  //                      GOV MEAS OVS DATA AI MIN A11Y LANG SUP
  'Civic Answers Inc.': [4, 4, 5, 4, 4, 4, 5, 4, 4],
  'QuickServe AI': [3, 3, 4, 4, 3, 4, 3, 3, 4],
  'BudgetBot LLC': [2, 2, 2, 3, 2, 3, 2, 2, 3],
  'OmniSight Analytics': [3, 3, 3, 3, 4, 3, 4, 4, 3],
};

/** Evaluator × vendor × criterion key → score, where an evaluator differs from the base quality on purpose. */
const DEFAULT_OVERRIDES: Record<string, number> = {
  // Divergent: the panel split on OmniSight's bias testing (1 / 3 / 5) — settled by consensus at 3.
  '0|3|RAI-MEAS': 1,
  '1|3|RAI-MEAS': 3,
  '2|3|RAI-MEAS': 5,
  // Divergent: Civic Answers' language access (2 / 5 / 5) — settled by consensus at 4.
  '0|0|ACC-LANG': 2,
  '1|0|ACC-LANG': 5,
  '2|0|ACC-LANG': 5,
  // Ordinary differences of one point.
  '1|1|RAI-GOV': 4,
  '2|2|SEC-DATA': 2,
  '0|1|ACC-A11Y': 4,
};

export const DEFAULT_EVALUATION: EvaluationSpec = {
  status: 'consensus',
  sections: DEFAULT_SECTIONS,
  vendors: [
    { name: 'Civic Answers Inc.', price: 1_240_000 },
    { name: 'QuickServe AI', price: 980_000 },
    { name: 'BudgetBot LLC', price: 415_000 },
    { name: 'OmniSight Analytics', price: 1_050_000 },
    { name: 'Legacy Systems Co.', price: 2_000_000, status: 'withdrawn', statusReason: 'Withdrew its proposal on 2026-12-20.' },
  ],
  evaluators: [{ name: 'Evan Chen' }, { name: 'Priya Natarajan' }, { name: 'Marcus Bell' }],
  // Marcus Bell declared a conflict with QuickServe AI.
  recusals: { 2: [1] },
  score: ({ vendor, vendorName, evaluator, criterion }) => {
    if (criterion.kind === 'pass_fail') {
      // BudgetBot reserves the right to train on city data: a unanimous fail.
      if (vendorName === 'BudgetBot LLC' && criterion.key === 'KO-NOTRAIN') return 0;
      // OmniSight's prohibited-practices answer split the panel; consensus decided pass.
      if (vendorName === 'OmniSight Analytics' && criterion.key === 'KO-PROHIB' && evaluator === 1) return 0;
      return 1;
    }
    const override = DEFAULT_OVERRIDES[`${evaluator}|${vendor}|${criterion.key}`];
    if (override !== undefined) return override;
    const scoredKeys = DEFAULT_SECTIONS.flatMap((s) => s.criteria.filter((c) => c.kind === 'scored').map((c) => c.key));
    return DEFAULT_QUALITY[vendorName]?.[scoredKeys.indexOf(criterion.key)] ?? 3;
  },
  consensus: [
    {
      vendor: 3,
      criterion: 'RAI-MEAS',
      value: 3,
      rationale: 'Bias testing covers English only; the panel agreed the plan for other languages is credible but unproven.',
    },
    {
      vendor: 3,
      criterion: 'KO-PROHIB',
      value: 1,
      rationale: 'The emotion-detection feature is off by default and contractually disabled for the city: no prohibited practice.',
    },
    {
      vendor: 0,
      criterion: 'ACC-LANG',
      value: 4,
      rationale: 'Four languages are supported with human review of translations; Vietnamese voice support arrives in phase 2.',
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Large seeded evaluations (benchmarks).
// ---------------------------------------------------------------------------------------------------------------

/**
 * A seeded synthetic evaluation: 5 sections, one price criterion (20 points), two knock-outs (every 13th vendor
 * fails one), the rest scored with points adding up to 80; scores = vendor strength + evaluator leniency + noise on
 * 0..5; every scoresheet submitted; status `consensus`, so the results page shows everything, drill-downs included.
 */
export function syntheticEvaluationSpec(size: { vendors: number; criteria: number; evaluators: number }, seed = 1): EvaluationSpec {
  const random = mulberry32(seed);
  const scoredCount = size.criteria - 3;
  const sections: SectionSpec[] = Array.from({ length: 5 }, (_, i) => ({ key: `s${i + 1}`, title: `Section ${i + 1}`, criteria: [] }));
  (sections[0] as SectionSpec).criteria.push(
    { key: 'KO-1', title: 'Data residency', kind: 'pass_fail', points: 0 },
    { key: 'KO-2', title: 'Accessibility conformance', kind: 'pass_fail', points: 0 },
  );
  (sections[4] as SectionSpec).criteria.push({ key: 'PRICE', title: 'Price', kind: 'price', points: 20 });
  for (let c = 0; c < scoredCount; c++) {
    (sections[c % 4] as SectionSpec).criteria.push({ key: `C-${c + 1}`, title: `Criterion ${c + 1}`, kind: 'scored', points: 80 / scoredCount });
  }
  const strength = Array.from({ length: size.vendors }, () => 1.5 + random() * 2);
  const quality = Array.from({ length: size.vendors * size.criteria }, () => (random() - 0.5) * 2);
  const leniency = Array.from({ length: size.evaluators }, () => (random() - 0.5) * 1.2);
  const noise = mulberry32(seed + 1);
  return {
    status: 'consensus',
    sections,
    vendors: Array.from({ length: size.vendors }, (_, v) => ({ name: `Vendor ${String(v + 1).padStart(2, '0')}`, price: Math.round(200_000 + random() * 800_000) })),
    evaluators: Array.from({ length: size.evaluators }, (_, e) => ({ name: `Evaluator ${String(e + 1).padStart(2, '0')}` })),
    observers: [],
    score: ({ vendor, evaluator, criterion, criterionIndex }) => {
      if (criterion.kind === 'pass_fail') return vendor % 13 === 12 && criterion.key === 'KO-1' ? 0 : 1;
      const q = (strength[vendor] as number) + (quality[vendor * size.criteria + criterionIndex] as number);
      return Math.min(5, Math.max(0, Math.round(q + (leniency[evaluator] as number) + (noise() - 0.5) * 1.5)));
    },
    rationale: (ctx, value) =>
      `Level ${value}: the response addresses ${ctx.criterion.title.toLowerCase()} with evidence the rubric asks for at this level.`,
  };
}
