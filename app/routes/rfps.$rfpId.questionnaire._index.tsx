import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { z } from 'zod';
import { ConfirmPanel } from '#app/components/confirm-panel';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPriceViewFor } from '#app/confidentiality/price-blind.server';
import { assertQuestionnaireEditable, questionnaireLock, withRfpLock } from '#app/rfp/locks.server';
import { draftProblems } from '#app/rfp/lifecycle.server';
import { sectionPoints, totalPoints } from '#app/rfp/questionnaire-checks';
import { ANSWER_TYPE_LABELS, KIND_LABELS, newCriterionSchema } from '#app/rfp/questionnaire-forms';
import {
  applyTemplate,
  rfpTemplates,
  createCriterion,
  createSection,
  deleteCriteria,
  deleteItem,
  duplicateCriterion,
  duplicateQuestion,
  duplicateSection,
  getDb,
  getQuestionnaire,
  moveCriteria,
  MoveCriteriaError,
  moveItem,
  NotInRfpError,
  recordsUnder,
  renameSection,
} from '#app/utils/db.server';
import { type FormErrors, fieldError, formDataToObject, formError, parseForm, requiredText } from '#app/utils/form';
import { listOf, plural } from '#app/utils/wording';
import { CRITERION_KINDS } from '#app/utils/permissions';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { safeRedirectPath } from '#app/utils/safe-redirect';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Questionnaire · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` }];

const levelSchema = z.enum(['section', 'criterion', 'question']);
const builderActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add-section'), title: requiredText('Section title', 200) }),
  z.object({ intent: z.literal('rename-section'), sectionId: z.string().min(1), title: requiredText('Section title', 200) }),
  newCriterionSchema.extend({ intent: z.literal('add-criterion') }),
  z.object({ intent: z.literal('move'), level: levelSchema, id: z.string().min(1), direction: z.enum(['up', 'down']) }),
  z.object({ intent: z.literal('duplicate'), level: levelSchema, id: z.string().min(1) }),
  z.object({ intent: z.literal('delete'), level: levelSchema, id: z.string().min(1) }),
  z.object({ intent: z.literal('apply-template'), templateId: z.string().min(1, 'Choose a template.') }),
  z.object({
    intent: z.literal('move-criteria'),
    criterionIds: tickedIds('Tick the criteria to move (the box beside each criterion’s title).'),
    destination: z.string().regex(/^(start|after):.+$/, 'Choose where to move the ticked criteria.'),
  }),
  z.object({ intent: z.literal('delete-criteria'), criterionIds: tickedIds('Tick the criteria to delete.') }),
]);

/** Ids ticked in the page's list (several `criterionIds` fields, joined by `withJoinedIds`), at least one. */
function tickedIds(message: string) {
  return z
    .string()
    .default('')
    .transform((v) => [...new Set(v.split(',').map((id) => id.trim()).filter(Boolean))])
    .pipe(z.array(z.string()).min(1, message).max(500, 'Move or delete at most 500 criteria at a time.'));
}

/** A form's ticked boxes arrive as one field each; the schema reads them as one comma-separated field. */
function withJoinedIds(formData: FormData): FormData {
  const joined = new FormData();
  for (const [name, value] of formData.entries()) if (name !== 'criterionIds') joined.append(name, value);
  const ids = formData.getAll('criterionIds').filter((v): v is string => typeof v === 'string');
  if (ids.length > 0) joined.set('criterionIds', ids.join(','));
  return joined;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const db = getDb();
  const [questionnaire, prices] = await Promise.all([getQuestionnaire(db, access.rfp.id), loadPriceViewFor(db, access)]);
  // Price-blind: an evaluator still scoring does not receive the price criterion or its questions.
  const sections = prices.visibleSections(questionnaire);
  const canEdit = access.can('rfp:edit') && access.rfp.status === 'draft';
  const url = new URL(request.url);
  const confirm = url.searchParams.get('confirm');
  // Where the delete's confirmation came from (the place in the builder the user was), checked: only a path on this site.
  const returnTo = safeRedirectPath(url.searchParams.get('returnTo'), `/rfps/${access.rfp.id}/questionnaire`);
  // "Delete ticked criteria…" arrives as a GET with the ticked ids, to confirm on the page before anything is deleted.
  const ticked = new Set(url.searchParams.getAll('criterionIds'));
  const confirmCriteria = confirm === 'criteria' ? sections.flatMap((s) => s.criteria.filter((c) => ticked.has(c.id)).map((c) => ({ id: c.id, key: c.key, title: c.title, questions: c.questions.length, sectionId: s.id }))) : [];
  return json({
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    sections,
    problems: access.rfp.status === 'draft' ? await draftProblems(db, access.rfp) : [],
    canEdit,
    isLead: access.can('rfp:edit'),
    templates: sections.length === 0 && canEdit ? rfpTemplates().map((t) => ({ id: t.id, title: t.title, description: t.description })) : [],
    confirm,
    returnTo,
    confirmCriteria,
    importedMessage: importOutcomeMessage(url.searchParams),
    pricesHidden: prices.notice,
  });
}

/** What the import page's confirm did (`?imported=10&updated=2&skipped=3`), said once on arrival. */
function importOutcomeMessage(params: URLSearchParams): string | null {
  const count = (name: string) => {
    const value = Number(params.get(name) ?? '');
    return Number.isInteger(value) && value >= 0 ? value : 0;
  };
  if (!params.has('imported')) return null;
  const [added, updated, skipped] = [count('imported'), count('updated'), count('skipped')];
  const parts = [`${added} ${added === 1 ? 'question' : 'questions'} added`, updated > 0 ? `${updated} updated` : null, `${skipped} ${skipped === 1 ? 'row' : 'rows'} skipped`];
  const next = added > 0 ? " Set each new criterion's points and rubric below." : '';
  return `Imported the questionnaire: ${parts.filter(Boolean).join(', ')}.${next}`;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  assertQuestionnaireEditable(access.rfp);
  const formData = withJoinedIds(await request.formData());
  const form = formOf(formData);
  const parsed = parseForm(formData, builderActionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null, form, values: formDataToObject(formData) }, { status: 400 });
  const input = parsed.data;
  const actor = { id: access.user.id, email: access.user.email };
  const rfpId = access.rfp.id;
  const base = `/rfps/${rfpId}/questionnaire`;
  try {
    const result = await withRfpLock(
      getDb(),
      rfpId,
      questionnaireLock,
      async (trx): Promise<{ redirectTo?: string; message?: string; missing?: boolean; refused?: string }> => {
        switch (input.intent) {
          case 'add-section': {
            const section = await createSection(trx, actor, rfpId, { title: input.title });
            return { redirectTo: `${base}#section-${section.id}` };
          }
          case 'rename-section':
            return (await renameSection(trx, actor, rfpId, input.sectionId, input.title)) ? { message: 'Section renamed.' } : { missing: true };
          case 'add-criterion': {
            const criterion = await createCriterion(trx, actor, rfpId, input.sectionId, { title: input.title, kind: input.kind, points: input.points, rubric: [] });
            return { redirectTo: `${base}/criteria/${criterion.id}` };
          }
          case 'move':
            return (await moveItem(trx, actor, rfpId, input.level, input.id, input.direction)) === 'missing' ? { missing: true } : { redirectTo: `${base}#${input.level}-${input.id}` };
          case 'duplicate': {
            const copy =
              input.level === 'section'
                ? await duplicateSection(trx, actor, rfpId, input.id)
                : input.level === 'criterion'
                  ? await duplicateCriterion(trx, actor, rfpId, input.id)
                  : await duplicateQuestion(trx, actor, rfpId, input.id);
            return copy ? { redirectTo: `${base}#${input.level}-${copy.id}` } : { missing: true };
          }
          case 'delete': {
            // An RFP reopened to draft may already hold answers or scores: deleting their question or criterion
            // would destroy them, so it is refused with the reason.
            const records = await recordsUnder(trx, rfpId, input.level, input.id);
            if (records.answers > 0 || records.scores > 0) {
              const parts = [records.answers ? `${records.answers} vendor answer${records.answers === 1 ? '' : 's'}` : null, records.scores ? `${records.scores} score${records.scores === 1 ? '' : 's'}` : null].filter(Boolean);
              return { refused: `This ${input.level} cannot be deleted: ${parts.join(' and ')} depend on it. Change its wording instead, or remove the answers and scores first.` };
            }
            // Back to where the user was (the deleted item's section or criterion), not to the top of the builder.
            return (await deleteItem(trx, actor, rfpId, input.level, input.id)) ? { redirectTo: safeRedirectPath(formData.get('returnTo'), base) } : { missing: true };
          }
          case 'apply-template':
            await applyTemplate(trx, actor, rfpId, input.templateId);
            return { redirectTo: base };
          case 'move-criteria': {
            const [where, id] = [input.destination.slice(0, input.destination.indexOf(':')), input.destination.slice(input.destination.indexOf(':') + 1)];
            const moved = await moveCriteria(trx, actor, rfpId, input.criterionIds, where === 'start' ? { sectionId: id, after: null } : { after: id });
            return moved === 'missing' ? { missing: true } : { redirectTo: `${base}#criterion-${input.criterionIds[0]}` };
          }
          case 'delete-criteria': {
            const outcome = await deleteCriteria(trx, actor, rfpId, input.criterionIds);
            if (outcome === 'missing') return { missing: true };
            if ('refused' in outcome) {
              return {
                refused: `Nothing was deleted: vendors' answers or scores depend on ${outcome.refused.length === 1 ? 'criterion' : 'criteria'} ${listOf(outcome.refused)}. Untick ${outcome.refused.length === 1 ? 'it' : 'them'}, or change ${outcome.refused.length === 1 ? 'its' : 'their'} wording instead.`,
              };
            }
            return { redirectTo: safeRedirectPath(formData.get('returnTo'), base) };
          }
        }
      },
    );
    if (result.missing) notFound('That item is not part of this questionnaire.');
    if (result.refused) return json({ errors: formError(result.refused), message: null, form: null, values: null }, { status: 409 });
    if (result.redirectTo) return redirect(result.redirectTo);
    return json({ errors: null, message: result.message ?? null, form: null, values: null });
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof NotInRfpError) notFound(error.message);
    if (error instanceof MoveCriteriaError) return json({ errors: fieldError('destination', error.message), message: null, form, values: null }, { status: 400 });
    if (error instanceof Error && /template/.test(error.message)) return json({ errors: formError(error.message), message: null, form: null, values: null }, { status: 400 });
    throw error;
  }
}

