/**
 * AI risk tier (DESIGN §6): the use-case intake scored into impact level I–IV, and what each level requires.
 *
 * Pure: the intake definition (normally `fixtures/risk-intake.json`, validated by `riskIntakeSchema`) and the answers
 * come in as arguments. The shape is declared here structurally so scoring/ does not depend on fixtures/ or zod.
 */

/** Impact level, I (low) to IV (very high). */
export type RiskLevel = 'I' | 'II' | 'III' | 'IV';

/** The levels in ascending order. */
export const RISK_LEVELS: readonly RiskLevel[] = ['I', 'II', 'III', 'IV'];

/** One answer option of an intake question and the impact points it adds (whole numbers ≥ 0). */
export interface RiskIntakeOption {
  readonly value: string;
  readonly label: string;
  readonly points: number;
}

/** One single-choice intake question. `title` is the short name used in reasons. */
export interface RiskIntakeQuestion {
  readonly key: string;
  readonly title: string;
  readonly text: string;
  readonly options: readonly RiskIntakeOption[];
}

/** The parts of the intake definition that scoring needs. */
export interface RiskIntakeDefinition {
  /** One entry per level, ascending; a percent ≥ `minPercent` reaches `level`. Level I starts at 0. */
  readonly thresholds: readonly { readonly level: RiskLevel; readonly minPercent: number }[];
  /** When every condition holds (the answer to `question` is one of `anyOf`), the level is at least `level`. */
  readonly floors: readonly {
    readonly id: string;
    readonly level: RiskLevel;
    readonly when: readonly { readonly question: string; readonly anyOf: readonly string[] }[];
    readonly reason: string;
  }[];
  readonly questions: readonly RiskIntakeQuestion[];
}

/**
 * Answers by question key: the chosen option's `value`. `null`, `undefined` or `''` means unanswered.
 * Keys that are not questions of the intake (e.g. from an older intake version) are ignored.
 */
export type RiskIntakeAnswers = Readonly<Record<string, string | null | undefined>>;

/** The outcome of `assessRiskTier`. */
export interface RiskTierAssessment {
  /** The impact level after floor rules. */
  level: RiskLevel;
  /** Impact points: answered questions at their chosen option, unanswered ones at their highest option. */
  score: number;
  /** Sum over questions of the highest option's points. */
  maxScore: number;
  /** score / maxScore × 100, full precision (0 when maxScore is 0). */
  percent: number;
  /** Plain sentences: the score band, the answers that pushed the score up, floor rules that applied, unanswered. */
  reasons: string[];
  /** Keys of unanswered questions, in intake order. While non-empty the level is provisional. */
  unanswered: string[];
}

/** What an impact level requires of an RFP, and what is recommended on top. */
export interface RiskLevelRequirements {
  /** Question bank ids whose criteria the RFP must include (at least one criterion from each). */
  banks: string[];
  /** Criterion keys of `pass_fail` knock-outs the RFP must include. */
  knockouts: string[];
  /** Recommended, not required, at this level. */
  recommended: { banks: string[]; knockouts: string[] };
}

const rank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level);
const higher = (a: RiskLevel, b: RiskLevel): RiskLevel => (rank(a) >= rank(b) ? a : b);
const isBlank = (v: string | null | undefined): v is null | undefined | '' => v === null || v === undefined || v === '';
const formatPercent = (p: number): string => `${(Math.round(p * 10) / 10).toFixed(1)} %`;

/**
 * The level reached by `percent` under `thresholds`: the highest level whose `minPercent` ≤ percent.
 * Boundaries belong to the higher level (exactly 25 % is level II with the shipped thresholds).
 */
export function levelForPercent(thresholds: RiskIntakeDefinition['thresholds'], percent: number): RiskLevel {
  let level: RiskLevel = 'I';
  for (const t of thresholds) if (percent >= t.minPercent) level = higher(level, t.level);
  return level;
}

/**
 * Scores a use-case intake into an impact level, in the manner of an algorithmic impact assessment.
 *
 * 1. Each answered question adds its chosen option's points; an **unanswered** question adds its highest option's
 *    points (worst case), so leaving questions blank can never lower the level. Its key is listed in `unanswered`.
 * 2. percent = score / maxScore × 100 (full precision) → level by `intake.thresholds`; the shipped thresholds are
 *    < 25 % I, 25–< 50 % II, 50–< 75 % III, ≥ 75 % IV.
 * 3. Floor rules, evaluated on given answers only, raise the level to at least their `level`
 *    (e.g. a fully automated decision on rights or benefits is at least III). Floors never lower a level.
 *
 * `reasons` names the score band, every answer worth at least half of its question's maximum (highest first),
 * each floor that applied, and the unanswered questions.
 *
 * @throws Error when an answer is not one of its question's option values (a caller bug or a stale form, which
 *   must not be silently scored as 0).
 */
