/**
 * The questionnaire of one RFP: sections → criteria → questions, in order. Every write is audited with
 * before/after, and every query is scoped by rfp_id inside the query, so an id from another RFP never matches.
 * An id naming a parent (the section of a new criterion, the criterion of a new question) is checked to be this
 * RFP's in the query, in the write's transaction. Callers run writes inside the lifecycle lock
 * (`withRfpLock`, app/rfp/locks.server.ts).
 */
import { newId, nowIso } from '../ids';
import type { AnswerType, Criterion, CriterionKind, Question, Section } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';
import { insertInBatches } from './batch';
import { KeyAllocator, keyPrefix } from '../generated-keys';

export interface RubricLevel {
  level: number;
  anchor: string;
}

export interface QuestionOption {
  label: string;
  autoScore: number | null;
}

export interface QuestionView extends Omit<Question, 'options_json' | 'references_json' | 'required'> {
  options: QuestionOption[];
  references: string[];
  required: boolean;
}

export interface CriterionView extends Omit<Criterion, 'rubric_json'> {
  rubric: RubricLevel[];
  questions: QuestionView[];
}

export interface SectionView extends Section {
  criteria: CriterionView[];
}

export function toQuestionView(q: Question): QuestionView {
  const { options_json, references_json, required, ...rest } = q;
  return { ...rest, options: JSON.parse(options_json), references: JSON.parse(references_json), required: Boolean(required) };
}

function toCriterionView(c: Criterion, questions: QuestionView[]): CriterionView {
  const { rubric_json, ...rest } = c;
  return { ...rest, points: Number(c.points), rubric: JSON.parse(rubric_json), questions };
}

/** The whole questionnaire, ordered by position at each level. */
export async function getQuestionnaire(db: Executor, rfpId: string): Promise<SectionView[]> {
  const [sections, criteria, questions] = await Promise.all([
    db.selectFrom('section').selectAll().where('rfp_id', '=', rfpId).orderBy('position').execute(),
    db.selectFrom('criterion').selectAll().where('rfp_id', '=', rfpId).orderBy('position').execute(),
    db.selectFrom('question').selectAll().where('rfp_id', '=', rfpId).orderBy('position').execute(),
  ]);
  const questionsByCriterion = new Map<string, QuestionView[]>();
  for (const q of questions) {
    const list = questionsByCriterion.get(q.criterion_id) ?? [];
    list.push(toQuestionView(q));
    questionsByCriterion.set(q.criterion_id, list);
  }
  const criteriaBySection = new Map<string, CriterionView[]>();
  for (const c of criteria) {
    const list = criteriaBySection.get(c.section_id) ?? [];
    list.push(toCriterionView(c, questionsByCriterion.get(c.id) ?? []));
    criteriaBySection.set(c.section_id, list);
  }
  return sections.map((s) => ({ ...s, criteria: criteriaBySection.get(s.id) ?? [] }));
}

export async function getSection(db: Executor, rfpId: string, id: string): Promise<Section | undefined> {
  return db.selectFrom('section').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
}

export async function getCriterion(db: Executor, rfpId: string, id: string): Promise<CriterionView | undefined> {
  const row = await db.selectFrom('criterion').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const questions = await db.selectFrom('question').selectAll().where('criterion_id', '=', id).orderBy('position').execute();
  return toCriterionView(row, questions.map(toQuestionView));
}

export async function getQuestion(db: Executor, rfpId: string, id: string): Promise<QuestionView | undefined> {
  const row = await db.selectFrom('question').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  return row ? toQuestionView(row) : undefined;
}

/** The keys taken in this RFP at a level, for generating a free one (db/generated-keys.ts). */
async function keysAt(db: Executor, rfpId: string, ...tables: Array<'section' | 'criterion' | 'question'>): Promise<KeyAllocator> {
  const rows = await Promise.all(tables.map((table) => db.selectFrom(table).select('key').where('rfp_id', '=', rfpId).execute()));
  return new KeyAllocator(rows.flat().map((r) => r.key));
}

