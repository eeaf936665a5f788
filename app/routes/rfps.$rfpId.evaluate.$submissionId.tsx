/**
 * An evaluator's scoresheet for one vendor: each assigned criterion with its questions, the vendor's answers, the
 * rubric as radio choices and a rationale. One form per criterion, so it works without JavaScript; "Save and next"
 * redirects to the next criterion's anchor. Only the evaluator's own scores are ever loaded here.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import type { ShouldRevalidateFunction } from '@remix-run/react';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { FormErrorSummary, TextArea } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPriceViewFor } from '#app/confidentiality/price-blind.server';
import { requireScoringAccess } from '#app/evaluation/access.server';
import { type AnswerValueLike, suggestScore } from '#app/evaluation/auto-score';
import { AnswerView, DueDate, SheetStateTag } from '#app/evaluation/components';
import {
  formatScore,
  isAllowedValue,
  isOverdue,
  SCORING_CLOSED,
  SCORING_NEEDS_EVALUATION,
  scoringRefusalMessage,
  scoreChoices,
  SHEET_LOCKED,
} from '#app/evaluation/rules';
import { mailOrigin } from '#app/mail/origin.server';
import { KIND_LABELS } from '#app/rfp/questionnaire-forms';
import {
  criteriaInScope,
  EVALUATOR_SCORED_KINDS,
  getDb,
  getQuestionnaire,
  listEvaluatorScores,
  listRationaleDrafts,
  listScorableCriteria,
  listScoresheets,
  listSubmissionAnswers,
  listSubmissionAttachments,
  saveEvaluatorScore,
  submitScoresheet,
} from '#app/utils/db.server';
import { type FormErrors, formError, parseForm, requiredText } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { plural } from '#app/utils/wording';
import type { DraftReply } from './rfps.$rfpId.evaluate.$submissionId_.draft';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Scoring ${data?.vendorName ?? ''} · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

function parseAnswer(json: string): AnswerValueLike {
  const value: unknown = JSON.parse(json);
  if (typeof value === 'string' || typeof value === 'number' || value === null) return value;
  if (Array.isArray(value)) return value.map(String);
  return String(value);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireScoringAccess(request, params.rfpId, params.submissionId);
  const { rfp, submission, assignment } = access;
  const db = getDb();
  const url = new URL(request.url);
  const started = rfp.status !== 'draft' && rfp.status !== 'open';
  const prices = await loadPriceViewFor(db, access);
  const [questionnaire, answerRows, attachments, scores, sheets] = started
    ? await Promise.all([
        getQuestionnaire(db, rfp.id),
        listSubmissionAnswers(db, rfp.id, submission.id),
        listSubmissionAttachments(db, rfp.id, submission.id),
        listEvaluatorScores(db, rfp.id, access.user.id, submission.id),
        listScoresheets(db, rfp.id, access.user.id),
      ])
    : [[], [], [], [], []];
  const answers = new Map(answerRows.map((a) => [a.question_id, parseAnswer(a.value_json)]));
  const scoreOf = new Map(scores.map((s) => [s.criterion_id, s]));
  const sheet = sheets.find((s) => s.submission_id === submission.id);
  const sheetStatus: 'not_started' | 'in_progress' | 'submitted' = sheet?.status ?? 'not_started';
  const overdue = isOverdue(rfp.evaluation_due_at);
  const readOnlyBecause = !started
    ? 'Scoring opens when the lead officer moves the RFP to evaluation.'
    : sheetStatus === 'submitted'
      ? SHEET_LOCKED
      : rfp.status !== 'evaluation'
        ? SCORING_NEEDS_EVALUATION(rfp.status)
        : overdue && rfp.evaluation_due_at
          ? SCORING_CLOSED(rfp.evaluation_due_at)
          : null;
  // The evaluator's own drafts, only while they can still save them, and only where no saved score is newer.
  const drafts = readOnlyBecause ? [] : await listRationaleDrafts(db, rfp.id, access.user.id, submission.id);
  const draftOf = new Map(
    drafts.filter((d) => {
      const saved = scoreOf.get(d.criterion_id);
      return !saved || Date.parse(d.updated_at) > Date.parse(saved.updated_at);
    }).map((d) => [d.criterion_id, d]),
  );
  const scope = assignment.section_ids;
  // Price-blind: the price criterion, its questions and their evidence never reach an evaluator still scoring.
  const sections = prices
    .visibleSections(questionnaire)
    .filter((s) => scope === null || scope.includes(s.id))
    .map((s) => ({
      id: s.id,
      title: s.title,
      criteria: s.criteria
        .filter((c) => EVALUATOR_SCORED_KINDS.includes(c.kind))
        .map((c) => {
          const score = scoreOf.get(c.id);
          const draft = draftOf.get(c.id);
          return {
            id: c.id,
            key: c.key,
            title: c.title,
            description: c.description,
            kind: c.kind,
            points: c.points,
            choices: scoreChoices(c.kind, c.rubric, rfp.scale_max, Boolean(rfp.allow_half_points)),
            suggestion: suggestScore(
              c.questions.map((q) => ({ id: q.id, answerType: q.answer_type, options: q.options })),
              answers,
              rfp.scale_max,
            ),
            questions: c.questions.map((q) => ({
              id: q.id,
              key: q.key,
              text: q.text,
              strongAnswer: q.strong_answer,
              answer: answers.get(q.id) ?? null,
              attachments: attachments.filter((a) => a.question_id === q.id).map((a) => ({ id: a.id, name: a.file_name, size: a.size })),
            })),
            score: score ? { value: score.value, rationale: score.rationale, version: score.version, updatedAt: score.updated_at } : null,
            draft: draft ? { value: draft.value, rationale: draft.rationale, savedAt: formatDateTime(draft.updated_at) } : null,
          };
        }),
    }))
    .filter((s) => s.criteria.length > 0);
  const all = sections.flatMap((s) => s.criteria);
  return json({
    rfp,
    tabs: rfpTabs(rfp.id, access.permissions),
    submissionId: submission.id,
    vendorName: submission.vendor_name,
    started,
    sections,
    sheetStatus,
    submittedAt: sheet?.submitted_at ?? null,
    readOnlyBecause,
    scored: all.filter((c) => c.score && c.score.rationale.trim()).length,
    total: all.length,
    savedCriterionId: url.searchParams.get('saved'),
    pricesHidden: prices.notice,
  });
}

const scoreSchema = z.object({
  intent: z.literal('score'),
  criterionId: z.string().min(1, 'Unknown criterion.'),
  value: z.string({ error: 'Choose a level.' }).trim().min(1, 'Choose a level.'),
  rationale: requiredText('A rationale', 10_000),
  version: z.string().regex(/^\d{1,9}$/, 'The form is out of date; reload the page.').transform(Number),
  next: z.string().max(100).optional(),
});
/** Submitting asks once: the first post shows what it locks, the second (`confirmed=yes`) submits. */
const submitSchema = z.object({ intent: z.literal('submit'), confirmed: z.literal('yes', { error: 'Unknown confirmation.' }).optional() });
const actionSchema = z.discriminatedUnion('intent', [scoreSchema, submitSchema], { error: 'Unknown action.' });

