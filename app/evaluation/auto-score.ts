/**
 * The auto-score suggestion (DESIGN §3): closed questions may give each option a share (Yes = 1, Partial = 0.5,
 * No = 0). A criterion's suggestion is scale max × the mean share of its auto-scored questions. It is a hint shown
 * to the evaluator, never saved or counted on its own.
 */

export interface AutoScoreQuestion {
  id: string;
  answerType: string;
  options: ReadonlyArray<{ label: string; autoScore: number | null }>;
}

/** A vendor's answer as stored: text or a chosen label, labels of a multiple choice, a number, or nothing. */
export type AnswerValueLike = string | number | string[] | null | undefined;

export interface AutoScoreSuggestion {
  /** scaleMax × meanShare, full precision (round for display only). */
  suggested: number;
  /** Mean share over the auto-scored questions, 0..1. */
  meanShare: number;
  /** Auto-scored questions of the criterion (those with at least one option carrying a share). */
  questions: number;
  /** Of those, how many have an answer that matches an option with a share. */
  answered: number;
}

const CLOSED_TYPES = new Set(['yes_no', 'choice', 'multi_choice']);

function isAutoScored(q: AutoScoreQuestion): boolean {
  return CLOSED_TYPES.has(q.answerType) && q.options.some((o) => o.autoScore !== null && Number.isFinite(o.autoScore));
}

function shareOf(label: string, q: AutoScoreQuestion): number | null {
  const wanted = label.trim().toLowerCase();
  const option = q.options.find((o) => o.label.trim().toLowerCase() === wanted);
  return option && option.autoScore !== null && Number.isFinite(option.autoScore) ? Math.min(1, Math.max(0, option.autoScore)) : null;
}

/**
 * Share earned by one answer: the chosen option's share; for several choices, the mean share of the chosen options
 * that carry one. An unanswered question, or an answer matching no scored option, earns 0: no evidence, no credit.
 */
export function answerShare(q: AutoScoreQuestion, value: AnswerValueLike): number | null {
  const labels = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const shares = labels.map((l) => shareOf(l, q)).filter((s): s is number => s !== null);
  if (shares.length === 0) return null;
  return shares.reduce((a, b) => a + b, 0) / shares.length;
}

/** The suggestion for one criterion, or null when none of its questions is auto-scored. */
export function suggestScore(
  questions: readonly AutoScoreQuestion[],
  answers: ReadonlyMap<string, AnswerValueLike>,
  scaleMax: number,
): AutoScoreSuggestion | null {
  const scored = questions.filter(isAutoScored);
  if (scored.length === 0) return null;
  let total = 0;
  let answered = 0;
  for (const q of scored) {
    const share = answerShare(q, answers.get(q.id));
    if (share !== null) answered += 1;
    total += share ?? 0;
  }
  const meanShare = total / scored.length;
  return { suggested: scaleMax * meanShare, meanShare, questions: scored.length, answered };
}