export class DuplicateKeyError extends Error {
  constructor(
    readonly what: string,
    readonly key: string,
  ) {
    super(`Another ${what} in this RFP already uses the key ${key}.`);
  }
}

async function nextPosition(db: Executor, table: 'section' | 'criterion' | 'question', column: 'rfp_id' | 'section_id' | 'criterion_id', parentId: string) {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max<number>('position').as('max'))
    .where(column, '=', parentId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/** An id from a form that names an item of another RFP (or of none). */
export class NotInRfpError extends Error {
  constructor(readonly what: Level) {
    super(`That ${what} is not part of this questionnaire.`);
  }
}

async function assertInRfp(db: Executor, level: 'section' | 'criterion', rfpId: string, id: string): Promise<void> {
  const row = await db.selectFrom(level).select('id').where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotInRfpError(level);
}

const audit = (db: Executor, actor: Actor, rfpId: string, entity: string, entityId: string, action: string, before?: unknown, after?: unknown) =>
  recordAudit(db, actor, { rfpId, entity, entityId, action, before, after });

// ---------- sections ----------

export async function createSection(db: Executor, actor: Actor, rfpId: string, input: { key?: string; title: string }): Promise<Section> {
  const section: Section = {
    id: newId(),
    rfp_id: rfpId,
    key: (await keysAt(db, rfpId, 'section')).claim(input.key ?? keyPrefix(input.title, 'SEC')),
    title: input.title,
    position: await nextPosition(db, 'section', 'rfp_id', rfpId),
    created_at: nowIso(),
  };
  await db.insertInto('section').values(section).execute();
  await audit(db, actor, rfpId, 'section', section.id, 'section.create', undefined, section);
  return section;
}

export async function renameSection(db: Executor, actor: Actor, rfpId: string, id: string, title: string): Promise<boolean> {
  const before = await getSection(db, rfpId, id);
  if (!before) return false;
  await db.updateTable('section').set({ title }).where('id', '=', id).where('rfp_id', '=', rfpId).execute();
  await audit(db, actor, rfpId, 'section', id, 'section.update', before, { ...before, title });
  return true;
}

// ---------- criteria ----------

export interface CriterionInput {
  key?: string;
  title: string;
  description?: string | null;
  kind: CriterionKind;
  points: number;
  rubric: RubricLevel[];
}

export async function createCriterion(db: Executor, actor: Actor, rfpId: string, sectionId: string, input: CriterionInput): Promise<Criterion> {
  await assertInRfp(db, 'section', rfpId, sectionId);
  // A generated criterion key also avoids the question keys, so `ACC-01` never names both a criterion and a question.
  const keys = await keysAt(db, rfpId, 'criterion', ...(input.key ? [] : (['question'] as const)));
  const criterion: Criterion = {
    id: newId(),
    rfp_id: rfpId,
    section_id: sectionId,
    key: input.key ? keys.claimCriterionKey(input.key) : keys.claimNumbered(keyPrefix(input.title, 'CRT')),
    title: input.title,
    description: input.description ?? null,
    kind: input.kind,
    points: input.kind === 'scored' || input.kind === 'price' ? input.points : 0,
    rubric_json: JSON.stringify(input.rubric),
    position: await nextPosition(db, 'criterion', 'section_id', sectionId),
    created_at: nowIso(),
  };
  await db.insertInto('criterion').values(criterion).execute();
  await audit(db, actor, rfpId, 'criterion', criterion.id, 'criterion.create', undefined, criterion);
  return criterion;
}

export async function updateCriterion(
  db: Executor,
  actor: Actor,
  rfpId: string,
  id: string,
  input: Omit<CriterionInput, 'key'> & { key: string },
): Promise<boolean> {
  const before = await db.selectFrom('criterion').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!before) return false;
  if (input.key.toLowerCase() !== before.key.toLowerCase()) {
    const clash = await db.selectFrom('criterion').select('id').where('rfp_id', '=', rfpId).where('key', '=', input.key).executeTakeFirst();
    if (clash) throw new DuplicateKeyError('criterion', input.key);
  }
  const change = {
    key: input.key,
    title: input.title,
    description: input.description ?? null,
    kind: input.kind,
    points: input.kind === 'scored' || input.kind === 'price' ? input.points : 0,
    rubric_json: JSON.stringify(input.rubric),
  };
  await db.updateTable('criterion').set(change).where('id', '=', id).where('rfp_id', '=', rfpId).execute();
  await audit(db, actor, rfpId, 'criterion', id, 'criterion.update', before, { ...before, ...change });
  return true;
}

