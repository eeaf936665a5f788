/**
 * Keys the workbench makes up itself, for a section or criterion added by title and for a question added without one:
 * short, readable identifiers in the style of the question banks — `PRC-01` for a criterion "Price", `DPR-01` for
 * "Data protection", `PRC-01.1` for its first question — instead of the title cut at 30 characters. Vendors quote these
 * keys in their responses and workbooks, so they must be short and must not change when a title is edited.
 *
 * Keys written by someone (an officer in the builder, a bank, an imported file) are never rewritten here: only the
 * first free variant of a taken key is chosen. Every comparison ignores case, as everywhere else (app/import/keys.ts).
 */

const STOP_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U', 'Y']);

/** Three capital letters standing for a title: initials of its first words, or a word's first letter and consonants. */
export function keyPrefix(title: string, fallback = 'KEY'): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter(Boolean);
  const significant = words.filter((w) => !STOP_WORDS.has(w.toLowerCase()));
  const chosen = significant.length > 0 ? significant : words;
  if (chosen.length === 0) return fallback;
  if (chosen.length >= 3) return chosen.slice(0, 3).map((w) => w[0]).join('');
  // One or two words: the initials, then the last word's consonants (then its other letters) up to three letters.
  const initials = chosen.map((w) => w[0]!);
  const last = chosen[chosen.length - 1]!.slice(1);
  const filler = [...last].filter((c) => !VOWELS.has(c)).concat([...last].filter((c) => VOWELS.has(c)));
  return (initials.join('') + filler.join('')).slice(0, 3);
}

/** A generated criterion key: three letters and a two-digit number (`PRC-01`). */
const NUMBERED = /^([A-Z]{1,3})-(\d{2,})$/;
/** A generated question key: its criterion's key and a number (`PRC-01.3`). */
const SUB_NUMBERED = /^(.+)\.(\d+)$/;
/** app/import/keys.ts's length limit: a generated key must pass the rule every key passes. */
const KEY_MAX_CHARS = 40;

/** Claims keys against those already taken, so many keys can be generated in one pass (an import, a bank). */
export class KeyAllocator {
  private readonly taken: Set<string>;
  /** The next suffix to try per wanted key, so a thousand clashes on one key stay linear. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(existing: Iterable<string>) {
    this.taken = new Set([...existing].map((k) => k.toLowerCase()));
  }

  has(key: string): boolean {
    return this.taken.has(key.toLowerCase());
  }

  /** Marks a key as taken (a key claimed elsewhere in the same write). */
  take(key: string): void {
    this.taken.add(key.toLowerCase());
  }

  /**
   * The wanted key when free, else the first free `-2`, `-3`… (a bank's `RAI-GOV` copied → `RAI-GOV-2`, which the risk
   * checks still recognise as the bank criterion). Keys someone wrote are otherwise kept as they are.
   */
  claim(wanted: string): string {
    if (!this.has(wanted)) return this.claimed(wanted);
    let n = this.nextSuffix.get(wanted.toLowerCase()) ?? 2;
    let candidate = `${wanted}-${n}`;
    while (this.has(candidate)) candidate = `${wanted}-${++n}`;
    this.nextSuffix.set(wanted.toLowerCase(), n + 1);
    return this.claimed(candidate);
  }

  /** A criterion's key: a generated one (`PRC-01`) taken already gets its next free number (`PRC-02`), others `claim`. */
  claimCriterionKey(wanted: string): string {
    const numbered = NUMBERED.exec(wanted);
    if (numbered && this.has(wanted)) return this.claimNumbered(numbered[1]!, Number(numbered[2]));
    return this.claim(wanted);
  }

  /**
   * A question's key in the criterion `criterionKey`: a key generated for that criterion (`PRC-01.1`) taken already gets
   * the next free number (`PRC-01.2`); any other key — a bank's `ACC-01`, a framework's `AC-2(1)` — is never renumbered
   * into what may be another real identifier, only suffixed (`claim`).
   */
  claimQuestionKey(wanted: string, criterionKey: string): string {
    const sub = SUB_NUMBERED.exec(wanted);
    if (sub && sub[1]!.toLowerCase() === criterionKey.toLowerCase() && this.has(wanted)) return this.claimSubNumbered(criterionKey, Number(sub[2]));
    return this.claim(wanted);
  }

  /** The first free `PREFIX-NN` from `from` on (`PRC-01`, `PRC-02`…; three digits past 99). */
  claimNumbered(prefix: string, from = 1): string {
    const memo = `#${prefix.toLowerCase()}`;
    let n = Math.max(from, this.nextSuffix.get(memo) ?? 1);
    while (this.has(numbered(prefix, n))) n += 1;
    this.nextSuffix.set(memo, n + 1);
    return this.claimed(numbered(prefix, n));
  }

  /** The first free `CRITERION.N` (`PRC-01.1`, `PRC-01.2`…), for a question of that criterion. */
  claimSubNumbered(criterionKey: string, from = 1): string {
    // A criterion key typed at full length leaves no room for the number: its questions are numbered on their own.
    if (criterionKey.length + 4 > KEY_MAX_CHARS) return this.claimNumbered('Q', from);
    const memo = `.${criterionKey.toLowerCase()}`;
    let n = Math.max(from, this.nextSuffix.get(memo) ?? 1);
    while (this.has(`${criterionKey}.${n}`)) n += 1;
    this.nextSuffix.set(memo, n + 1);
    return this.claimed(`${criterionKey}.${n}`);
  }

  private claimed(key: string): string {
    this.take(key);
    return key;
  }
}

function numbered(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(2, '0')}`;
}

/** The key a question added to `criterionKey` gets when none is typed: the criterion's key and the next number. */
export function nextQuestionKey(criterionKey: string, takenQuestionKeys: Iterable<string>): string {
  return new KeyAllocator(takenQuestionKeys).claimSubNumbered(criterionKey);
}
