/**
 * Typed errors of the scoring engine.
 *
 * Fatal problems are inputs no figure can honestly be computed from (a score outside the scale, a price ≤ 0, points
 * that do not add up, an id nobody knows). They are collected — all of them, not just the first — and thrown together
 * as one {@link ScoringError}. Incomplete-but-valid inputs (a missing price, unscored criteria, split votes,
 * unsubmitted sheets) are not errors: they make the results "not final" instead (see `computeResults`).
 */

/** What went wrong, machine-readable. */
export type ScoringErrorCode =
  | 'INVALID_SETTINGS'
  | 'INVALID_OPTIONS'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_SECTION'
  | 'INVALID_POINTS'
  | 'POINTS_TOTAL_MISMATCH'
  | 'MULTIPLE_PRICE_CRITERIA'
  | 'INVALID_PRICE'
  | 'UNKNOWN_VENDOR'
  | 'UNKNOWN_EVALUATOR'
  | 'UNKNOWN_CRITERION'
  | 'INVALID_SCORE'
  | 'SCORE_NOT_ALLOWED'
  | 'DUPLICATE_SCORE'
  | 'INVALID_CONSENSUS'
  | 'DUPLICATE_CONSENSUS'
  | 'INVALID_INPUT';

/** One fatal problem: a code, a sentence a procurement officer can act on, and where in the input it sits. */
export interface ScoringProblem {
  code: ScoringErrorCode;
  message: string;
  /** Path into the input, e.g. `scores[12].value`. */
  path: string;
}

/**
 * Thrown by `computeResults` when the input has fatal problems. `code` is the first problem's code (or
 * `INVALID_INPUT` when the problems have different codes); `problems` lists every problem found; `message` joins
 * their messages.
 */
export class ScoringError extends Error {
  readonly code: ScoringErrorCode;
  readonly problems: readonly ScoringProblem[];

  constructor(problems: readonly ScoringProblem[]) {
    const first = problems[0];
    const code: ScoringErrorCode =
      first === undefined ? 'INVALID_INPUT' : problems.every((p) => p.code === first.code) ? first.code : 'INVALID_INPUT';
    const shown = problems.slice(0, 10).map((p) => p.message);
    const more = problems.length > 10 ? ` (and ${problems.length - 10} more problems)` : '';
    super(problems.length === 0 ? 'The scoring input is invalid.' : `${shown.join(' ')}${more}`);
    this.name = 'ScoringError';
    this.code = code;
    this.problems = problems;
  }
}

/** True when `error` is a {@link ScoringError} (also across module copies, by name and shape). */
export function isScoringError(error: unknown): error is ScoringError {
  return (
    error instanceof ScoringError ||
    (error instanceof Error && error.name === 'ScoringError' && Array.isArray((error as { problems?: unknown }).problems))
  );
}