// ---------- questions ----------

export interface QuestionInput {
  key?: string;
  text: string;
  guidance?: string | null;
  strongAnswer?: string | null;
  answerType: AnswerType;
  options: QuestionOption[];
  required: boolean;
  references: string[];
}

/** A stored question as the input that recreates it (for copies). */
export function questionInputOf(q: QuestionView): QuestionInput {
  return {
    key: q.key,
    text: q.text,
    guidance: q.guidance,
    strongAnswer: q.strong_answer,
    answerType: q.answer_type,
    options: q.options,
    required: q.required,
    references: q.references,
  };
}

function questionColumns(input: QuestionInput) {
  return {
    text: input.text,
    guidance: input.guidance ?? null,
    strong_answer: input.strongAnswer ?? null,
    answer_type: input.answerType,
    options_json: JSON.stringify(input.options),
    required: input.required ? 1 : 0,
    references_json: JSON.stringify(input.references),
  };
}

export async function createQuestion(db: Executor, actor: Actor, rfpId: string, criterionId: string, input: QuestionInput): Promise<Question> {
  const criterion = await db.selectFrom('criterion').select('key').where('rfp_id', '=', rfpId).where('id', '=', criterionId).executeTakeFirst();
  if (!criterion) throw new NotInRfpError('criterion');
  const keys = await keysAt(db, rfpId, 'question');
  const question: Question = {
    id: newId(),
    rfp_id: rfpId,
    criterion_id: criterionId,
    key: input.key ? keys.claimQuestionKey(input.key, criterion.key) : keys.claimSubNumbered(criterion.key),
    ...questionColumns(input),
    position: await nextPosition(db, 'question', 'criterion_id', criterionId),
    created_at: nowIso(),
  };
  await db.insertInto('question').values(question).execute();
  await audit(db, actor, rfpId, 'question', question.id, 'question.create', undefined, question);
  return question;
}

export async function updateQuestion(db: Executor, actor: Actor, rfpId: string, id: string, input: QuestionInput & { key: string }): Promise<boolean> {
  const before = await db.selectFrom('question').selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!before) return false;
  if (input.key.toLowerCase() !== before.key.toLowerCase()) {
    const clash = await db.selectFrom('question').select('id').where('rfp_id', '=', rfpId).where('key', '=', input.key).executeTakeFirst();
    if (clash) throw new DuplicateKeyError('question', input.key);
  }
  const change = { key: input.key, ...questionColumns(input) };
  await db.updateTable('question').set(change).where('id', '=', id).where('rfp_id', '=', rfpId).execute();
  await audit(db, actor, rfpId, 'question', id, 'question.update', before, { ...before, ...change });
  return true;
}

// ---------- order, duplicate, delete (shared by the three levels) ----------

export type Level = 'section' | 'criterion' | 'question';
const PARENT: Record<Level, 'rfp_id' | 'section_id' | 'criterion_id'> = { section: 'rfp_id', criterion: 'section_id', question: 'criterion_id' };