/**
 * Which of the page's forms was sent (`add-criterion:<section id>`), so its errors appear on that form and nowhere
 * else: the page has one "add a criterion" and one "rename" form per section, with fields of the same names.
 */
function formOf(formData: FormData): string | null {
  const intent = formData.get('intent');
  const sectionId = formData.get('sectionId');
  if (intent === 'add-criterion' || intent === 'rename-section') return `${intent}:${typeof sectionId === 'string' ? sectionId : ''}`;
  return typeof intent === 'string' ? intent : null;
}

function MoveButtons({ level, id, label }: { level: string; id: string; label: string }) {
  return (
    <>
      {(['up', 'down'] as const).map((direction) => (
        <Form method="post" key={direction} className="display-inline">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="level" value={level} />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="direction" value={direction} />
          <button type="submit" className="usa-button usa-button--unstyled margin-right-1">
            {direction === 'up' ? 'Move up' : 'Move down'}
            <span className="usa-sr-only"> {label}</span>
          </button>
        </Form>
      ))}
    </>
  );
}

/** `returnTo`: the place in the builder to come back to after the delete (the item's parent), or after a cancel. */
function ItemActions({ level, id, label, rfpId, returnTo }: { level: 'section' | 'criterion' | 'question'; id: string; label: string; rfpId: string; returnTo: string }) {
  return (
    <span className="wb-item-actions">
      <MoveButtons level={level} id={id} label={label} />
      <Form method="post" className="display-inline">
        <input type="hidden" name="intent" value="duplicate" />
        <input type="hidden" name="level" value={level} />
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="usa-button usa-button--unstyled margin-right-1">
          Duplicate<span className="usa-sr-only"> {label}</span>
        </button>
      </Form>
      <Link to={`/rfps/${rfpId}/questionnaire?${new URLSearchParams({ confirm: `${level}:${id}`, returnTo })}`} className="usa-link text-secondary-dark">
        Delete<span className="usa-sr-only"> {label}</span>
      </Link>
    </span>
  );
}