/** What submitting will lock, shown before it happens. */
interface SubmitConfirmation {
  scored: number;
  /** Criteria with an unsaved draft, which submitting discards. */
  drafts: Array<{ id: string; title: string }>;
}

/** Typing pauses this long before the draft is kept. */
const DRAFT_DELAY_MS = 800;

/** A draft post changes nothing the page shows, so it does not reload the scoresheet. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.endsWith('/draft') ? false : defaultShouldRevalidate;

interface ActionResult {
  intent: 'score' | 'submit' | null;
  criterionId: string | null;
  attempt: { value: string; rationale: string } | null;
  current: { value: string; rationale: string; updatedAt: string } | null;
  errors: FormErrors;
  missing: Array<{ id: string; title: string }>;
  confirm: SubmitConfirmation | null;
  /** Distinguishes two answers with the same content, so the form shows the latest attempt. */
  stamp: number;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireScoringAccess(request, params.rfpId, params.submissionId);
  const { rfp, submission, assignment } = access;
  const formData = await request.formData();
  const db = getDb();
  const criteria = criteriaInScope(await listScorableCriteria(db, rfp.id), assignment.section_ids);
  const reply = (status: number, result: Partial<ActionResult> & { errors: FormErrors }) =>
    json<ActionResult>({ intent: null, criterionId: null, attempt: null, current: null, missing: [], confirm: null, stamp: Date.now(), ...result }, { status });

  const parsed = parseForm(formData, actionSchema);
  const rawCriterion = String(formData.get('criterionId') ?? '');
  const attempt = { value: String(formData.get('value') ?? ''), rationale: String(formData.get('rationale') ?? '') };
  if (!parsed.ok) {
    const isScore = formData.get('intent') === 'score';
    return reply(400, { intent: isScore ? 'score' : null, criterionId: isScore ? rawCriterion : null, attempt: isScore ? attempt : null, errors: parsed.errors });
  }
  const base = `/rfps/${rfp.id}/evaluate/${submission.id}`;

  if (parsed.data.intent === 'submit') {
    if (criteria.length === 0) return reply(400, { intent: 'submit', errors: formError('There is nothing for you to score in this RFP.') });
    const incomplete = (missingIds: readonly string[]) => {
      const missing = missingIds.map((id) => ({ id, title: criteria.find((c) => c.id === id)?.title ?? id }));
      return reply(400, {
        intent: 'submit',
        missing,
        errors: formError(`Not submitted: ${missing.length} of ${plural(criteria.length, 'criterion', 'criteria')} still ${missing.length === 1 ? 'needs' : 'need'} a score and a rationale: ${missing.map((m) => m.title).join('; ')}.`),
      });
    };
    if (parsed.data.confirmed !== 'yes') {
      // The question before the lock: nothing is written. The lock itself is checked again when it is confirmed.
      const [scores, sheets, drafts] = await Promise.all([
        listEvaluatorScores(db, rfp.id, access.user.id, submission.id),
        listScoresheets(db, rfp.id, access.user.id),
        listRationaleDrafts(db, rfp.id, access.user.id, submission.id),
      ]);
      if (sheets.some((s) => s.submission_id === submission.id && s.status === 'submitted')) return reply(409, { intent: 'submit', errors: formError(SHEET_LOCKED) });
      if (rfp.status !== 'evaluation') return reply(409, { intent: 'submit', errors: formError(SCORING_NEEDS_EVALUATION(rfp.status)) });
      const done = new Set(scores.filter((s) => s.rationale.trim() !== '').map((s) => s.criterion_id));
      const missingIds = criteria.filter((c) => !done.has(c.id)).map((c) => c.id);
      if (missingIds.length > 0) return incomplete(missingIds);
      // As on the page: a draft counts only where it is newer than the saved score.
      const savedAt = new Map(scores.map((s) => [s.criterion_id, Date.parse(s.updated_at)]));
      const withDraft = new Set(drafts.filter((d) => Date.parse(d.updated_at) > (savedAt.get(d.criterion_id) ?? 0)).map((d) => d.criterion_id));
      return reply(200, {
        intent: 'submit',
        errors: { fieldErrors: {}, formErrors: [] },
        confirm: { scored: done.size, drafts: criteria.filter((c) => withDraft.has(c.id)).map((c) => ({ id: c.id, title: c.title })) },
      });
    }
    const outcome = await submitScoresheet(db, access.actor, {
      rfpId: rfp.id,
      submissionId: submission.id,
      evaluatorId: access.user.id,
      requiredCriterionIds: criteria.map((c) => c.id),
      mailOrigin: mailOrigin(request),
    });
    if (outcome.ok) return redirect(`/rfps/${rfp.id}/evaluate?submitted=${submission.id}`);
    if (outcome.refusal.kind === 'incomplete') return incomplete(outcome.refusal.missing);
    return reply(409, { intent: 'submit', errors: formError(scoringRefusalMessage(outcome.refusal)) });
  }

  const input = parsed.data;
  const criterion = criteria.find((c) => c.id === input.criterionId);
  if (!criterion) return reply(400, { intent: 'score', criterionId: input.criterionId, attempt, errors: formError('That criterion is not one you score.') });
  const value = /^\d+(\.\d+)?$/.test(input.value) ? Number(input.value) : NaN;
  if (!isAllowedValue(criterion.kind, value, rfp.scale_max, Boolean(rfp.allow_half_points))) {
    return reply(400, { intent: 'score', criterionId: criterion.id, attempt, errors: { fieldErrors: { value: ['Choose one of the levels.'] }, formErrors: [] } });
  }
  const outcome = await saveEvaluatorScore(db, access.actor, {
    rfpId: rfp.id,
    submissionId: submission.id,
    criterionId: criterion.id,
    evaluatorId: access.user.id,
    value,
    rationale: input.rationale,
    version: input.version,
  });
  if (!outcome.ok) {
    const refusal = outcome.refusal;
    if (refusal.kind === 'stale') {
      const current = refusal.current;
      const shown = current ? { value: formatScore(criterion.kind, current.value, rfp.scale_max), rationale: current.rationale, updatedAt: current.updated_at } : null;
      return reply(409, {
        intent: 'score',
        criterionId: criterion.id,
        attempt,
        current: shown,
        errors: formError(
          shown
            ? `Not saved: this score was changed in another tab or window after you opened it. The saved score is now ${shown.value}, with the rationale: “${shown.rationale}”. Your version is kept in the form; save again to replace the saved one with it.`
            : 'Not saved: this score changed after you opened it. Reload the page to see the saved version.',
        ),
      });
    }
    return reply(409, { intent: 'score', criterionId: criterion.id, attempt, errors: formError(scoringRefusalMessage(refusal)) });
  }
  const next = input.next === 'submit' ? 'submit-sheet' : input.next && criteria.some((c) => c.id === input.next) ? `criterion-${input.next}` : `criterion-${criterion.id}`;
  return redirect(`${base}?saved=${encodeURIComponent(criterion.id)}#${next}`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type CriterionData = LoaderData['sections'][number]['criteria'][number];

export default function ScoringScreen() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const { rfp, tabs, sections, readOnlyBecause } = data;
  const all = sections.flatMap((s) => s.criteria);

  // "Save and next" lands on the next criterion's anchor: move keyboard focus there too (the browser only scrolls).
  useEffect(() => {
    const id = location.hash.slice(1);
    if (!id) return;
    document.getElementById(id)?.focus({ preventScroll: false });
  }, [location.key, location.hash]);
  // A refused save: bring the message into view and focus.
  useEffect(() => {
    if (!actionData) return;
    const id = actionData.criterionId;
    const targets = id ? [`error-${id}`, `value-error-${id}`, `rationale-${id}`] : ['submit-confirm', 'submit-errors'];
    for (const target of targets) {
      const element = document.getElementById(target);
      if (element) {
        element.focus();
        break;
      }
    }
  }, [actionData]);

  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <p className="margin-bottom-0">
        <Link className="usa-link" to={`/rfps/${rfp.id}/evaluate`}>
          ← My scoring
        </Link>
      </p>
      <h2>
        Scoring: <span className="wb-vendor-name">{data.vendorName}</span>
      </h2>
      <dl className="wb-meta wb-meta--inline">
        <dt>Status</dt>
        <dd>
          <SheetStateTag state={data.sheetStatus} />
          {data.submittedAt ? ` ${formatDateTime(data.submittedAt)}` : null}
        </dd>
        <dt>Progress</dt>
        <dd>
          {data.scored} of {plural(data.total, 'criterion', 'criteria')} scored with a rationale
        </dd>
        <dt>Due</dt>
        <dd>
          <DueDate dueAt={rfp.evaluation_due_at} done={data.sheetStatus === 'submitted' || rfp.status !== 'evaluation'} />
        </dd>
      </dl>
      {readOnlyBecause ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{readOnlyBecause}</p>
          </div>
        </div>
      ) : (
        <p className="usa-hint">
          Score each criterion on its own, from the vendor’s answers: pick a level (arrow keys move between levels), write why, and press “Save and next”. You see
          only your own scores until consensus.
        </p>
      )}
      {data.started && all.length > 0 ? (
        <nav aria-labelledby="criteria-nav-heading" className="wb-criteria-nav">
          <h3 id="criteria-nav-heading" className="margin-bottom-1">
            Criteria
          </h3>
          <ol className="usa-list">
            {all.map((c) => (
              <li key={c.id}>
                <a className="usa-link" href={`#criterion-${c.id}`}>
                  {c.key} {c.title}
                </a>{' '}
                {c.score ? <span className="wb-eval-done">({c.kind === 'pass_fail' ? formatScore(c.kind, c.score.value, rfp.scale_max) : `scored ${formatScore(c.kind, c.score.value, rfp.scale_max)}`})</span> : <span className="wb-eval-todo">(not scored)</span>}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      {sections.map((section) => (
        <section key={section.id} aria-labelledby={`section-${section.id}`}>
          <h3 id={`section-${section.id}`} className="wb-section-title">
            {section.title}
          </h3>
          {section.criteria.map((c) => {
            const index = all.findIndex((x) => x.id === c.id);
            const nextId = all[index + 1]?.id ?? 'submit';
            const mine = actionData?.criterionId === c.id ? actionData : null;
            return (
              <article key={c.id} className="wb-score-criterion" aria-labelledby={`criterion-${c.id}`}>
                <h4 id={`criterion-${c.id}`} tabIndex={-1}>
                  {c.key} — {c.title}
                </h4>
                <p className="usa-hint margin-top-0">
                  {KIND_LABELS[c.kind]}
                  {c.kind === 'scored' ? `, ${c.points} points` : ''}
                </p>
                {c.description ? <p className="wb-pre">{c.description}</p> : null}
                <Questions questions={c.questions} />
                {readOnlyBecause ? (
                  <ReadOnlyScore c={c} scaleMax={rfp.scale_max} />
                ) : (
                  <CriterionForm
                    key={`${c.id}:${c.score?.version ?? 0}:${mine?.stamp ?? ''}`}
                    c={c}
                    action={`/rfps/${rfp.id}/evaluate/${data.submissionId}`}
                    nextId={nextId}
                    scaleMax={rfp.scale_max}
                    result={mine}
                    justSaved={data.savedCriterionId === c.id}
                  />
                )}
              </article>
            );
          })}
        </section>
      ))}
      {data.started && !readOnlyBecause ? <SubmitSheet
          action={`/rfps/${rfp.id}/evaluate/${data.submissionId}`}
          result={actionData?.intent === 'submit' ? actionData : null}
          vendorName={data.vendorName}
          scored={data.scored}
          total={data.total}
        /> : null}
    </>
  );
}

function Questions({ questions }: { questions: CriterionData['questions'] }) {
  return (
    <div className="wb-eval-evidence">
      {questions.map((q) => (
        <div key={q.id} className="wb-eval-question">
          <p className="margin-bottom-05">
            <strong>{q.key}</strong> {q.text}
          </p>
          {q.strongAnswer ? <p className="usa-hint margin-top-0 wb-pre">What a strong answer shows: {q.strongAnswer}</p> : null}
          <div className="wb-eval-answer-box">
            <span className="usa-sr-only">Vendor’s answer: </span>
            <AnswerView value={q.answer} />
            {q.attachments.length > 0 ? (
              <p className="margin-bottom-0">
                Evidence files: {q.attachments.map((a) => `${a.name} (${Math.max(1, Math.round(a.size / 1024))} KB)`).join(', ')}
              </p>
            ) : null}
          </div>
        </div>
      ))}
    </div>
  );
}

function ReadOnlyScore({ c, scaleMax }: { c: CriterionData; scaleMax: number }) {
  if (!c.score) return <p className="wb-eval-todo">Not scored.</p>;
  return (
    <div className="wb-my-score">
      <p className="margin-bottom-05">
        <strong>Your score:</strong> {formatScore(c.kind, c.score.value, scaleMax)}
      </p>
      <p className="margin-top-0 wb-pre">{c.score.rationale}</p>
    </div>
  );
}

function Suggestion({ c, scaleMax, id }: { c: CriterionData; scaleMax: number; id: string }) {
  const s = c.suggestion;
  if (!s) return null;
  if (s.answered === 0) {
    return (
      <p className="usa-hint wb-suggestion" id={id}>
        No suggestion: none of the {s.questions} auto-scored question{s.questions === 1 ? ' has' : 's have'} an answer with a score share.
      </p>
    );
  }
  const share = `${Math.round(s.meanShare * 100)}%`;
  const basis = `${s.answered} of ${s.questions} auto-scored question${s.questions === 1 ? '' : 's'} answered`;
  return (
    <p className="usa-hint wb-suggestion" id={id}>
      {c.kind === 'pass_fail'
        ? `Hint from the vendor’s closed answers: ${share} favourable (${basis}), which suggests ${s.meanShare >= 1 ? 'pass' : 'fail'}.`
        : `Hint from the vendor’s closed answers: ${s.suggested.toFixed(2)} of ${scaleMax} (mean share ${share}; ${basis}).`}{' '}
      Only a hint: choose the level yourself.
    </p>
  );
}

function CriterionForm({
  c,
  action,
  nextId,
  scaleMax,
  result,
  justSaved,
}: {
  c: CriterionData;
  action: string;
  nextId: string;
  scaleMax: number;
  result: ActionResult | null;
  justSaved: boolean;
}) {
  const restored = result?.attempt ? null : c.draft;
  const [dirty, setDirty] = useState(Boolean(result?.attempt ?? restored));
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('criterionId') === c.id;
  const defaultValue = result?.attempt ? result.attempt.value : restored ? (restored.value === null ? '' : String(restored.value)) : c.score ? String(c.score.value) : '';
  const defaultRationale = result?.attempt ? result.attempt.rationale : restored ? restored.rationale : (c.score?.rationale ?? '');
  const draft = useRationaleDraft(`${action}/draft`, c.id);
  const state = saving ? 'saving' : dirty ? 'unsaved' : c.score ? 'saved' : 'empty';
  const valueErrors = result?.errors.fieldErrors.value;
  const hintId = `suggest-${c.id}`;
  const domId = (value: number) => `level-${c.id}-${String(value).replace('.', '-')}`;
  return (
    <Form
      method="post"
      action={action}
      className="usa-form usa-form--large wb-score-form"
      data-state={state}
      data-unsaved-warning={`Score for ${c.key}`}
      data-unsaved={restored ? 'true' : undefined}
      onChange={(event) => {
        setDirty(true);
        draft.keep(event.currentTarget);
      }}
      onSubmit={draft.cancel}
      aria-label={`Score for ${c.key}`}
    >
      <input type="hidden" name="intent" value="score" />
      <input type="hidden" name="criterionId" value={c.id} />
      <input type="hidden" name="version" value={c.score?.version ?? 0} />
      {restored ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{`Draft restored from ${restored.savedAt}. It counts only once you save it as your score.`}</p>
          </div>
        </div>
      ) : null}
      {result?.errors.formErrors.length ? (
        <div className="usa-alert usa-alert--error usa-alert--slim" role="alert" id={`error-${c.id}`} tabIndex={-1}>
          <div className="usa-alert__body">
            {result.errors.formErrors.map((m) => (
              <p className="usa-alert__text" key={m}>
                {m}
              </p>
            ))}
            {result.current ? (
              <div className="wb-eval-current">
                <p className="margin-bottom-05">
                  <strong>Saved score:</strong> {result.current.value} (saved {formatDateTime(result.current.updatedAt)})
                </p>
                <p className="margin-top-0 wb-pre">
                  <strong>Saved rationale:</strong> {result.current.rationale}
                </p>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
      <fieldset className={`usa-fieldset${valueErrors ? ' usa-form-group--error' : ''}`} aria-describedby={c.suggestion ? hintId : undefined}>
        <legend className="usa-legend text-bold">
          Score for {c.key} {c.title}
        </legend>
        <Suggestion c={c} scaleMax={scaleMax} id={hintId} />
        {valueErrors ? (
          <span className="usa-error-message" id={`value-error-${c.id}`} role="alert" tabIndex={-1}>
            {valueErrors.join(' ')}
          </span>
        ) : null}
        <div className="wb-levels">
          {c.choices.map((choice) => (
            <div className="usa-radio" key={choice.value}>
              <input
                className="usa-radio__input usa-radio__input--tile"
                type="radio"
                id={domId(choice.value)}
                name="value"
                value={choice.value}
                defaultChecked={defaultValue !== '' && Number(defaultValue) === choice.value}
                required
              />
              <label className="usa-radio__label" htmlFor={domId(choice.value)}>
                {choice.label}
                {choice.anchor ? <span className="usa-checkbox__label-description">{choice.anchor}</span> : null}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <TextArea
        name="rationale"
        id={`rationale-${c.id}`}
        label="Rationale"
        hint="Why this level, citing the evidence in the answers. Required."
        required
        defaultValue={defaultRationale}
        errors={result?.errors.fieldErrors.rationale}
        maxLength={10_000}
      />
      <p className={`wb-save-state wb-save-state--${state}`} role="status">
        {state === 'saving'
          ? 'Saving…'
          : state === 'unsaved'
            ? `Unsaved changes${draft.status}`
            : state === 'saved'
              ? `${justSaved ? 'Saved just now' : 'Saved'} (${formatDateTime(c.score!.updatedAt)})`
              : 'Not scored yet'}
      </p>
      <div className="wb-actions">
        <button type="submit" name="next" value={nextId} className="usa-button">
          Save and next
        </button>
        <button type="submit" className="usa-button usa-button--outline">
          Save
        </button>
      </div>
    </Form>
  );
}

/**
 * Keeps what is typed in a criterion's form as a draft, once typing pauses. Posts only the criterion, the level and
 * the rationale; a real save cancels a pending draft (and the server deletes the draft a save supersedes).
 */
function useRationaleDraft(draftAction: string, criterionId: string) {
  const fetcher = useFetcher<DraftReply>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const keep = (form: HTMLFormElement) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const typed = new FormData(form);
      const body = new FormData();
      body.set('criterionId', criterionId);
      body.set('value', String(typed.get('value') ?? ''));
      body.set('rationale', String(typed.get('rationale') ?? ''));
      fetcher.submit(body, { method: 'post', action: draftAction });
    }, DRAFT_DELAY_MS);
  };
  const cancel = () => clearTimeout(timer.current);
  const reply = fetcher.state === 'idle' ? fetcher.data : undefined;
  const status = reply?.error ? `. ${reply.error}` : reply?.savedAt ? ` (draft kept ${formatDateTime(reply.savedAt)})` : '';
  return { keep, cancel, status };
}

function SubmitSheet({ action, result, vendorName, scored, total }: { action: string; result: ActionResult | null; vendorName: string; scored: number; total: number }) {
  const confirm = result?.confirm;
  if (confirm) {
    return (
      <section aria-labelledby="submit-sheet" className="wb-submit-sheet margin-top-4">
        <h3 id="submit-sheet">Submit this scoresheet</h3>
        <div className="usa-alert usa-alert--warning" id="submit-confirm" tabIndex={-1}>
          <div className="usa-alert__body">
            <h4 className="usa-alert__heading">{`Submit your scores for ${vendorName}?`}</h4>
            <ul className="usa-list">
              <li>You can no longer change these scores or rationales. Only the lead officer can reopen the sheet, with a recorded reason.</li>
              <li>{`All ${plural(confirm.scored, 'criterion', 'criteria')} ${confirm.scored === 1 ? 'is' : 'are'} scored with a rationale.`}</li>
              {confirm.drafts.length > 0 ? (
                <li>{`Unsaved drafts are discarded: ${confirm.drafts.map((d) => d.title).join('; ')}. Save them first to keep them.`}</li>
              ) : null}
            </ul>
          </div>
        </div>
        <Form method="post" action={action} className="wb-actions">
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="confirmed" value="yes" />
          <button type="submit" className="usa-button">
            Yes, submit and lock my scores
          </button>
          <Link className="usa-button usa-button--unstyled" to={action}>
            Cancel
          </Link>
        </Form>
      </section>
    );
  }
  return (
    <section aria-labelledby="submit-sheet" className="wb-submit-sheet margin-top-4">
      <h3 id="submit-sheet" tabIndex={-1}>
        Submit this scoresheet
      </h3>
      <p>
        Submitting locks your scores for this vendor; only the lead officer can reopen them. {scored} of {plural(total, 'criterion', 'criteria')} {scored === 1 ? 'is' : 'are'} scored with a rationale.
      </p>
      {result ? (
        <div id="submit-errors" tabIndex={-1}>
          <FormErrorSummary errors={result.errors} />
          {result.missing.length > 0 ? (
            <ul className="usa-list">
              {result.missing.map((m) => (
                <li key={m.id}>
                  <a className="usa-link" href={`#criterion-${m.id}`}>
                    {m.title}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Form method="post" action={action}>
        <input type="hidden" name="intent" value="submit" />
        <button type="submit" className="usa-button">
          Submit scoresheet
        </button>
      </Form>
    </section>
  );
}