/** Swaps an item with its neighbour above or below among its siblings; `edge` (nothing written) at either end. */
export async function moveItem(db: Executor, actor: Actor, rfpId: string, level: Level, id: string, direction: 'up' | 'down'): Promise<'moved' | 'edge' | 'missing'> {
  const item = await db.selectFrom(level).selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!item) return 'missing';
  const parentColumn = PARENT[level];
  const parentId = (item as Record<string, unknown>)[parentColumn] as string;
  const siblings = await db
    .selectFrom(level)
    .select(['id', 'position'])
    .where(parentColumn, '=', parentId)
    .where('rfp_id', '=', rfpId)
    .orderBy('position')
    .execute();
  const index = siblings.findIndex((s) => s.id === id);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (target < 0 || target >= siblings.length) return 'edge';
  // Renumber the whole sibling list so positions stay dense and distinct.
  const order = siblings.map((s) => s.id);
  [order[index], order[target]] = [order[target]!, order[index]!];
  for (const [position, siblingId] of order.entries()) {
    await db.updateTable(level).set({ position }).where('id', '=', siblingId).where('rfp_id', '=', rfpId).execute();
  }
  await audit(db, actor, rfpId, level, id, `${level}.move`, { position: index }, { position: target });
  return 'moved';
}

/** Where criteria moved together go: the start of a section, or right after one of its criteria. */
export type CriteriaDestination = { sectionId: string; after: null } | { sectionId?: undefined; after: string };

/** A move of several criteria that cannot be made as asked (nothing is written). */
export class MoveCriteriaError extends Error {}

/**
 * Moves several criteria at once, in the order they have on the page, to one place: the start of a section or after
 * one of its criteria. Every criterion keeps its questions; each one moved is audited (`criterion.move`, section and
 * position before and after); positions stay dense in every section touched. `missing` when an id is not this RFP's.
 */
export async function moveCriteria(db: Executor, actor: Actor, rfpId: string, ids: string[], destination: CriteriaDestination): Promise<'moved' | 'missing'> {
  const all = await db.selectFrom('criterion').select(['id', 'key', 'section_id', 'position']).where('rfp_id', '=', rfpId).execute();
  const sections = await db.selectFrom('section').select(['id', 'position']).where('rfp_id', '=', rfpId).orderBy('position').execute();
  const byId = new Map(all.map((c) => [c.id, c]));
  const wanted = new Set(ids);
  if ([...wanted].some((id) => !byId.has(id))) return 'missing';
  const anchor = destination.after === null ? null : byId.get(destination.after);
  if (destination.after !== null && !anchor) return 'missing';
  const targetSection = anchor ? anchor.section_id : destination.sectionId!;
  if (!sections.some((s) => s.id === targetSection)) return 'missing';
  if (anchor && wanted.has(anchor.id)) throw new MoveCriteriaError(`Criterion ${anchor.key} is one of those being moved: choose a place outside the selection.`);

  const sectionOrder = new Map(sections.map((s, i) => [s.id, i]));
  const inPageOrder = [...all].sort((a, b) => sectionOrder.get(a.section_id)! - sectionOrder.get(b.section_id)! || Number(a.position) - Number(b.position));
  const moving = inPageOrder.filter((c) => wanted.has(c.id));
  const lists = new Map<string, typeof all>(sections.map((s) => [s.id, inPageOrder.filter((c) => c.section_id === s.id && !wanted.has(c.id))]));
  const target = lists.get(targetSection)!;
  target.splice(anchor ? target.findIndex((c) => c.id === anchor.id) + 1 : 0, 0, ...moving);

  const touched = new Set([targetSection, ...moving.map((c) => c.section_id)]);
  for (const sectionId of touched) {
    for (const [position, c] of lists.get(sectionId)!.entries()) {
      if (c.section_id === sectionId && Number(c.position) === position) continue;
      await db.updateTable('criterion').set({ section_id: sectionId, position }).where('id', '=', c.id).where('rfp_id', '=', rfpId).execute();
    }
  }
  for (const c of moving) {
    const position = target.findIndex((t) => t.id === c.id);
    await audit(db, actor, rfpId, 'criterion', c.id, 'criterion.move', { section_id: c.section_id, position: Number(c.position) }, { section_id: targetSection, position });
  }
  return 'moved';
}