export function assessRiskTier(intake: RiskIntakeDefinition, answers: RiskIntakeAnswers): RiskTierAssessment {
  let score = 0;
  let maxScore = 0;
  const unanswered: string[] = [];
  const notable: { order: number; points: number; sentence: string }[] = [];

  intake.questions.forEach((q, order) => {
    const max = q.options.reduce((m, o) => Math.max(m, o.points), 0);
    maxScore += max;
    const value = answers[q.key];
    if (isBlank(value)) {
      unanswered.push(q.key);
      score += max;
      return;
    }
    const option = q.options.find((o) => o.value === value);
    if (!option) {
      const allowed = q.options.map((o) => o.value).join(', ');
      throw new Error(`Risk intake answer "${value}" to ${q.key} is not one of its options (${allowed})`);
    }
    score += option.points;
    if (option.points > 0 && option.points * 2 >= max) {
      notable.push({
        order,
        points: option.points,
        sentence: `${q.title} (${q.key}): “${option.label}” adds ${option.points} of ${max} points.`,
      });
    }
  });

  const percent = maxScore > 0 ? (score / maxScore) * 100 : 0;
  const scoreLevel = levelForPercent(intake.thresholds, percent);
  const band = describeBand(intake.thresholds, scoreLevel);
  const reasons: string[] = [
    `The intake scores ${score} of ${maxScore} points (${formatPercent(percent)}), which is level ${scoreLevel} (${band}).`,
  ];
  notable.sort((a, b) => b.points - a.points || a.order - b.order);
  reasons.push(...notable.map((n) => n.sentence));

  let level = scoreLevel;
  for (const floor of intake.floors) {
    const applies = floor.when.every((c) => {
      const v = answers[c.question];
      return !isBlank(v) && c.anyOf.includes(v);
    });
    if (!applies) continue;
    if (rank(floor.level) > rank(level)) {
      reasons.push(`${floor.reason} The level is raised from ${level} to ${floor.level}.`);
      level = floor.level;
    } else {
      reasons.push(`${floor.reason} The level is already ${level}.`);
    }
  }

  if (unanswered.length > 0) {
    const n = unanswered.length;
    reasons.push(
      `${n} question${n === 1 ? ' is' : 's are'} unanswered (${unanswered.join(', ')}) and counted at the highest-impact answer; the level is provisional until ${n === 1 ? 'it is' : 'they are'} answered.`,
    );
  }

  return { level, score, maxScore, percent, reasons, unanswered };
}

function describeBand(thresholds: RiskIntakeDefinition['thresholds'], level: RiskLevel): string {
  const i = thresholds.findIndex((t) => t.level === level);
  const from = thresholds[i]?.minPercent ?? 0;
  const next = thresholds[i + 1];
  return next ? `${from} % to under ${next.minPercent} %` : `${from} % or more`;
}

const BASE_BANKS = [
  'ai-fact-sheet',
  'security',
  'privacy',
  'contract-data-rights',
  'accessibility-equity',
  'cost-sustainment',
];

/** Requirements per level. Knock-out keys are `pass_fail` criteria of the shipped banks. */
const REQUIREMENTS: Record<RiskLevel, RiskLevelRequirements> = {
  I: {
    banks: BASE_BANKS,
    // No training on the city's non-public data is a knock-out at every level (OMB M-25-22).
    knockouts: ['CDR-NOTRAIN'],
    recommended: { banks: ['responsible-ai', 'eu-ai-act-prohibited'], knockouts: ['EUAI-PROHIB', 'RAI-OVERSIGHT'] },
  },
  II: {
    banks: [...BASE_BANKS, 'responsible-ai'],
    knockouts: ['CDR-NOTRAIN'],
    recommended: { banks: ['eu-ai-act-prohibited'], knockouts: ['EUAI-PROHIB', 'RAI-OVERSIGHT'] },
  },
  III: {
    banks: [...BASE_BANKS, 'responsible-ai', 'eu-ai-act-prohibited'],
    // Higher impact: human oversight and bias-testing evidence become knock-outs.
    knockouts: ['CDR-NOTRAIN', 'EUAI-PROHIB', 'RAI-OVERSIGHT', 'ACC-BIASKO'],
    recommended: { banks: [], knockouts: ['RAI-INDEP'] },
  },
  IV: {
    banks: [...BASE_BANKS, 'responsible-ai', 'eu-ai-act-prohibited'],
    // Very high impact: an evaluation independent of the vendor's developers before go-live as well.
    knockouts: ['CDR-NOTRAIN', 'EUAI-PROHIB', 'RAI-OVERSIGHT', 'ACC-BIASKO', 'RAI-INDEP'],
    recommended: { banks: [], knockouts: [] },
  },
};

/**
 * What an RFP at impact `level` must include (DESIGN §6), as bank ids and knock-out criterion keys, plus what is
 * recommended. Requirements only grow with the level: everything required at a level is required at every higher
 * level. The EU AI Act prohibited-practices knock-out (`EUAI-PROHIB`) is recommended at I–II and required at III–IV.
 * Returns fresh arrays the caller may modify.
 */
export function requiredForLevel(level: RiskLevel): RiskLevelRequirements {
  const r = REQUIREMENTS[level];
  return {
    banks: [...r.banks],
    knockouts: [...r.knockouts],
    recommended: { banks: [...r.recommended.banks], knockouts: [...r.recommended.knockouts] },
  };
}
