/**
 * Reading the answers a vendor posted: a section's form (every question of it) or one question's autosave. Each
 * question is named by a hidden `r:<key>` holding the revision the page showed, and its value(s) as `a:<key>` — a
 * multi-choice with nothing ticked posts no `a:` field at all, which is why the revision field names the question.
 */
import type { AnswerSubmission } from './response.server';

/** More than any questionnaire has: a larger post is not a form of this page. */
const MAX_QUESTIONS_PER_POST = 2_000;

export function readAnswerSubmissions(form: FormData): { ok: true; answers: AnswerSubmission[] } | { ok: false; message: string } {
  const answers: AnswerSubmission[] = [];
  for (const [name, raw] of form.entries()) {
    if (!name.startsWith('r:')) continue;
    const key = name.slice(2);
    const revision = Number(raw);
    if (!key || key.length > 100 || !Number.isInteger(revision) || revision < 0) return { ok: false, message: 'The form is damaged: reload the page and try again.' };
    answers.push({ key, baseRevision: revision, raw: form.getAll(`a:${key}`).map((v) => (typeof v === 'string' ? v : '')) });
    if (answers.length > MAX_QUESTIONS_PER_POST) return { ok: false, message: 'Too many answers in one save.' };
  }
  if (answers.length === 0) return { ok: false, message: 'Nothing to save: the form named no question.' };
  return { ok: true, answers };
}
