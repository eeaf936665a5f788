import type { AnswerType, AnswerTypeRule, GridValidation, PreviewOption } from './import-types.server';

/**
 * What a questionnaire's answer-type cells and dropdowns mean, and the auto-score shares their options suggest by
 * default (DESIGN §3). Pure tables and lookups; the preview applies them row by row and lists what it used so the
 * officer can change any of it.
 */

const YES_NO = ['Yes', 'No'];
const rule = (type: AnswerType, options: string[] = []): AnswerTypeRule => ({ type, options });

/** Codes questionnaires put in an answer-type column, keyed by the lower-cased code. */
export const BUILT_IN_ANSWER_TYPE_CODES: Readonly<Record<string, AnswerTypeRule>> = {
  txt: rule('text'),
  text: rule('text'),
  t: rule('text'),
  yn: rule('yes_no', YES_NO),
  'y/n': rule('yes_no', YES_NO),
  yna: rule('choice', ['Yes', 'No', 'N/A']),
  ynna: rule('choice', ['Yes', 'No', 'N/A']),
  ynp: rule('choice', ['Yes', 'No', 'Partial']),
  ynpna: rule('choice', ['Yes', 'No', 'Partial', 'N/A']),
  ynana: rule('choice', ['Yes', 'No', 'Partial', 'N/A']),
  num: rule('number'),
  n: rule('number'),
  number: rule('number'),
  int: rule('number'),
  dec: rule('number'),
  mc: rule('multi_choice'),
  multi: rule('multi_choice'),
  att: rule('attachment'),
  file: rule('attachment'),
  upload: rule('attachment'),
};

const ANSWER_TYPE_WORDS: Array<[RegExp, AnswerType]> = [
  [/select (all|many|multiple|several)|all that apply|check all|\bmulti[- ]?(select|choice|response|answer)|checkbox|tick all|multiple (select|selection|answers|responses)/, 'multi_choice'],
  [/\by ?\/ ?n\b|\byes ?(\/|or|-|\||,)? ?no\b|\bboolean\b|\btrue ?\/ ?false\b/, 'yes_no'],
  [/multiple choice|select one|single (choice|select|selection)|choose one|pick one|one of|drop ?-?down|pick ?list|\bchoice\b|\bradio\b|\blist\b/, 'choice'],
  [/\bnumeric\b|\bnumber\b|\bamount\b|\binteger\b|\bdecimal\b|\bcurrency\b|\bprice\b|\bcost\b|\bpercent(age)?\b|%|\bquantity\b|\bcount\b/, 'number'],
  [/\b(upload|attachment|attach|document|file|evidence)s?\b/, 'attachment'],
  [/\bfree ?-?text\b|\btext\b|\bnarrative\b|\bopen\b|\bessay\b|\bcomments?\b|\bdescri(be|ption)\b|\bexplain\b|\bparagraph\b|\bstring\b|\bwritten\b/, 'text'],
];

/** The answer type a questionnaire's wording means ("Yes/No", "Select all that apply"), or null when it is not one we know. */
export function recogniseAnswerType(raw: string): AnswerType | null {
  const value = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (value === '') return null;
  for (const [pattern, type] of ANSWER_TYPE_WORDS) if (pattern.test(value)) return type;
  return null;
}

/** The table key of an answer-type cell or option label: trimmed, inner whitespace collapsed, lower-cased. */
export const codeKey = (raw: string) => raw.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * What one answer-type cell means: the officer's table first, then the built-in codes, then the wording. Null when
 * none knows it (the question then takes its type from its options or a dropdown, else text).
 */
export function ruleForCode(raw: string, overrides: Readonly<Record<string, AnswerTypeRule>> | undefined): AnswerTypeRule | null {
  const key = codeKey(raw);
  if (key === '') return null;
  const chosen = own(overrides, key) ?? own(BUILT_IN_ANSWER_TYPE_CODES, key);
  if (chosen) return chosen;
  const spelled = spelledOutChoice(key);
  if (spelled) return spelled;
  const type = recogniseAnswerType(raw);
  if (!type) return null;
  return rule(type, type === 'yes_no' ? YES_NO : []);
}

