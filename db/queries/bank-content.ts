/**
 * Bringing shipped content into an RFP: whole banks, single criteria or single questions from the question
 * banks, and RFP templates (a recommended mix with suggested points). Copies, not links: an RFP keeps the
 * wording it was published with even when the banks are revised.
 */
import { loadQuestionBanks, loadTemplates } from '../../fixtures/question-banks/load';
import type { BankCriterion, BankQuestion, QuestionBank, RfpTemplate } from '../../fixtures/question-banks/schema';
import type { Actor, Executor } from './audit';
import { createCriterion, createQuestion, createSection, getQuestionnaire } from './questionnaire';

let banksCache: QuestionBank[] | undefined;
export function questionBanks(): QuestionBank[] {
  banksCache ??= loadQuestionBanks();
  return banksCache;
}

let templatesCache: RfpTemplate[] | undefined;
export function rfpTemplates(): RfpTemplate[] {
  templatesCache ??= loadTemplates();
  return templatesCache;
}

export function findBankCriterion(key: string): { bank: QuestionBank; criterion: BankCriterion } | undefined {
  for (const bank of questionBanks()) {
    const criterion = bank.criteria.find((c) => c.key === key);
    if (criterion) return { bank, criterion };
  }
  return undefined;
}

export function findBankQuestion(key: string): { bank: QuestionBank; criterion: BankCriterion; question: BankQuestion } | undefined {
  for (const bank of questionBanks()) {
    for (const criterion of bank.criteria) {
      const question = criterion.questions.find((q) => q.key === key);
      if (question) return { bank, criterion, question };
    }
  }
  return undefined;
}

function questionInput(q: BankQuestion) {
  return {
    key: q.key,
    text: q.text,
    guidance: q.guidance,
    strongAnswer: q.strongAnswer,
    answerType: q.answerType,
    options: q.options.map((o) => ({ label: o.label, autoScore: o.autoScore ?? null })),
    required: q.required,
    references: q.references,
  };
}

/** The RFP's section for a bank (by key), created at the end when missing. */
async function sectionFor(db: Executor, actor: Actor, rfpId: string, key: string, title: string): Promise<string> {
  const existing = (await getQuestionnaire(db, rfpId)).find((s) => s.key === key);
  if (existing) return existing.id;
  return (await createSection(db, actor, rfpId, { key, title })).id;
}

/** Adds a bank criterion with its questions (all, or only `onlyQuestions`). Returns the new criterion's id. */
export async function addBankCriterion(
  db: Executor,
  actor: Actor,
  rfpId: string,
  criterionKey: string,
  options: { points?: number; sectionId?: string; onlyQuestions?: string[] } = {},
): Promise<string> {
  const found = findBankCriterion(criterionKey);
  if (!found) throw new Error(`There is no criterion ${criterionKey} in the question banks.`);
  const { bank, criterion } = found;
  const sectionId = options.sectionId ?? (await sectionFor(db, actor, rfpId, bank.id, bank.title));
  const created = await createCriterion(db, actor, rfpId, sectionId, {
    key: criterion.key,
    title: criterion.title,
    kind: criterion.kind,
    points: options.points ?? criterion.suggestedPoints,
    rubric: criterion.rubric.map((r) => ({ level: r.level, anchor: r.anchor })),
  });
  for (const q of criterion.questions) {
    if (options.onlyQuestions && !options.onlyQuestions.includes(q.key)) continue;
    await createQuestion(db, actor, rfpId, created.id, questionInput(q));
  }
  return created.id;
}

/** How much of each bank is already in the RFP: the keys of its criteria the RFP has (ignoring case), by bank id. */
export async function bankPresence(db: Executor, rfpId: string): Promise<Map<string, { present: string[]; total: number }>> {
  const keys = new Set((await db.selectFrom('criterion').select('key').where('rfp_id', '=', rfpId).execute()).map((c) => c.key.toLowerCase()));
  return new Map(questionBanks().map((b) => [b.id, { present: b.criteria.filter((c) => keys.has(c.key.toLowerCase())).map((c) => c.key), total: b.criteria.length }]));
}

export class BankAlreadyAddedError extends Error {
  constructor(
    readonly bankId: string,
    readonly present: string[],
    readonly total: number,
  ) {
    super(`${present.length} of the bank's ${total} criteria are already in this RFP.`);
  }
}

/**
 * Adds a whole bank: one section, every criterion at its suggested points. When some of its criteria are in the RFP
 * already, the officer must have chosen what to do (`duplicates`): add only the missing ones (`skip`) or copies of all
 * (`copy`, under new keys); without a choice nothing is added (`BankAlreadyAddedError`), checked in the caller's
 * transaction so two tabs cannot both add the bank unasked. Returns how many criteria were added and skipped.
 */