/**
 * Deletes several criteria (with their questions) in the caller's transaction, each audited like one deleted alone.
 * Refused whole, naming them, when any has vendors' answers or scores (as a single delete is), and `missing` when an
 * id is not this RFP's: either way nothing is deleted.
 */
export async function deleteCriteria(db: Executor, actor: Actor, rfpId: string, ids: string[]): Promise<{ deleted: number } | { refused: string[] } | 'missing'> {
  const rows = await db.selectFrom('criterion').select(['id', 'key']).where('rfp_id', '=', rfpId).where('id', 'in', ids).execute();
  if (rows.length !== new Set(ids).size) return 'missing';
  const refused: string[] = [];
  for (const row of rows) {
    const records = await recordsUnder(db, rfpId, 'criterion', row.id);
    if (records.answers > 0 || records.scores > 0) refused.push(row.key);
  }
  if (refused.length > 0) return { refused };
  for (const row of rows) await deleteItem(db, actor, rfpId, 'criterion', row.id);
  return { deleted: rows.length };
}

/** Deletes an item and everything under it; the audit event keeps what was deleted. */
export async function deleteItem(db: Executor, actor: Actor, rfpId: string, level: Level, id: string): Promise<boolean> {
  const before = await db.selectFrom(level).selectAll().where('rfp_id', '=', rfpId).where('id', '=', id).executeTakeFirst();
  if (!before) return false;
  await db.deleteFrom(level).where('id', '=', id).where('rfp_id', '=', rfpId).execute();
  await audit(db, actor, rfpId, level, id, `${level}.delete`, before, undefined);
  return true;
}

/**
 * Copies a question, next to the original with the next free key (`PRC-01.1` → `PRC-01.2`, `ACC-01` → `ACC-01-2`), or
 * into the copy of its criterion (`into`), where a key numbered after the old criterion is numbered after the new one.
 */
export async function duplicateQuestion(
  db: Executor,
  actor: Actor,
  rfpId: string,
  id: string,
  into?: { criterionId: string; fromKey: string; toKey: string },
): Promise<Question | undefined> {
  const q = await getQuestion(db, rfpId, id);
  if (!q) return undefined;
  const input = questionInputOf(q);
  const prefix = into ? `${into.fromKey}.`.toLowerCase() : undefined;
  if (into && prefix && q.key.toLowerCase().startsWith(prefix) && /^\d+$/.test(q.key.slice(prefix.length))) {
    input.key = `${into.toKey}.${q.key.slice(prefix.length)}`;
  }
  return createQuestion(db, actor, rfpId, into?.criterionId ?? q.criterion_id, input);
}

/** Copies a criterion and its questions (into the same section unless another is given). */
export async function duplicateCriterion(db: Executor, actor: Actor, rfpId: string, id: string, sectionId?: string): Promise<Criterion | undefined> {
  const c = await getCriterion(db, rfpId, id);
  if (!c) return undefined;
  const copy = await createCriterion(db, actor, rfpId, sectionId ?? c.section_id, {
    key: c.key,
    title: sectionId ? c.title : `${c.title} (copy)`,
    description: c.description,
    kind: c.kind,
    points: c.points,
    rubric: c.rubric,
  });
  for (const q of c.questions) await duplicateQuestion(db, actor, rfpId, q.id, { criterionId: copy.id, fromKey: c.key, toKey: copy.key });
  return copy;
}

export async function duplicateSection(db: Executor, actor: Actor, rfpId: string, id: string): Promise<Section | undefined> {
  const section = await getSection(db, rfpId, id);
  if (!section) return undefined;
  const copy = await createSection(db, actor, rfpId, { key: section.key, title: `${section.title} (copy)` });
  const criteria = await db.selectFrom('criterion').select('id').where('section_id', '=', id).orderBy('position').execute();
  for (const c of criteria) await duplicateCriterion(db, actor, rfpId, c.id, copy.id);
  return copy;
}

/**
 * Copies the structure of one RFP's questionnaire (sections, criteria, rubrics, questions) into another,
 * keeping keys, for the next procurement. Vendors, answers and scores are not copied.
 */
