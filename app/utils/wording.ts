/**
 * Small sentence helpers every page uses, so counts and roles read as English: "1 criterion" / "3 criteria",
 * "an evaluator" / "a lead", "A, B and C".
 */

/** "1 criterion", "3 criteria", "1,200 questions"; `many` defaults to `one` + "s". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** The noun alone, agreeing with the count: "criterion" for 1, "criteria" otherwise. */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

// Words that start with a vowel letter but a consonant sound, and the reverse (an "hour").
const CONSONANT_SOUND = /^(one|once|uni(?!n)|use|usu|eu|ur[aeiou])/i;
const VOWEL_SOUND = /^(hour|honest|honou?r|heir)/i;

/** "an evaluator", "a lead", "a user", "an hour", "an AI …" (an initialism said letter by letter). */
export function withArticle(phrase: string): string {
  const word = phrase.trimStart();
  const initialism = /^[A-Z]{2,}\b/.test(word) ? /^[AEFHILMNORSX]/.test(word) : null;
  const vowel = initialism ?? ((/^[aeiou]/i.test(word) && !CONSONANT_SOUND.test(word)) || VOWEL_SOUND.test(word));
  return `${vowel ? 'an' : 'a'} ${word}`;
}

/** "A", "A and B", "A, B and C". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`;
}

/** A text on one line, shortened to `length` characters with an ellipsis: a question named in a list or a label. */
export function clipText(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}