export async function addWholeBank(
  db: Executor,
  actor: Actor,
  rfpId: string,
  bankId: string,
  duplicates?: 'skip' | 'copy',
): Promise<{ added: number; skipped: number }> {
  const bank = questionBanks().find((b) => b.id === bankId);
  if (!bank) throw new Error(`There is no question bank "${bankId}".`);
  const present = (await bankPresence(db, rfpId)).get(bank.id)!.present;
  if (present.length > 0 && !duplicates) throw new BankAlreadyAddedError(bank.id, present, bank.criteria.length);
  const skip = new Set(duplicates === 'skip' ? present : []);
  const sectionId = await sectionFor(db, actor, rfpId, bank.id, bank.title);
  let added = 0;
  for (const criterion of bank.criteria) {
    if (skip.has(criterion.key)) continue;
    await addBankCriterion(db, actor, rfpId, criterion.key, { sectionId });
    added += 1;
  }
  return { added, skipped: skip.size };
}

/**
 * Adds single questions. Each goes into the RFP's copy of its bank criterion when there is one; otherwise that
 * criterion is created with just the chosen questions.
 */
export async function addBankQuestions(db: Executor, actor: Actor, rfpId: string, questionKeys: string[]): Promise<number> {
  let added = 0;
  const byCriterion = new Map<string, string[]>();
  for (const key of questionKeys) {
    const found = findBankQuestion(key);
    if (!found) throw new Error(`There is no question ${key} in the question banks.`);
    byCriterion.set(found.criterion.key, [...(byCriterion.get(found.criterion.key) ?? []), key]);
  }
  for (const [criterionKey, keys] of byCriterion) {
    const existing = (await getQuestionnaire(db, rfpId)).flatMap((s) => s.criteria).find((c) => c.key === criterionKey);
    if (existing) {
      const present = new Set(existing.questions.map((q) => q.key));
      for (const key of keys) {
        if (present.has(key)) continue;
        await createQuestion(db, actor, rfpId, existing.id, questionInput(findBankQuestion(key)!.question));
        added += 1;
      }
    } else {
      await addBankCriterion(db, actor, rfpId, criterionKey, { onlyQuestions: keys });
      added += keys.length;
    }
  }
  return added;
}

/**
 * Builds an empty RFP's questionnaire from a template: its sections, criteria and suggested points.
 * `maxQuestionsPerCriterion` keeps a shorter questionnaire (the demo uses it).
 */
export async function applyTemplate(
  db: Executor,
  actor: Actor,
  rfpId: string,
  templateId: string,
  options: { maxQuestionsPerCriterion?: number } = {},
): Promise<void> {
  const template = rfpTemplates().find((t) => t.id === templateId);
  if (!template) throw new Error(`There is no template "${templateId}".`);
  if ((await getQuestionnaire(db, rfpId)).length > 0) throw new Error('A template can only start an empty questionnaire.');
  for (const section of template.sections) {
    const created = await createSection(db, actor, rfpId, { key: section.key, title: section.title });
    for (const c of section.criteria) {
      const onlyQuestions = options.maxQuestionsPerCriterion
        ? findBankCriterion(c.key)?.criterion.questions.slice(0, options.maxQuestionsPerCriterion).map((q) => q.key)
        : undefined;
      await addBankCriterion(db, actor, rfpId, c.key, { points: c.points, sectionId: created.id, onlyQuestions });
    }
  }
}

export interface BankSearchHit {
  bankId: string;
  bankTitle: string;
  criterionKey: string;
  criterionTitle: string;
  kind: BankCriterion['kind'];
  suggestedPoints: number;
  questions: Array<{ key: string; text: string; answerType: string; references: string[] }>;
}

/** Criteria whose key, title, questions or references contain every word of the query (case-insensitive). */
export function searchBanks(query: string, bankId?: string): BankSearchHit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits: BankSearchHit[] = [];
  for (const bank of questionBanks()) {
    if (bankId && bank.id !== bankId) continue;
    for (const c of bank.criteria) {
      const matches = (q: BankQuestion) => {
        const haystack = `${c.key} ${c.title} ${q.key} ${q.text} ${q.references.join(' ')}`.toLowerCase();
        return words.every((w) => haystack.includes(w));
      };
      const questions = words.length === 0 ? c.questions : c.questions.filter(matches);
      if (questions.length === 0) continue;
      hits.push({
        bankId: bank.id,
        bankTitle: bank.title,
        criterionKey: c.key,
        criterionTitle: c.title,
        kind: c.kind,
        suggestedPoints: c.suggestedPoints,
        questions: questions.map((q) => ({ key: q.key, text: q.text, answerType: q.answerType, references: q.references })),
      });
    }
  }
  return hits;
}