export async function copyQuestionnaire(db: Executor, actor: Actor, fromRfpId: string, toRfpId: string): Promise<number> {
  let questions = 0;
  for (const section of await getQuestionnaire(db, fromRfpId)) {
    const newSection = await createSection(db, actor, toRfpId, { key: section.key, title: section.title });
    for (const c of section.criteria) {
      const newCriterion = await createCriterion(db, actor, toRfpId, newSection.id, {
        key: c.key,
        title: c.title,
        description: c.description,
        kind: c.kind,
        points: c.points,
        rubric: c.rubric,
      });
      for (const q of c.questions) {
        await createQuestion(db, actor, toRfpId, newCriterion.id, questionInputOf(q));
        questions += 1;
      }
    }
  }
  return questions;
}

// ---------- imports (app/import/questionnaire-import.server.ts builds the write from its preview) ----------

/** A question already in the RFP, as an import's preview compares keys against. */
export async function listQuestionKeys(db: Executor, rfpId: string): Promise<Array<{ id: string; key: string; text: string }>> {
  return db.selectFrom('question').select(['id', 'key', 'text']).where('rfp_id', '=', rfpId).orderBy('position').execute();
}

/** What an import writes: exactly the previewed questions, with their keys. */
export interface ImportWrite {
  rfpId: string;
  /** New questions, by section title in the preview's order. */
  sections: Array<{ title: string; questions: Array<QuestionInput & { key: string }> }>;
  /** Questions already in the RFP that the import updates in place (onCollision 'update'), by id and their key. */
  updates: Array<{ id: string; key: string; input: QuestionInput }>;
}

/** An import's rows, built before its transaction; `applyImport` places them (sections, positions) inside it. */
export interface PreparedImport {
  rfpId: string;
  sections: Array<{ title: string; section: Section; criterion: Criterion; questions: Question[] }>;
  updates: Array<{ id: string; key: string; columns: ReturnType<typeof questionColumns> }>;
}

/** What an import did, for its one audit event and the officer's message. */
export interface ImportedSummary {
  /** New sections (each with one new criterion), with their questions' keys in order. */
  created: Array<{ section: string; title: string; criterion: string; questions: string[] }>;
  /** Sections already in the RFP that received questions (under their first criterion), with the keys added. */
  addedTo: Array<{ section: string; title: string; criterion: string; questions: string[] }>;
  /** Questions updated in place, with what they were before. */
  updated: Array<{ id: string; key: string; before: QuestionView }>;
  sections: number;
  questions: number;
}

/**
 * The questionnaire changed between the preview and the write: a previewed key is now taken, or a question to update
 * is gone or renamed. The import writes nothing; the caller says "preview again".
 */
export class ImportConflictError extends Error {
  override readonly name = 'ImportConflictError';
  constructor(
    readonly taken: string[],
    readonly missing: string[],
  ) {
    super(`Keys now taken: ${taken.join(', ') || 'none'}; questions to update now missing: ${missing.join(', ') || 'none'}.`);
  }
}

/** Rows per pause while rows are built: a few milliseconds of work between chances for other requests. */
const ROWS_PER_PAUSE = 250;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

const titleKey = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Builds the rows of an import (ids, JSON columns, question order) outside any transaction, so the write itself does
 * little but insert. Sections of the same title (after trimming, ignoring case) are one section. Each new section gets
 * one criterion of the same title, scored, with no points or rubric yet: the builder then lists exactly what the
 * officer still has to decide. Whether a section is new is settled in `applyImport`.
 */
