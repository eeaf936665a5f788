import { cellAt, looksLikeKey } from './grid-cells';
import type { GridRow, ImportField } from './import-types.server';

/**
 * How much one sheet, read under its proposed mapping, looks like the questionnaire, so the right sheet of a workbook
 * is proposed. Workbooks carry other sheets that name questions too: an evaluation sheet (scores, weights, evaluators
 * over the same questions), a crosswalk (identifiers mapped to other frameworks), instructions (paragraphs, no header),
 * a dashboard (counts per section), lists for dropdowns. What tells the questionnaire apart is a header naming the
 * question and its key, an answer column, and many rows of question-like text.
 */

export interface LikenessInput {
  headerCells: string[];
  /** Whether a header row was recognised (not just taken as the first line). */
  headerFound: boolean;
  /** The proposed columns, and which of them the header named (the rest were guessed from content). */
  columns: Partial<Record<ImportField, number>>;
  named: ReadonlySet<ImportField>;
  dataRows: GridRow[];
}

/** Rows looked at; enough to tell sheets apart, bounded so a long sheet costs no more than a short one. */
const ROWS_LOOKED_AT = 500;
/** Question-like rows beyond this many add little: a 20-question sheet is as much a questionnaire as a 200-question one. */
const FULL_QUESTION_ROWS = 20;

/** Header words of a sheet that scores or weighs answers rather than asking questions. */
const SCORING_WORDS: Record<string, string> = {
  score: 'score', scores: 'score', scoring: 'score', scored: 'score',
  weight: 'weight', weights: 'weight', weighting: 'weight', weighted: 'weight',
  evaluator: 'evaluator', evaluators: 'evaluator', assessor: 'evaluator', reviewer: 'evaluator', marker: 'evaluator',
  rating: 'rating', ratings: 'rating', points: 'points', marks: 'points',
};
/** Header words of the column the vendor answers in ("Answer", "Vendor response"). */
const ANSWER_WORDS = new Set(['answer', 'answers', 'response', 'responses', 'reply', 'compliance', 'compliant', 'comply']);

const words = (text: string) => text.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '');

/** Text a question would be: it asks, or it is a sentence rather than a title or a code. */
export function questionLike(text: string): boolean {
  const t = text.trim();
  if (t.length >= 10 && t.includes('?')) return true;
  return t.length >= 40 && t.split(/\s+/).length >= 6;
}

/** An identifier, or a list of them ("AC-1; AC-2", "A.5.1, A.5.2"), as a crosswalk holds. */
function identifierLike(text: string): boolean {
  const parts = text.split(/[,;\n]+/).map((p) => p.trim()).filter((p) => p !== '');
  return parts.length > 0 && parts.every(looksLikeKey);
}

/** The sheet's score: higher is more like a questionnaire. Comparable between sheets of one workbook. */
export function questionnaireLikeness(input: LikenessInput): number {
  const { columns, named, headerCells } = input;
  const rows = input.dataRows.slice(0, ROWS_LOOKED_AT);
  let score = 0;

  if (columns.question !== undefined) score += named.has('question') ? 2 : 0.5;
  if (columns.key !== undefined) score += named.has('key') ? 1 : 0.5;
  const unmapped = headerCells.filter((_, i) => !Object.values(columns).includes(i + 1));
  if (unmapped.some((h) => words(h).some((w) => ANSWER_WORDS.has(w)))) score += 0.5;
  const others = [...named].filter((f) => f !== 'question' && f !== 'key').length;
  score += Math.min(1, others * 0.25);

  const scoring = new Set(headerCells.flatMap((h) => words(h).flatMap((w) => (SCORING_WORDS[w] ? [SCORING_WORDS[w]] : []))));
  score -= Math.min(4, scoring.size * 1.25);

  let content = 0;
  if (columns.question !== undefined && rows.length > 0) {
    const questionColumn = columns.question;
    const texts = rows.map((r) => cellAt(r, questionColumn)).filter((t) => t !== '');
    const asking = texts.filter(questionLike);
    content += 3 * Math.min(1, asking.length / FULL_QUESTION_ROWS) + 0.5 * Math.min(1, asking.length / 200);
    if (texts.length > 0) content += texts.filter((t) => t.includes('?')).length / texts.length;
    if (columns.key !== undefined && asking.length > 0) {
      const keyColumn = columns.key;
      const keyed = rows.filter((r) => questionLike(cellAt(r, questionColumn)) && looksLikeKey(cellAt(r, keyColumn))).length;
      content += 0.5 * (keyed / asking.length);
    }
  }
  // Without a header the content is all there is, and paragraphs of instructions look like it.
  score += input.headerFound ? content : content / 2;

  // A sheet whose rows are mostly codes maps identifiers to each other; it asks nothing.
  if (rows.length > 0) {
    const coded = rows.filter((r) => {
      const filled = r.cells.map((c) => c.trim()).filter((c) => c !== '');
      return filled.length >= 2 && filled.filter(identifierLike).length * 2 > filled.length;
    }).length;
    score -= 3 * (coded / rows.length);
  }
  return Math.round(score * 100) / 100;
}
