/**
 * Input validation: every rule whose breach would make a figure wrong (rather than provisional).
 *
 * Fatal (listed here, thrown by `computeResults` as one `ScoringError`):
 * - settings out of range; options out of range;
 * - duplicate ids; a criterion in an unknown section; points < 0 or not finite; points on a `pass_fail`/`info`
 *   criterion; criteria's points not adding up to `totalPoints` (to 1e-9 relative); more than one `price` criterion;
 * - a price ≤ 0 or not a finite number, when the RFP has a price criterion;
 * - a score or consensus naming an unknown vendor, evaluator or criterion; a value outside 0..S, or not a whole
 *   number (not a multiple of 0.5 when half points are allowed); a pass/fail value other than 1 or 0; a score or
 *   consensus on a `price` or `info` criterion; the same evaluator × vendor × criterion scored twice; two
 *   consensus scores for the same vendor × criterion.
 *
 * Not fatal (handled by `computeResults`): a missing price (`null`), criteria nobody scored, split pass/fail votes,
 * unsubmitted scoresheets, a recused evaluator's score (ignored, with a warning).
 */
import type { ScoringProblem } from './errors';
import { IdIndex } from './ids';
import type { ScoringCriterion, ScoringInput } from './types';

const aggregations: readonly string[] = ['mean', 'median'];
const priceFormulas: readonly string[] = ['ratio', 'linear'];
const criterionKinds: readonly string[] = ['scored', 'pass_fail', 'price', 'info'];
const scoresheetStatuses: readonly string[] = ['not_started', 'in_progress', 'submitted'];

/** Largest scale max accepted; rubrics beyond 0..100 are a typo, not a design. */
const MAX_SCALE = 100;
/** Largest number of Monte Carlo draws accepted. */
const MAX_DRAWS = 1_000_000;

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function quote(s: unknown): string {
  return `“${String(s)}”`;
}

/** A value as a person should read it in a message. */
function shown(x: unknown): string {
  if (typeof x === 'number') return Number.isNaN(x) ? 'not a number' : String(x);
  if (typeof x === 'string') return `the text ${quote(x)}`;
  if (x === null || x === undefined) return 'nothing';
  return typeof x;
}

/**
 * Whether `value` is a valid score on a 0..`scaleMax` rubric: finite, within range, a whole number (or a multiple
 * of 0.5 when `allowHalfPoints`).
 */
export function isValidScoreValue(value: unknown, scaleMax: number, allowHalfPoints: boolean): value is number {
  if (!isFiniteNumber(value) || value < 0 || value > scaleMax) return false;
  return allowHalfPoints ? Number.isInteger(value * 2) : Number.isInteger(value);
}

/**
 * Checks a scoring input and returns every fatal problem found (empty array = valid). Never throws, whatever the
 * shape of `input`. Runs in O(number of scores + vendors × criteria).
 */
export function validateInput(input: ScoringInput): ScoringProblem[] {
  return inspectInput(input).problems;
}

/**
 * Each score's evaluator, vendor and criterion as 0-based indices into the input's lists (−1 when unknown), and its
 * value and submitted flag as read, so the engine groups scores without walking the score objects again (at
 * 100 × 200 × 30 they are 600,000 objects, tens of megabytes that no cache holds).
 */
export interface ScoreRefs {
  evaluator: Int32Array;
  vendor: Int32Array;
  criterion: Int32Array;
  /** The score's value; NaN when it is not a number (then validation reported a problem). */
  value: Float64Array;
  /** 1 when the score is submitted, else 0. */
  submitted: Uint8Array;
}

/** What validation found: the problems, and the scores' resolved ids (so the engine does not look them up again). */
export interface Inspection {
  problems: ScoringProblem[];
  scoreRefs: ScoreRefs | null;
}

