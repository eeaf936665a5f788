/**
 * What changed between two versions of a questionnaire — the addendum a vendor needs when an RFP reopened to draft is
 * published again (issue 12 item 5; issue 15 shows it to vendors). Pure: it compares two snapshots
 * (db/queries/questionnaire-versions.ts), so the page, an export or a mail can say the same thing.
 *
 * Items are matched by key (ignoring case, as keys are matched everywhere): a key is what vendors quote, so a question
 * whose key changed is, for them, one question removed and another added. Every difference is given as two texts, for
 * a word diff (app/components/text-diff.tsx), with whom it concerns: the strong-answer notes are for evaluators only
 * and are never part of what vendors are told.
 */
import type { QuestionnaireSnapshot, SnapshotCriterion, SnapshotQuestion, SnapshotSection } from '#db/queries/questionnaire-versions';
import { keyIdentity } from '#app/import/keys';
import { ANSWER_TYPE_LABELS, KIND_LABELS, optionsToText } from './questionnaire-forms';

export type Level = 'section' | 'criterion' | 'question';
export type ChangeKind = 'added' | 'removed' | 'changed';
export type Audience = 'vendors' | 'evaluators';

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
  audience: Audience;
}

export interface ItemChange {
  level: Level;
  kind: ChangeKind;
  key: string;
  /** The section's or criterion's title, the question's text (the newer one when both exist). */
  title: string;
  /** Where it is (newer version; the older one for a removed item): "Section · Criterion". */
  place: string;
  /** For an added or removed item, its content; for a changed one, only what changed. */
  fields: FieldChange[];
}

export interface QuestionnaireComparison {
  changes: ItemChange[];
  counts: Record<Level, Record<ChangeKind, number>>;
  /** Whether anything a vendor reads changed (evaluator-only notes aside). */
  changedForVendors: boolean;
}

interface Located<T> {
  item: T;
  section: SnapshotSection;
  criterion?: SnapshotCriterion;
}

function index<T extends { key: string }>(entries: Array<Located<T>>): Map<string, Located<T>> {
  const map = new Map<string, Located<T>>();
  for (const entry of entries) if (!map.has(keyIdentity(entry.item.key))) map.set(keyIdentity(entry.item.key), entry);
  return map;
}

const sectionsOf = (s: QuestionnaireSnapshot): Array<Located<SnapshotSection>> => s.sections.map((section) => ({ item: section, section }));
const criteriaOf = (s: QuestionnaireSnapshot): Array<Located<SnapshotCriterion>> => s.sections.flatMap((section) => section.criteria.map((c) => ({ item: c, section })));
const questionsOf = (s: QuestionnaireSnapshot): Array<Located<SnapshotQuestion>> =>
  s.sections.flatMap((section) => section.criteria.flatMap((criterion) => criterion.questions.map((q) => ({ item: q, section, criterion }))));

const points = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const rubricText = (c: SnapshotCriterion) => c.rubric.map((r) => `${r.level}: ${r.anchor}`).join('\n');
const criterionName = (c: SnapshotCriterion) => `${c.key} · ${c.title}`;

/** A question's fields as the texts compared, in the order a vendor reads them. */
function questionFields(entry: Located<SnapshotQuestion>): FieldChange[] {
  const q = entry.item;
  const field = (name: string, label: string, value: string, audience: Audience = 'vendors'): FieldChange => ({ field: name, label, before: value, after: value, audience });
  return [
    field('text', 'Question', q.text),
    field('guidance', 'Guidance for the vendor', q.guidance ?? ''),
    field('answerType', 'Answer type', ANSWER_TYPE_LABELS[q.answerType]),
    field('options', 'Options', optionsToText(q.options)),
    field('required', 'Required', q.required ? 'Required' : 'Optional'),
    field('references', 'Framework references', q.references.join('\n')),
    field('criterion', 'Criterion', entry.criterion ? criterionName(entry.criterion) : ''),
    field('strongAnswer', 'What a strong answer shows (evaluators only)', q.strongAnswer ?? '', 'evaluators'),
  ];
}