export async function prepareImport(write: ImportWrite): Promise<PreparedImport> {
  const createdAt = nowIso();
  const { rfpId } = write;
  const byTitle = new Map<string, PreparedImport['sections'][number]>();
  let built = 0;
  for (const imported of write.sections) {
    let entry = byTitle.get(titleKey(imported.title));
    if (!entry) {
      // Keys of new sections and criteria are generated in applyImport, against the keys taken then.
      const section: Section = { id: newId(), rfp_id: rfpId, key: keyPrefix(imported.title, 'SEC'), title: imported.title, position: 0, created_at: createdAt };
      const criterion: Criterion = {
        id: newId(),
        rfp_id: rfpId,
        section_id: section.id,
        key: keyPrefix(imported.title, 'CRT'),
        title: imported.title,
        description: null,
        kind: 'scored',
        points: 0,
        rubric_json: '[]',
        position: 0,
        created_at: createdAt,
      };
      entry = { title: imported.title, section, criterion, questions: [] };
      byTitle.set(titleKey(imported.title), entry);
    }
    for (const q of imported.questions) {
      entry.questions.push({ id: newId(), rfp_id: rfpId, criterion_id: entry.criterion.id, key: q.key, ...questionColumns(q), position: entry.questions.length, created_at: createdAt });
      if (++built % ROWS_PER_PAUSE === 0) await pause();
    }
  }
  const updates: PreparedImport['updates'] = [];
  for (const u of write.updates) {
    updates.push({ id: u.id, key: u.key, columns: questionColumns(u.input) });
    if (++built % ROWS_PER_PAUSE === 0) await pause();
  }
  return { rfpId, sections: [...byTitle.values()], updates };
}

/**
 * Writes a prepared import in the caller's (short) transaction, exactly as previewed: the RFP's question keys are read
 * again here, and if a new question's key is now taken or a question to update is gone (or renamed) nothing is written
 * (`ImportConflictError`) — keys are never renamed. New questions whose section title is already a section of the RFP
 * go under that section's first criterion, after its questions; the others go into new sections after the last one.
 * Section and criterion keys are generated, so a taken one gets the first free numeric suffix. Rows go in by batches
 * (db/queries/batch.ts); the caller records one audit event for the import from the returned summary.
 */