/** {@link validateInput}, also returning each score's resolved indices. */
export function inspectInput(input: ScoringInput): Inspection {
  const problems: ScoringProblem[] = [];
  const add = (code: ScoringProblem['code'], message: string, path: string) => problems.push({ code, message, path });

  if (typeof input !== 'object' || input === null) {
    add('INVALID_INPUT', 'The scoring input is missing.', '');
    return { problems, scoreRefs: null };
  }
  const collections = ['sections', 'criteria', 'vendors', 'evaluators', 'scores'] as const;
  for (const key of collections) {
    if (!Array.isArray(input[key])) add('INVALID_INPUT', `The scoring input has no list of ${key}.`, key);
  }
  for (const key of ['consensus', 'scoresheets'] as const) {
    if (input[key] !== undefined && !Array.isArray(input[key])) {
      add('INVALID_INPUT', `The scoring input's ${key} must be a list.`, key);
    }
  }
  const settings = input.settings;
  if (typeof settings !== 'object' || settings === null) {
    add('INVALID_SETTINGS', 'The scoring settings are missing.', 'settings');
  }
  if (problems.length > 0) return { problems, scoreRefs: null };

  // Settings.
  const S = settings.scaleMax;
  const settingsOk = Number.isInteger(S) && S >= 1 && S <= MAX_SCALE;
  if (!settingsOk) {
    add('INVALID_SETTINGS', `The scale max must be a whole number from 1 to ${MAX_SCALE} (got ${shown(S)}).`, 'settings.scaleMax');
  }
  if (!aggregations.includes(settings.aggregation)) {
    add('INVALID_SETTINGS', `The aggregation must be "mean" or "median" (got ${shown(settings.aggregation)}).`, 'settings.aggregation');
  }
  const threshold = settings.divergenceThreshold;
  if (!isFiniteNumber(threshold) || threshold < 0 || threshold > 1) {
    add('INVALID_SETTINGS', `The divergence threshold must be a share from 0 to 1 (got ${shown(threshold)}).`, 'settings.divergenceThreshold');
  }
  if (!priceFormulas.includes(settings.priceFormula)) {
    add('INVALID_SETTINGS', `The price formula must be "ratio" or "linear" (got ${shown(settings.priceFormula)}).`, 'settings.priceFormula');
  }
  const totalPoints = settings.totalPoints;
  if (!isFiniteNumber(totalPoints) || totalPoints <= 0) {
    add('INVALID_SETTINGS', `The RFP's total points must be a positive number (got ${shown(totalPoints)}).`, 'settings.totalPoints');
  }
  if (typeof settings.allowHalfPoints !== 'boolean') {
    add('INVALID_SETTINGS', 'The half-points setting must be true or false.', 'settings.allowHalfPoints');
  }

  // Options.
  const options = input.options ?? {};
  if (options.includeInProgress !== undefined && typeof options.includeInProgress !== 'boolean') {
    add('INVALID_OPTIONS', 'The preview option (includeInProgress) must be true or false.', 'options.includeInProgress');
  }
  if (options.monteCarloDraws !== undefined) {
    const d = options.monteCarloDraws;
    if (!Number.isInteger(d) || d < 0 || d > MAX_DRAWS) {
      add('INVALID_OPTIONS', `Monte Carlo draws must be a whole number from 0 to ${MAX_DRAWS} (got ${shown(d)}).`, 'options.monteCarloDraws');
    }
  }
  if (options.monteCarloSeed !== undefined && !Number.isInteger(options.monteCarloSeed)) {
    add('INVALID_OPTIONS', `The Monte Carlo seed must be a whole number (got ${shown(options.monteCarloSeed)}).`, 'options.monteCarloSeed');
  }

  // Ids.
  const sectionIds = uniqueIds(input.sections, 'section', 'sections', add);
  const criterionById = new Map<string, ScoringCriterion>();
  for (const [i, c] of input.criteria.entries()) {
    if (typeof c?.id !== 'string' || c.id === '') {
      add('INVALID_INPUT', `Criterion #${i + 1} has no id.`, `criteria[${i}].id`);
    } else if (criterionById.has(c.id)) {
      add('DUPLICATE_ID', `Two criteria share the id ${quote(c.id)}.`, `criteria[${i}].id`);
    } else {
      criterionById.set(c.id, c);
    }
  }
  const vendorIds = uniqueIds(input.vendors, 'vendor', 'vendors', add);
  const evaluatorIds = uniqueIds(input.evaluators, 'evaluator', 'evaluators', add);

  // Criteria and points.
  let pointsSum = 0;
  let pointsOk = true;
  const priceCriteria: ScoringCriterion[] = [];
  for (const [i, c] of input.criteria.entries()) {
    if (typeof c !== 'object' || c === null) continue;
    const name = quote(c.title ?? c.id);
    if (!sectionIds.has(c.sectionId)) {
      add('UNKNOWN_SECTION', `Criterion ${name} belongs to an unknown section ${quote(c.sectionId)}.`, `criteria[${i}].sectionId`);
    }
    if (!criterionKinds.includes(c.kind)) {
      add('INVALID_INPUT', `Criterion ${name} has an unknown kind ${quote(c.kind)}.`, `criteria[${i}].kind`);
      continue;
    }
    if (!isFiniteNumber(c.points) || c.points < 0) {
      add('INVALID_POINTS', `Criterion ${name} must carry zero or more points (got ${shown(c.points)}).`, `criteria[${i}].points`);
      pointsOk = false;
      continue;
    }
    if ((c.kind === 'pass_fail' || c.kind === 'info') && c.points !== 0) {
      const what = c.kind === 'pass_fail' ? 'a pass/fail knock-out' : 'an information-only criterion';
      add('INVALID_POINTS', `Criterion ${name} is ${what} and cannot carry points (got ${c.points}).`, `criteria[${i}].points`);
      pointsOk = false;
      continue;
    }
    if (c.kind === 'price') priceCriteria.push(c);
    pointsSum += c.points;
  }
  if (priceCriteria.length > 1) {
    add(
      'MULTIPLE_PRICE_CRITERIA',
      `Only one price criterion is allowed; found ${priceCriteria.length} (${priceCriteria.map((c) => quote(c.title)).join(', ')}).`,
      'criteria',
    );
  }
  if (pointsOk && isFiniteNumber(totalPoints) && totalPoints > 0) {
    if (Math.abs(pointsSum - totalPoints) > 1e-9 * Math.max(1, totalPoints)) {
      add(
        'POINTS_TOTAL_MISMATCH',
        `The criteria's points add up to ${pointsSum}, not to the RFP's total of ${totalPoints}.`,
        'criteria',
      );
    }
  }

  // Prices (only meaningful when a price criterion exists).
  if (priceCriteria.length > 0) {
    for (const [i, v] of input.vendors.entries()) {
      if (typeof v !== 'object' || v === null || v.price === null) continue;
      if (!isFiniteNumber(v.price) || v.price <= 0) {
        add(
          'INVALID_PRICE',
          `The price of ${quote(v.name ?? v.id)} must be a positive amount (got ${shown(v.price)}); correct it or leave it empty.`,
          `vendors[${i}].price`,
        );
      }
    }
  }

  const half = settings.allowHalfPoints === true;
  const granularity = half ? 'a multiple of 0.5' : 'a whole number';
  const checkValue = (c: ScoringCriterion, value: unknown, what: string, path: string, code: 'INVALID_SCORE' | 'INVALID_CONSENSUS') => {
    if (c.kind === 'pass_fail') {
      if (value !== 0 && value !== 1) {
        add(code, `${what} on knock-out ${quote(c.title)} must be 1 (pass) or 0 (fail) (got ${shown(value)}).`, path);
      }
    } else if (settingsOk && !isValidScoreValue(value, S, half)) {
      add(code, `${what} on ${quote(c.title)} must be ${granularity} from 0 to ${S} (got ${shown(value)}).`, path);
    }
  };

  // Scores. A numeric key per evaluator × vendor × criterion finds duplicates without building strings; paths and
  // messages are only built for scores that have a problem.
  const vIndex = new IdIndex(vendorIds);
  const cIndex = new IdIndex(criterionById.keys());
  const eIndex = new IdIndex(evaluatorIds);
  const criterionList = [...criterionById.values()];
  const V = vIndex.size;
  const C = cIndex.size;
  const seen = new KeySet(eIndex.size * V * C);
  const scores = input.scores;
  // Names make messages an officer can act on ("the score by Ann for Acme"), falling back to ids.
  const names = new Map<unknown, string>();
  for (const x of [...input.vendors, ...input.evaluators]) {
    if (typeof x === 'object' && x !== null) names.set(x.id, typeof x.name === 'string' && x.name !== '' ? x.name : String(x.id));
  }
  const nameOf = (id: unknown) => names.get(id) ?? String(id);
  const refs: ScoreRefs = {
    evaluator: new Int32Array(scores.length),
    vendor: new Int32Array(scores.length),
    criterion: new Int32Array(scores.length),
    value: new Float64Array(scores.length),
    submitted: new Uint8Array(scores.length),
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (typeof s !== 'object' || s === null) {
      add('INVALID_INPUT', `Score #${i + 1} is not a score.`, `scores[${i}]`);
      refs.evaluator[i] = refs.vendor[i] = refs.criterion[i] = -1;
      continue;
    }
    const e = eIndex.indexOf(s.evaluatorId);
    const v = vIndex.indexOf(s.vendorId);
    const ci = cIndex.indexOf(s.criterionId);
    refs.evaluator[i] = e;
    refs.vendor[i] = v;
    refs.criterion[i] = ci;
    refs.submitted[i] = s.submitted === true ? 1 : 0;
    if (e < 0) add('UNKNOWN_EVALUATOR', `Score #${i + 1} names an unknown evaluator ${quote(s.evaluatorId)}.`, `scores[${i}].evaluatorId`);
    if (v < 0) add('UNKNOWN_VENDOR', `Score #${i + 1} names an unknown vendor ${quote(s.vendorId)}.`, `scores[${i}].vendorId`);
    if (ci < 0) add('UNKNOWN_CRITERION', `Score #${i + 1} names an unknown criterion ${quote(s.criterionId)}.`, `scores[${i}].criterionId`);
    if (typeof s.submitted !== 'boolean') add('INVALID_INPUT', `Score #${i + 1} must say whether it is submitted.`, `scores[${i}].submitted`);
    if (ci < 0) continue;
    const c = criterionList[ci] as ScoringCriterion;
    if (c.kind === 'price' || c.kind === 'info') {
      const why = c.kind === 'price' ? 'its points come from the price' : 'it is information only';
      add('SCORE_NOT_ALLOWED', `Criterion ${quote(c.title)} cannot be scored by evaluators: ${why}.`, `scores[${i}]`);
      continue;
    }
    const value: unknown = s.value;
    refs.value[i] = typeof value === 'number' ? value : Number.NaN;
    const valid = c.kind === 'pass_fail' ? value === 0 || value === 1 : settingsOk && isValidScoreValue(value, S, half);
    if (!valid) checkValue(c, value, `The score by ${nameOf(s.evaluatorId)} for ${nameOf(s.vendorId)}`, `scores[${i}].value`, 'INVALID_SCORE');
    if (e >= 0 && v >= 0 && !seen.addIfAbsent((e * V + v) * C + ci)) {
      add(
        'DUPLICATE_SCORE',
        `${nameOf(s.evaluatorId)} has two scores for ${nameOf(s.vendorId)} on ${quote(c.title)}.`,
        `scores[${i}]`,
      );
    }
  }

  // Consensus.
  const consensusSeen = new KeySet(V * C);
  for (const [i, k] of (input.consensus ?? []).entries()) {
    const path = `consensus[${i}]`;
    if (typeof k !== 'object' || k === null) {
      add('INVALID_INPUT', `Consensus score #${i + 1} is not a score.`, path);
      continue;
    }
    const v = vIndex.indexOf(k.vendorId);
    const ci = cIndex.indexOf(k.criterionId);
    if (v < 0) add('UNKNOWN_VENDOR', `Consensus score #${i + 1} names an unknown vendor ${quote(k.vendorId)}.`, `${path}.vendorId`);
    if (ci < 0) add('UNKNOWN_CRITERION', `Consensus score #${i + 1} names an unknown criterion ${quote(k.criterionId)}.`, `${path}.criterionId`);
    const c = criterionById.get(k.criterionId);
    if (c === undefined) continue;
    if (c.kind === 'price' || c.kind === 'info') {
      add('INVALID_CONSENSUS', `Criterion ${quote(c.title)} cannot have a consensus score: it is not scored by evaluators.`, path);
      continue;
    }
    checkValue(c, k.value, `The consensus score for ${nameOf(k.vendorId)}`, `${path}.value`, 'INVALID_CONSENSUS');
    if (v >= 0 && ci >= 0 && !consensusSeen.addIfAbsent(v * C + ci)) {
      add('DUPLICATE_CONSENSUS', `${nameOf(k.vendorId)} has two consensus scores on ${quote(c.title)}.`, path);
    }
  }

  // Recusals and scoresheets only need known ids.
  for (const [i, ev] of input.evaluators.entries()) {
    const recused = ev?.recusedFrom;
    if (recused === undefined) continue;
    if (!Array.isArray(recused)) {
      add('INVALID_INPUT', `The recusals of evaluator ${quote(ev.name ?? ev.id)} must be a list of vendor ids.`, `evaluators[${i}].recusedFrom`);
      continue;
    }
    for (const [j, vendorId] of recused.entries()) {
      if (!vendorIds.has(vendorId)) {
        add('UNKNOWN_VENDOR', `Evaluator ${quote(ev.name ?? ev.id)} is recused from an unknown vendor ${quote(vendorId)}.`, `evaluators[${i}].recusedFrom[${j}]`);
      }
    }
  }
  for (const [i, sheet] of (input.scoresheets ?? []).entries()) {
    const path = `scoresheets[${i}]`;
    if (typeof sheet !== 'object' || sheet === null) {
      add('INVALID_INPUT', `Scoresheet #${i + 1} is not a scoresheet.`, path);
      continue;
    }
    if (!evaluatorIds.has(sheet.evaluatorId)) add('UNKNOWN_EVALUATOR', `Scoresheet #${i + 1} names an unknown evaluator ${quote(sheet.evaluatorId)}.`, `${path}.evaluatorId`);
    if (!vendorIds.has(sheet.vendorId)) add('UNKNOWN_VENDOR', `Scoresheet #${i + 1} names an unknown vendor ${quote(sheet.vendorId)}.`, `${path}.vendorId`);
    if (!scoresheetStatuses.includes(sheet.status)) {
      add('INVALID_INPUT', `Scoresheet #${i + 1} has an unknown status ${quote(sheet.status)}.`, `${path}.status`);
    }
  }

  return { problems, scoreRefs: refs };
}