/** "Yes/No/N/A", "Yes / No / Partial" written out in the type column: the options it names (the word reading would keep only Yes and No). */
function spelledOutChoice(key: string): AnswerTypeRule | null {
  const match = /^yes ?[/,|] ?no(?: ?[/,|] ?(partial|partially))?(?: ?[/,|] ?(n\/a|na|not applicable))?$/.exec(key);
  if (!match || (!match[1] && !match[2])) return null;
  return rule('choice', ['Yes', 'No', ...(match[1] ? ['Partial'] : []), ...(match[2] ? ['N/A'] : [])]);
}

/**
 * The answer type a data validation gives: a list of exactly Yes and No is yes/no, any other list a choice of its
 * values, a whole-number or decimal rule a number. Null for a list that could not be resolved.
 */
export function ruleForValidation(validation: GridValidation): AnswerTypeRule | null {
  if (validation.kind === 'whole' || validation.kind === 'decimal') return rule('number');
  const seen = new Set<string>();
  const options: string[] = [];
  for (const raw of validation.options) {
    const label = raw.trim();
    if (label === '' || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    options.push(label);
  }
  if (options.length === 0) return null;
  const lower = options.map((o) => o.toLowerCase()).sort();
  if (lower.length === 2 && lower[0] === 'no' && lower[1] === 'yes') return rule('yes_no', options);
  return rule('choice', options);
}

// Answer labels (lower-cased) by the share they suggest. They are the vendor's possible answers as questionnaires spell
// them: "Not implemented" is an answer meaning the control is not in place (share 0), not a gap in this code.
const SHARE_ONE = new Set(['yes', 'y', 'true', 'compliant', 'fully compliant', 'fully', 'full', 'met', 'fully met', 'implemented', 'fully implemented']);
const SHARE_ZERO = new Set(['no', 'n', 'false', 'not compliant', 'non-compliant', 'noncompliant', 'not met', 'not implemented']);
const SHARE_HALF = new Set(['partial', 'partially', 'partly', 'partially compliant', 'partially met', 'partially implemented', 'in progress']);
const NO_SHARE = new Set(['n/a', 'na', 'n.a.', 'n.a', 'not applicable', 'none of the above', 'unknown', "don't know", 'do not know']);

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The default auto-score share of each option of one question: yes 1, no 0, partial 0.5, n/a none; an all-numeric
 * scale (besides n/a) runs from 0 at its lowest to 1 at its highest (1–5 → 0, .25, .5, .75, 1). Anything else suggests
 * nothing: the evaluator scores it.
 */
export function defaultShares(labels: string[]): Array<number | null> {
  const keys = labels.map(codeKey);
  const numeric = keys.filter((k) => !NO_SHARE.has(k));
  if (numeric.length >= 2 && numeric.every((k) => NUMBER.test(k))) {
    const values = numeric.map(Number);
    const min = Math.min(...values);
    const max = Math.max(...values);
    if (max > min) return keys.map((k) => (NUMBER.test(k) ? round((Number(k) - min) / (max - min)) : null));
  }
  return keys.map((k) => (SHARE_ONE.has(k) ? 1 : SHARE_ZERO.has(k) ? 0 : SHARE_HALF.has(k) ? 0.5 : null));
}

/** Three decimals are plenty for a suggestion and keep a 1–7 scale readable. */
const round = (share: number) => Math.round(share * 1000) / 1000;

/** A question's options with their shares: the officer's table (by lower-cased label) over the defaults. */
export function withShares(labels: string[], overrides: Readonly<Record<string, number | null>> | undefined): PreviewOption[] {
  const defaults = defaultShares(labels);
  return labels.map((label, i) => {
    const key = codeKey(label);
    const override = own(overrides, key);
    return { label, autoScore: override !== undefined ? override : defaults[i]! };
  });
}

/** A table's own entry (a cell reading "constructor" or "__proto__" must not find Object's). */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