export default function QuestionnaireBuilder() {
  const { rfp, tabs, sections, problems, canEdit, isLead, templates, confirm, returnTo, confirmCriteria, importedMessage, pricesHidden } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const total = totalPoints(sections);
  const base = `/rfps/${rfp.id}/questionnaire`;
  const [confirmLevel, confirmId] = confirm?.split(':') ?? [];
  const confirmTarget =
    confirmLevel === 'section'
      ? sections.find((s) => s.id === confirmId)?.title
      : confirmLevel === 'criterion'
        ? sections.flatMap((s) => s.criteria).find((c) => c.id === confirmId)?.title
        : confirmLevel === 'question'
          ? sections.flatMap((s) => s.criteria.flatMap((c) => c.questions)).find((q) => q.id === confirmId)?.key
          : undefined;
  const tickedIds = new Set(confirmCriteria.map((c) => c.id));
  const location = useLocation();
  /** The action's answer when it was for the form `form`, for that form to show its errors and keep what was typed. */
  const sentTo = (form: string) => (actionData?.form === form ? actionData : undefined);
  const questionCount = sections.reduce((n, s) => n + s.criteria.reduce((m, c) => m + c.questions.length, 0), 0);

  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      {pricesHidden ? <p className="usa-hint">{pricesHidden}</p> : null}
      {canEdit && confirmTarget ? (
        <ConfirmPanel title={`Delete this ${confirmLevel}?`} fields={{ intent: 'delete', level: confirmLevel!, id: confirmId! }} returnTo={returnTo} cancelTo={returnTo} confirmLabel={`Delete ${confirmLevel}`} danger>
          <p>
            “{confirmTarget}”{confirmLevel !== 'question' ? ' and everything in it' : ''} will be removed from the questionnaire. The audit log keeps a copy.
          </p>
        </ConfirmPanel>
      ) : null}
      {canEdit && confirm === 'criteria' ? (
        confirmCriteria.length > 0 ? (
          <ConfirmPanel
            title={`Delete ${plural(confirmCriteria.length, 'criterion', 'criteria')}?`}
            fields={{ intent: 'delete-criteria', criterionIds: confirmCriteria.map((c) => c.id).join(',') }}
            // Back to where the ticked criteria were (the first one's section), after the delete as after a cancel.
            returnTo={`${base}#section-${confirmCriteria[0]!.sectionId}`}
            cancelTo={`${base}#section-${confirmCriteria[0]!.sectionId}`}
            action={`${base}?index`}
            confirmLabel={`Delete ${plural(confirmCriteria.length, 'criterion', 'criteria')}`}
            danger
          >
            <p>These criteria and their questions will be removed from the questionnaire. The audit log keeps a copy of each.</p>
            <ul className="usa-list">
              {confirmCriteria.map((c) => (
                <li key={c.id}>
                  {c.key} · {c.title} ({plural(c.questions, 'question')})
                </li>
              ))}
            </ul>
          </ConfirmPanel>
        ) : (
          <div className="usa-alert usa-alert--warning usa-alert--slim margin-bottom-2" role="alert">
            <div className="usa-alert__body">
              <p className="usa-alert__text">No criterion was ticked: tick the box beside each criterion to delete, then choose “Delete ticked criteria…” again.</p>
            </div>
          </div>
        )
      ) : null}
      {actionData && !isPerSectionForm(actionData.form) && !['add-section', 'move-criteria', 'delete-criteria'].includes(actionData.form ?? '') ? <FormErrorSummary errors={actionData.errors} /> : null}
      <SuccessMessage message={actionData?.message ?? importedMessage} />
      {!canEdit && isLead ? (
        <div className="usa-alert usa-alert--info usa-alert--slim margin-bottom-2">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The questionnaire is locked while the RFP is not a draft. Reopen it to draft on the Status page to change it.</p>
          </div>
        </div>
      ) : null}

      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 desktop:grid-col-4 desktop:order-last" aria-labelledby="weights">
          <h2 id="weights">Weights at a glance</h2>
          <table className="usa-table usa-table--borderless usa-table--compact width-full">
            <caption className="usa-sr-only">Points per section</caption>
            <thead>
              <tr>
                <th scope="col">Section</th>
                <th scope="col" className="text-right">
                  Points
                </th>
              </tr>
            </thead>
            <tbody>
              {sections.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <a href={`#section-${s.id}`}>{s.title}</a>
                  </th>
                  <td className="text-right">{formatPoints(sectionPoints(s))}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total (target {rfp.total_points})</th>
                <td className={`text-right text-bold ${Math.abs(total - rfp.total_points) > 1e-9 ? 'text-secondary-dark' : 'text-green'}`}>{formatPoints(total)}</td>
              </tr>
            </tfoot>
          </table>
          <p className="usa-hint">
            {questionCount} questions in {sections.reduce((n, s) => n + s.criteria.length, 0)} criteria. Scale 0–{rfp.scale_max}.
          </p>
          {rfp.status === 'draft' ? (
            problems.length === 0 ? (
              <div className="usa-alert usa-alert--success usa-alert--slim">
                <div className="usa-alert__body">
                  <p className="usa-alert__text">Ready to open: no problems found.</p>
                </div>
              </div>
            ) : (
              <div className="usa-alert usa-alert--warning usa-alert--slim" role="region" aria-labelledby="problems-heading">
                <div className="usa-alert__body">
                  <h3 className="usa-alert__heading" id="problems-heading">
                    {problems.length} problem{problems.length === 1 ? '' : 's'} to fix before opening
                  </h3>
                  <ul className="usa-list">
                    {problems.map((p) => (
                      <li key={p.message}>
                        <a href={p.anchor === 'risk' || p.anchor === 'risk-requirements' ? `/rfps/${rfp.id}/risk` : `#${p.anchor}`}>{p.message}</a>
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
            )
          ) : null}
          {rfp.status !== 'draft' || rfp.questionnaire_version > 1 ? (
            <p className="margin-top-2">
              <Link to={`${base}/versions`} className="usa-link">
                Versions and what changed
              </Link>
              <span className="usa-hint display-block">Version {rfp.questionnaire_version}{rfp.status === 'draft' ? ', not published yet' : ''}.</span>
            </p>
          ) : null}
          {canEdit ? (
            <p className="margin-top-2">
              <Link to={`${base}/banks`} className="usa-button">
                Add from question banks
              </Link>
              <Link to={`${base}/import`} className="usa-button usa-button--outline margin-top-1">
                Import a questionnaire file
              </Link>
            </p>
          ) : null}
        </section>

        <div className="grid-col-12 desktop:grid-col-8">
          <h2>Questionnaire</h2>
          {canEdit && sections.some((section) => section.criteria.length > 0) ? <BulkCriteria sections={sections} sent={sentTo('move-criteria') ?? sentTo('delete-criteria')} /> : null}
          {templates.length > 0 ? (
            <section aria-labelledby="template-heading" className="border-1px border-base-lighter padding-2 margin-bottom-3">
              <h3 id="template-heading" className="margin-top-0">
                Start from a template
              </h3>
              <p>A recommended mix of criteria from the question banks, with suggested points adding up to 100. You can change everything afterwards.</p>
              <Form method="post" className="usa-form">
                <input type="hidden" name="intent" value="apply-template" />
                <fieldset className="usa-fieldset">
                  <legend className="usa-legend">Template</legend>
                  {templates.map((t, i) => (
                    <div className="usa-radio" key={t.id}>
                      <input className="usa-radio__input usa-radio__input--tile" id={`template-${t.id}`} type="radio" name="templateId" value={t.id} defaultChecked={i === 0} />
                      <label className="usa-radio__label" htmlFor={`template-${t.id}`}>
                        {t.title}
                        <span className="usa-checkbox__label-description">{t.description}</span>
                      </label>
                    </div>
                  ))}
                </fieldset>
                <button type="submit" className="usa-button margin-top-2">
                  Use this template
                </button>
              </Form>
            </section>
          ) : null}
          {sections.length === 0 && templates.length === 0 ? <p>No sections yet.</p> : null}
          {sections.map((section, si) => (
            <section key={section.id} id={`section-${section.id}`} className="margin-bottom-4 wb-section" aria-labelledby={`section-title-${section.id}`}>
              <div className="display-flex flex-justify flex-align-end flex-wrap border-bottom-2px border-primary">
                <h3 id={`section-title-${section.id}`} className="margin-bottom-1">
                  {section.title} <span className="text-normal text-base">· {formatPoints(sectionPoints(section))} points</span>
                </h3>
                {canEdit ? <ItemActions level="section" id={section.id} label={`section ${section.title}`} rfpId={rfp.id} returnTo={si > 0 ? `${base}#section-${sections[si - 1]!.id}` : base} /> : null}
              </div>
              {canEdit ? <RenameSection section={section} sent={sentTo(`rename-section:${section.id}`)} /> : null}
              {section.criteria.map((c) => (
                <article key={c.id} id={`criterion-${c.id}`} className="wb-criterion" aria-labelledby={`criterion-title-${c.id}`}>
                  <div className="display-flex flex-justify flex-wrap">
                    <div className="display-flex flex-align-center">
                      {canEdit ? (
                        // A native box (not usa-checkbox, whose drawn box needs visible label text) before the title it ticks.
                        <label className="wb-tick display-flex flex-align-center margin-right-1" htmlFor={`tick-${c.id}`}>
                          {/* Keyed by the location, so the boxes clear after a move (a redirect) but stay ticked after a refusal. */}
                          <input
                            key={location.key}
                            className="width-3 height-3"
                            id={`tick-${c.id}`}
                            type="checkbox"
                            name="criterionIds"
                            value={c.id}
                            form="bulk-criteria"
                            defaultChecked={tickedIds.has(c.id)}
                          />
                          <span className="usa-sr-only">
                            Tick criterion {c.key} · {c.title}
                          </span>
                        </label>
                      ) : null}
                      <h4 id={`criterion-title-${c.id}`} className="margin-y-1">
                        <Link to={`${base}/criteria/${c.id}`} className="usa-link">
                          {c.key} · {c.title}
                        </Link>
                      </h4>
                    </div>
                    <span>
                      <span className="usa-tag bg-base-lighter text-ink margin-right-1">{KIND_LABELS[c.kind]}</span>
                      {c.kind === 'scored' || c.kind === 'price' ? <strong>{formatPoints(c.points)} pts</strong> : null}
                    </span>
                  </div>
                  {canEdit ? <ItemActions level="criterion" id={c.id} label={`criterion ${c.key}`} rfpId={rfp.id} returnTo={`${base}#section-${section.id}`} /> : null}
                  {c.questions.length === 0 ? (
                    <p className="text-secondary-dark">No questions yet.</p>
                  ) : (
                    <ol className="usa-list wb-question-list">
                      {c.questions.map((q) => (
                        <li key={q.id} id={`question-${q.id}`}>
                          <Link to={`${base}/questions/${q.id}`} className="usa-link text-bold">
                            {q.key}
                          </Link>{' '}
                          <span className="wb-pre">{q.text}</span>{' '}
                          <span className="text-base">
                            ({ANSWER_TYPE_LABELS[q.answer_type]}
                            {q.required ? ', required' : ''})
                          </span>
                          {canEdit ? (
                            <div>
                              <ItemActions level="question" id={q.id} label={`question ${q.key}`} rfpId={rfp.id} returnTo={`${base}#criterion-${c.id}`} />
                            </div>
                          ) : null}
                        </li>
                      ))}
                    </ol>
                  )}
                </article>
              ))}
              {canEdit ? <AddCriterion section={section} sent={sentTo(`add-criterion:${section.id}`)} /> : null}
            </section>
          ))}
          {canEdit ? (
            <section id="add-section" aria-labelledby="add-section-heading">
              <h3 id="add-section-heading">Add a section</h3>
              <ResetAfterSuccessForm method="post" className="usa-form">
                <input type="hidden" name="intent" value="add-section" />
                <FormErrorSummary errors={sentTo('add-section')?.errors} />
                <TextField name="title" label="Section title" required errors={sentTo('add-section')?.errors?.fieldErrors.title} />
                <button type="submit" className="usa-button">
                  Add section
                </button>
              </ResetAfterSuccessForm>
            </section>
          ) : null}
        </div>
      </div>
    </>
  );
}

/**
 * Moving or deleting several criteria at once: the boxes beside the criteria belong to this form (`form=` attribute),
 * "Move" posts, "Delete…" asks on the page first (a GET that shows the confirmation with the ticked criteria).
 */
function BulkCriteria({ sections, sent }: { sections: Array<{ id: string; title: string; criteria: Array<{ id: string; key: string; title: string }> }>; sent: SentForm }) {
  const destinations = sections.flatMap((section) => [
    { value: `start:${section.id}`, label: `Start of “${section.title}”` },
    ...section.criteria.map((c) => ({ value: `after:${c.id}`, label: `  after ${c.key} · ${c.title}` })),
  ]);
  return (
    <section aria-labelledby="bulk-heading" className="border-1px border-base-lighter padding-2 margin-bottom-3 wb-bulk">
      <h3 id="bulk-heading" className="margin-y-0">
        Several criteria at once
      </h3>
      <p className="usa-hint margin-top-05">Tick the box beside each criterion, then move them together or delete them. They keep their order and their questions.</p>
      <Form method="post" id="bulk-criteria" className="usa-form usa-form--large wb-bulk__form">
        <FormErrorSummary errors={sent?.errors} fieldIds={{ criterionIds: 'bulk-heading', destination: 'bulk-destination' }} />
        <SelectField name="destination" id="bulk-destination" label="Move them to" options={destinations} placeholder="Choose a place" errors={sent?.errors?.fieldErrors.destination} />
        <ul className="usa-button-group margin-top-2">
          <li className="usa-button-group__item">
            <button type="submit" name="intent" value="move-criteria" className="usa-button">
              Move ticked criteria
            </button>
          </li>
          <li className="usa-button-group__item">
            <button type="submit" name="confirm" value="criteria" formMethod="get" className="usa-button usa-button--secondary">
              Delete ticked criteria…
            </button>
          </li>
        </ul>
      </Form>
    </section>
  );
}

type SentForm = { errors: FormErrors | null; values: Record<string, string> | null } | undefined;

const isPerSectionForm = (form: string | null | undefined) => Boolean(form && /^(add-criterion|rename-section):/.test(form));

/** "Rename", beside the section's heading where the name is shown; opens by itself when its last try was refused. */
function RenameSection({ section, sent }: { section: { id: string; title: string }; sent: SentForm }) {
  const errors = sent?.errors;
  return (
    <details className="margin-top-1 wb-rename" open={Boolean(errors) || undefined}>
      <summary className="usa-link">
        Rename<span className="usa-sr-only"> section {section.title}</span>
      </summary>
      <Form method="post" className="usa-form">
        <FormErrorSummary errors={errors} fieldIds={{ title: `section-title-input-${section.id}` }} />
        <input type="hidden" name="intent" value="rename-section" />
        <input type="hidden" name="sectionId" value={section.id} />
        <TextField name="title" id={`section-title-input-${section.id}`} label="Section name" defaultValue={sent?.values?.title ?? section.title} required errors={errors?.fieldErrors.title} />
        <button type="submit" className="usa-button usa-button--outline">
          Save name
        </button>
      </Form>
    </details>
  );
}

/** "Add a criterion to …": a refused try stays open with what was typed and the reason beside each field. */
function AddCriterion({ section, sent }: { section: { id: string; title: string }; sent: SentForm }) {
  const errors = sent?.errors;
  const values = sent?.values;
  return (
    <details className="margin-top-1" open={Boolean(errors) || undefined}>
      <summary className="usa-link">Add a criterion to {section.title}</summary>
      <ResetAfterSuccessForm method="post" className="usa-form" noValidate>
        <FormErrorSummary errors={errors} fieldIds={{ title: `criterion-title-input-${section.id}`, kind: `criterion-kind-${section.id}`, points: `criterion-points-${section.id}` }} />
        <input type="hidden" name="intent" value="add-criterion" />
        <input type="hidden" name="sectionId" value={section.id} />
        <TextField name="title" id={`criterion-title-input-${section.id}`} label="Criterion title" defaultValue={values?.title} required errors={errors?.fieldErrors.title} />
        <SelectField
          name="kind"
          id={`criterion-kind-${section.id}`}
          label="Kind"
          options={CRITERION_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
          defaultValue={values?.kind ?? 'scored'}
          errors={errors?.fieldErrors.kind}
        />
        <TextField
          name="points"
          id={`criterion-points-${section.id}`}
          label="Points"
          hint="A number such as 10 or 12.5; 0 for pass/fail and information-only criteria."
          defaultValue={values?.points}
          required
          errors={errors?.fieldErrors.points}
        />
        <button type="submit" className="usa-button">
          Add criterion
        </button>
      </ResetAfterSuccessForm>
    </details>
  );
}

function formatPoints(points: number): string {
  return Number.isInteger(points) ? String(points) : points.toFixed(2);
}