function uniqueIds(
  items: readonly { id: string }[],
  what: string,
  key: string,
  add: (code: ScoringProblem['code'], message: string, path: string) => void,
): Set<string> {
  const ids = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (typeof item?.id !== 'string' || item.id === '') {
      add('INVALID_INPUT', `The ${what} #${i + 1} has no id.`, `${key}[${i}].id`);
    } else if (ids.has(item.id)) {
      add('DUPLICATE_ID', `Two ${key} share the id ${quote(item.id)}.`, `${key}[${i}].id`);
    } else {
      ids.add(item.id);
    }
  }
  return ids;
}

/** A set of non-negative integer keys below `size`: a bitmap when small enough, else a Set. */
class KeySet {
  private readonly bits: Uint8Array | null;
  private readonly set: Set<number> | null;

  constructor(size: number) {
    const small = size <= 1 << 27;
    this.bits = small ? new Uint8Array(Math.ceil(size / 8)) : null;
    this.set = small ? null : new Set<number>();
  }

  /** Adds `key`; returns false when it was already present. */
  addIfAbsent(key: number): boolean {
    if (this.bits !== null) {
      const byte = key >>> 3;
      const mask = 1 << (key & 7);
      const b = this.bits[byte] ?? 0;
      if ((b & mask) !== 0) return false;
      this.bits[byte] = b | mask;
      return true;
    }
    const set = this.set as Set<number>;
    if (set.has(key)) return false;
    set.add(key);
    return true;
  }
}