export async function applyImport(db: Executor, prepared: PreparedImport): Promise<ImportedSummary> {
  const { rfpId } = prepared;
  const existing = await db.selectFrom('question').selectAll().where('rfp_id', '=', rfpId).execute();
  const byKey = new Map(existing.map((q) => [q.key.toLowerCase(), q]));
  const byId = new Map(existing.map((q) => [q.id, q]));
  const taken = prepared.sections.flatMap((s) => s.questions.filter((q) => byKey.has(q.key.toLowerCase())).map((q) => q.key));
  const missing = prepared.updates.filter((u) => byId.get(u.id)?.key.toLowerCase() !== u.key.toLowerCase()).map((u) => u.key);
  if (taken.length > 0 || missing.length > 0) throw new ImportConflictError(taken, missing);

  const [sections, criteria] = await Promise.all([
    db.selectFrom('section').select(['id', 'key', 'title', 'position']).where('rfp_id', '=', rfpId).orderBy('position').execute(),
    db.selectFrom('criterion').select(['id', 'key', 'section_id', 'position']).where('rfp_id', '=', rfpId).orderBy('position').execute(),
  ]);
  const sectionByTitle = new Map<string, (typeof sections)[number]>();
  for (const s of sections) if (!sectionByTitle.has(titleKey(s.title))) sectionByTitle.set(titleKey(s.title), s);
  const firstCriterion = new Map<string, (typeof criteria)[number]>();
  for (const c of criteria) if (!firstCriterion.has(c.section_id)) firstCriterion.set(c.section_id, c);
  const lastQuestionPosition = new Map<string, number>();
  for (const q of existing) lastQuestionPosition.set(q.criterion_id, Math.max(lastQuestionPosition.get(q.criterion_id) ?? -1, Number(q.position)));
  const lastCriterionPosition = new Map<string, number>();
  for (const c of criteria) lastCriterionPosition.set(c.section_id, Math.max(lastCriterionPosition.get(c.section_id) ?? -1, Number(c.position)));

  const sectionKeys = new KeyAllocator(sections.map((s) => s.key));
  // Criterion keys are generated as `PRC-01`, avoiding question keys (those in the RFP and those being imported).
  const criterionKeys = new KeyAllocator([...criteria.map((c) => c.key), ...existing.map((q) => q.key), ...prepared.sections.flatMap((s) => s.questions.map((q) => q.key))]);
  let nextSection = sections.reduce((max, s) => Math.max(max, Number(s.position)), -1) + 1;
  const newSections: Section[] = [];
  const newCriteria: Criterion[] = [];
  const created: ImportedSummary['created'] = [];
  const addedTo: ImportedSummary['addedTo'] = [];
  for (const entry of prepared.sections) {
    const target = sectionByTitle.get(titleKey(entry.title));
    let criterion = target ? firstCriterion.get(target.id) : undefined;
    if (target && !criterion) {
      // A section of that title without any criterion yet: it gets the import's criterion.
      entry.criterion.section_id = target.id;
      entry.criterion.key = criterionKeys.claimNumbered(entry.criterion.key);
      entry.criterion.position = (lastCriterionPosition.get(target.id) ?? -1) + 1;
      newCriteria.push(entry.criterion);
      criterion = entry.criterion;
    }
    if (target && criterion) {
      const base = (lastQuestionPosition.get(criterion.id) ?? -1) + 1;
      for (const [i, q] of entry.questions.entries()) {
        q.criterion_id = criterion.id;
        q.position = base + i;
      }
      addedTo.push({ section: target.key, title: target.title, criterion: criterion.key, questions: entry.questions.map((q) => q.key) });
    } else {
      entry.section.key = sectionKeys.claim(entry.section.key);
      entry.section.position = nextSection++;
      entry.criterion.key = criterionKeys.claimNumbered(entry.criterion.key);
      newSections.push(entry.section);
      newCriteria.push(entry.criterion);
      created.push({ section: entry.section.key, title: entry.section.title, criterion: entry.criterion.key, questions: entry.questions.map((q) => q.key) });
    }
  }
  await insertInBatches(db, 'section', newSections);
  await insertInBatches(db, 'criterion', newCriteria);
  await insertInBatches(db, 'question', prepared.sections.flatMap((s) => s.questions));

  const updated: ImportedSummary['updated'] = [];
  for (const [i, u] of prepared.updates.entries()) {
    await db.updateTable('question').set(u.columns).where('id', '=', u.id).where('rfp_id', '=', rfpId).execute();
    updated.push({ id: u.id, key: u.key, before: toQuestionView(byId.get(u.id)!) });
    if ((i + 1) % ROWS_PER_PAUSE === 0) await pause();
  }
  return {
    created,
    addedTo,
    updated,
    sections: newSections.length,
    questions: prepared.sections.reduce((n, s) => n + s.questions.length, 0),
  };
}

/**
 * Answers and scores that hang off a questionnaire item (and everything under it). Deleting an item that has
 * any would destroy vendors' answers or evaluators' work, so the builder refuses it.
 */
export async function recordsUnder(db: Executor, rfpId: string, level: Level, id: string): Promise<{ answers: number; scores: number }> {
  const criterionIds =
    level === 'section'
      ? (await db.selectFrom('criterion').select('id').where('rfp_id', '=', rfpId).where('section_id', '=', id).execute()).map((r) => r.id)
      : level === 'criterion'
        ? [id]
        : [];
  let questionIds: string[] = level === 'question' ? [id] : [];
  if (criterionIds.length > 0) {
    questionIds = (await db.selectFrom('question').select('id').where('rfp_id', '=', rfpId).where('criterion_id', 'in', criterionIds).execute()).map((r) => r.id);
  }
  const count = async (table: 'answer' | 'score' | 'consensus_score', column: 'question_id' | 'criterion_id', ids: string[]) =>
    ids.length === 0
      ? 0
      : Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('rfp_id', '=', rfpId).where(column, 'in', ids).executeTakeFirstOrThrow()).n);
  return {
    answers: await count('answer', 'question_id', questionIds),
    scores: (await count('score', 'criterion_id', criterionIds)) + (await count('consensus_score', 'criterion_id', criterionIds)),
  };
}