function criterionFields(entry: Located<SnapshotCriterion>): FieldChange[] {
  const c = entry.item;
  const field = (name: string, label: string, value: string): FieldChange => ({ field: name, label, before: value, after: value, audience: 'vendors' });
  return [
    field('title', 'Title', c.title),
    field('description', 'Description', c.description ?? ''),
    field('kind', 'Kind', KIND_LABELS[c.kind]),
    field('points', 'Points', c.kind === 'scored' || c.kind === 'price' ? points(c.points) : ''),
    field('rubric', 'Rubric', c.kind === 'price' ? '' : rubricText(c)),
    field('section', 'Section', entry.section.title),
  ];
}

function sectionFields(entry: Located<SnapshotSection>): FieldChange[] {
  return [{ field: 'title', label: 'Title', before: entry.item.title, after: entry.item.title, audience: 'vendors' }];
}

/** Compares each level's items by key: added, removed, or changed with the fields that differ. */
function compareLevel<T extends { key: string }>(
  level: Level,
  before: Array<Located<T>>,
  after: Array<Located<T>>,
  fields: (entry: Located<T>) => FieldChange[],
  describe: (entry: Located<T>) => { title: string; place: string },
): ItemChange[] {
  const old = index(before);
  const now = index(after);
  const changes: ItemChange[] = [];
  for (const entry of now.values()) {
    const previous = old.get(keyIdentity(entry.item.key));
    if (!previous) {
      changes.push({ level, kind: 'added', key: entry.item.key, ...describe(entry), fields: fields(entry).filter((f) => f.after !== '').map((f) => ({ ...f, before: '' })) });
      continue;
    }
    const was = new Map(fields(previous).map((f) => [f.field, f.before]));
    const differing = fields(entry)
      .map((f) => ({ ...f, before: was.get(f.field) ?? '' }))
      .filter((f) => f.before !== f.after);
    if (differing.length > 0) changes.push({ level, kind: 'changed', key: entry.item.key, ...describe(entry), fields: differing });
  }
  for (const entry of old.values()) {
    if (now.has(keyIdentity(entry.item.key))) continue;
    changes.push({ level, kind: 'removed', key: entry.item.key, ...describe(entry), fields: fields(entry).filter((f) => f.before !== '').map((f) => ({ ...f, after: '' })) });
  }
  return changes;
}

export function compareQuestionnaires(before: QuestionnaireSnapshot, after: QuestionnaireSnapshot): QuestionnaireComparison {
  const changes = [
    ...compareLevel('section', sectionsOf(before), sectionsOf(after), sectionFields, (e) => ({ title: e.item.title, place: '' })),
    ...compareLevel('criterion', criteriaOf(before), criteriaOf(after), criterionFields, (e) => ({ title: e.item.title, place: e.section.title })),
    ...compareLevel('question', questionsOf(before), questionsOf(after), questionFields, (e) => ({
      title: e.item.text,
      place: `${e.section.title} · ${e.criterion ? criterionName(e.criterion) : ''}`,
    })),
  ];
  const counts = { section: zero(), criterion: zero(), question: zero() };
  for (const change of changes) counts[change.level][change.kind] += 1;
  return { changes, counts, changedForVendors: changes.some((c) => c.kind !== 'changed' || c.fields.some((f) => f.audience === 'vendors')) };
}

function zero(): Record<ChangeKind, number> {
  return { added: 0, removed: 0, changed: 0 };
}

/** "2 questions added, 1 removed; 1 criterion changed" — or "No changes." */
export function summariseComparison(comparison: QuestionnaireComparison): string {
  const nouns: Record<Level, [string, string]> = { section: ['section', 'sections'], criterion: ['criterion', 'criteria'], question: ['question', 'questions'] };
  const parts: string[] = [];
  for (const level of ['question', 'criterion', 'section'] as const) {
    const c = comparison.counts[level];
    const bits = (['added', 'removed', 'changed'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
    if (bits.length === 0) continue;
    const first = (['added', 'removed', 'changed'] as const).find((k) => c[k] > 0)!;
    const [one, many] = nouns[level];
    bits[0] = `${c[first]} ${c[first] === 1 ? one : many} ${first}`;
    parts.push(bits.join(', '));
  }
  return parts.length === 0 ? 'No changes.' : `${parts.join('; ')}.`;
}
