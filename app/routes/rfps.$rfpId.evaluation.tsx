/**
 * The lead's evaluation dashboard: who evaluates what, conflict-of-interest attestations and recusals, the
 * evaluator × vendor completion grid with overdue marks, the due date, reopening a scoresheet, and closing scoring.
 * Shows counts only: nobody's score or rationale appears here before consensus.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextArea } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { COI_LABELS } from '#app/evaluation/coi';
import { conflictsClosed, RECUSAL_ORIGIN_LABELS } from '#app/evaluation/coi-declarations';
import { DueDate, Progress, SheetStateTag } from '#app/evaluation/components';
import { moveToConsensus } from '#app/evaluation/consensus-move.server';
import { loadProgress, pendingSheets } from '#app/evaluation/progress.server';
import { sendLeadReminders } from '#app/evaluation/reminders.server';
import { RemindForm } from '#app/evaluation/remind-form';
import { isOverdue } from '#app/evaluation/rules';
import { mailOrigin } from '#app/mail/origin.server';
import { questionnaireLock, withRfpLock } from '#app/rfp/locks.server';
import { type DeadlineKey, deadlineOrderErrors, deadlinesOf, mergeErrors, pastDeadlineErrors, pastDeadlines, readDeadlines } from '#app/rfp/rfp-details';
import { STATUS_LABELS } from '#app/rfp/status';
import {
  assignEvaluator,
  recordRecusalByLead,
  setPriceBlind,
  EVALUATOR_SCORED_KINDS,
  getDb,
  getQuestionnaire,
  listEvaluatedSubmissions,
  listMembers,
  reopenScoresheet,
  type Rfp,
  setEvaluationDueDate,
  unassignEvaluator,
} from '#app/utils/db.server';
import { fieldError, type FormErrors, formError, parseForm, requiredText } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { deadlineInputs, describeTimeZone, installationTimeZone } from '#app/utils/time-zone';
import { DeadlineField } from '#app/components/deadline-field';
import { listOf, plural } from '#app/utils/wording';

/** The same messages under another field's name (the reason field of this form is `dueReason`). */
function renameField(errors: Record<string, string[]> | null, from: string, to: string): Record<string, string[]> | null {
  if (!errors?.[from]) return errors;
  const { [from]: moved, ...rest } = errors;
  return { ...rest, [to]: moved! };
}

/** Why the price-blind setting cannot change now. */
function priceBlindLocked(rfp: Pick<Rfp, 'reference'>): string {
  return `Price-blind scoring is a scoring setting of ${rfp.reference}: it is fixed once the RFP leaves draft. The lead officer can reopen it to draft, with a recorded reason, to change it.`;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Evaluation · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'evaluation:manage');
  const db = getDb();
  const [progress, members, questionnaire] = await Promise.all([loadProgress(db, access.rfp.id), listMembers(db, access.rfp.id), getQuestionnaire(db, access.rfp.id)]);
  const sections = questionnaire.map((s) => ({ id: s.id, title: s.title, scorable: s.criteria.filter((c) => EVALUATOR_SCORED_KINDS.includes(c.kind)).length }));
  const sectionTitle = new Map(sections.map((s) => [s.id, s.title]));
  const assigned = new Set(progress.assignments.map((a) => a.user_id));
  const overdue = access.rfp.status === 'evaluation' && isOverdue(access.rfp.evaluation_due_at);
  const pending = pendingSheets(progress);
  const names = new Map(progress.assignments.map((a) => [a.user_id, a.name]));
  return json({
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    vendors: progress.submissions.map((s) => ({ id: s.id, name: s.vendor_name })),
    vendorChoices: progress.submissions.map((s) => ({ value: s.vendor_id, label: s.vendor_name })),
    rows: progress.assignments.map((a) => ({
      userId: a.user_id,
      name: a.name,
      email: a.email,
      scope: a.section_ids === null ? 'Whole RFP' : a.section_ids.map((id) => sectionTitle.get(id) ?? 'a removed section').join(', '),
      sectionIds: a.section_ids,
      coi: a.coi_status,
      attestedAt: a.attested_at,
      coiDetails: a.coi_details,
      cells: progress.sheets
        .filter((s) => s.evaluatorId === a.user_id)
        .map((s) => ({ ...s, overdue: overdue && (s.state === 'in_progress' || s.state === 'not_started') && s.total > 0 })),
    })),
    formerAssignments: progress.formerAssignments.map((a) => ({ userId: a.user_id, name: a.name })),
    recusals: progress.recusals.map((r) => ({ evaluator: names.get(r.user_id) ?? 'A former evaluator', vendor: r.vendor_name, reason: r.reason, at: r.created_at, origin: r.origin })),
    canRecuse: conflictsClosed(access.rfp) === null,
    candidates: members.filter((m) => m.role === 'evaluator' && !m.disabled).map((m) => ({ id: m.user_id, name: m.name, assigned: assigned.has(m.user_id) })),
    sections: sections.filter((s) => s.scorable > 0),
    submittedSheets: progress.sheets
      .filter((s) => s.state === 'submitted')
      .map((s) => ({ value: `${s.evaluatorId}:${s.submissionId}`, label: `${names.get(s.evaluatorId)} — ${s.vendorName}` })),
    pending: pending.map((p) => `${names.get(p.evaluatorId)} — ${p.vendorName}`),
    // Who a reminder can go to: evaluators with a scoresheet still to submit, with how many.
    remindable: [...new Set(pending.map((p) => p.evaluatorId))].map((id) => ({ id, name: names.get(id) ?? 'An evaluator', open: pending.filter((p) => p.evaluatorId === id).length })),
    complete: progress.assignments.length > 0 && pending.length === 0,
    overdue,
    canAssign: ['draft', 'open', 'evaluation'].includes(access.rfp.status),
    zoneName: describeTimeZone(installationTimeZone()),
    dueInputs: deadlineInputs(access.rfp.evaluation_due_at, installationTimeZone()),
  });
}

const actionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('assign'), evaluatorId: z.string().min(1, 'Choose an evaluator.'), scope: z.enum(['whole', 'sections'], { error: 'Choose what they evaluate.' }) }),
    z.object({ intent: z.literal('unassign'), evaluatorId: z.string().min(1, 'Choose an evaluator.') }),
    z.object({
      intent: z.literal('due-date'),
      evaluationDueDate: z.string({ error: 'Enter the due date.' }).trim().min(1, 'Enter the due date.'),
      evaluationDueTime: z.string().trim().default(''),
      dueReason: z.string().trim().max(2000, 'The reason must be at most 2000 characters.').default(''),
    }),
    z.object({ intent: z.literal('remind'), note: z.string().trim().max(1000, 'The note must be at most 1000 characters.').default('') }),
    z.object({ intent: z.literal('reopen'), sheet: z.string().min(1, 'Choose a scoresheet.'), reopenReason: requiredText('A reason', 2000) }),
    z.object({ intent: z.literal('price-blind'), priceBlind: z.enum(['on', 'off'], { error: 'Choose whether evaluators score price-blind.' }) }),
    z.object({
      intent: z.literal('recuse'),
      recuseEvaluatorId: z.string({ error: 'Choose the evaluator.' }).min(1, 'Choose the evaluator.'),
      recuseVendorId: z.string({ error: 'Choose the vendor.' }).min(1, 'Choose the vendor.'),
      recuseReason: requiredText('A reason', 4000),
    }),
    z.object({ intent: z.literal('consensus'), reason: z.string().trim().max(2000, 'The reason must be at most 2000 characters.').default('') }),
  ],
  { error: 'Unknown action.' },
);

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'evaluation:manage');
  const formData = await request.formData();
  const parsed = parseForm(formData, actionSchema);
  const fail = (errors: FormErrors, status = 400) => json({ errors, message: null as string | null }, { status });
  const done = (message: string) => json({ errors: null as FormErrors | null, message });
  if (!parsed.ok) return fail(parsed.errors);
  const input = parsed.data;
  const rfp = access.rfp;
  const actor = { id: access.user.id, email: access.user.email };
  const db = getDb();
  // Assignments and the due date change until scoring is over. The page's status answers at once; the status read
  // under the lock, in the write's transaction, decides (a 409 when the RFP moved on meanwhile).
  const scoringOver = (r: Pick<Rfp, 'status'>) => r.status === 'consensus' || r.status === 'closed';
  const untilScoringOver = (message: string) => (r: Rfp) => (scoringOver(r) ? message : null);

  switch (input.intent) {
    case 'assign': {
      const lock = (r: Rfp) => (scoringOver(r) ? `Evaluators cannot be assigned while the RFP is ${STATUS_LABELS[r.status].toLowerCase()}: scoring is over.` : null);
      const lockedNow = lock(rfp);
      if (lockedNow) return fail(formError(lockedNow), 409);
      const chosen = input.scope === 'sections' ? formData.getAll('sectionId').filter((v): v is string => typeof v === 'string') : null;
      if (chosen?.length === 0) return fail(fieldError('sectionId', 'Choose at least one section, or assign the whole RFP.'));
      const outcome = await withRfpLock(db, rfp.id, lock, async (trx): Promise<{ ok: false; errors: FormErrors } | { ok: true; person: { name: string }; result: 'created' | 'updated' | 'unchanged' }> => {
        const person = (await listMembers(trx, rfp.id)).find((m) => m.user_id === input.evaluatorId && m.role === 'evaluator');
        if (!person) return { ok: false, errors: fieldError('evaluatorId', 'Choose an evaluator member of this RFP (add them on the Members page first).') };
        if (chosen) {
          const known = await trx.selectFrom('section').select('id').where('rfp_id', '=', rfp.id).where('id', 'in', chosen).execute();
          if (known.length !== new Set(chosen).size) return { ok: false, errors: fieldError('sectionId', 'Choose sections of this RFP.') };
        }
        return { ok: true, person, result: await assignEvaluator(trx, actor, { rfpId: rfp.id, userId: person.user_id, email: person.email, sectionIds: chosen, mailOrigin: mailOrigin(request) }) };
      });
      if (!outcome.ok) return fail(outcome.errors);
      const { person, result } = outcome;
      return done(
        result === 'unchanged'
          ? `${person.name} was already assigned that way.`
          : `${person.name} is assigned to ${chosen === null ? 'the whole RFP' : `${chosen.length} section${chosen.length === 1 ? '' : 's'}`}.`,
      );
    }
    case 'unassign': {
      const locked = 'Assignments cannot change once scoring is over.';
      if (scoringOver(rfp)) return fail(formError(locked), 409);
      const person = (await listMembers(db, rfp.id)).find((m) => m.user_id === input.evaluatorId);
      const outcome = await withRfpLock(db, rfp.id, untilScoringOver(locked), (trx) =>
        unassignEvaluator(trx, actor, { rfpId: rfp.id, userId: input.evaluatorId, email: person?.email ?? input.evaluatorId }),
      );
      if (outcome === 'not-assigned') return fail(formError('That person is not assigned.'));
      if (outcome === 'has-scores') return fail(formError(`${person?.name ?? 'This evaluator'} has already scored: their work is part of the record, so the assignment stays.`));
      return done(`${person?.name ?? 'The evaluator'} is no longer assigned.`);
    }
    case 'due-date': {
      const locked = 'The due date no longer matters: scoring is over.';
      if (scoringOver(rfp)) return fail(formError(locked), 409);
      // Typed in the installation's zone, like every deadline (app/rfp/rfp-details.ts): after the Q&A and proposals
      // deadlines, and one already past only when confirmed with the reason (a past due date closes scoring at once).
      const zone = installationTimeZone();
      const typed = readDeadlines({ evaluationDueDate: input.evaluationDueDate, evaluationDueTime: input.evaluationDueTime }, zone);
      const dueAt = typed.values.evaluation;
      if (!dueAt) return fail({ fieldErrors: typed.errors, formErrors: [] });
      const outcome = await withRfpLock(db, rfp.id, untilScoringOver(locked), async (trx, current): Promise<FormErrors | boolean> => {
        const next = { ...deadlinesOf(current), evaluation: dueAt };
        const changed = new Set<DeadlineKey>(current.evaluation_due_at === dueAt ? [] : ['evaluation']);
        const past = pastDeadlines(next, changed, new Date());
        const ruleErrors = mergeErrors(
          deadlineOrderErrors(next, changed, zone),
          renameField(pastDeadlineErrors(past, next, { confirmPast: formData.get('confirmPast') === 'yes' ? 'yes' : '', pastReason: input.dueReason }, zone), 'pastReason', 'dueReason'),
        );
        if (ruleErrors) return ruleErrors;
        return setEvaluationDueDate(trx, actor, { rfpId: rfp.id, dueAt, reason: input.dueReason || null });
      });
      if (typeof outcome !== 'boolean') return fail(outcome);
      return done(outcome ? `Scoring is now due ${formatDateTime(dueAt)}.` : 'The due date is unchanged.');
    }
    case 'remind': {
      if (rfp.status !== 'evaluation') return fail(formError('Reminders go out while the RFP is in evaluation.'), 409);
      const chosen = new Set(formData.getAll('evaluatorId').filter((v): v is string => typeof v === 'string'));
      if (chosen.size === 0) return fail(fieldError('evaluatorId', 'Choose at least one evaluator to remind.'));
      const sent = await sendLeadReminders(db, actor, { rfp, evaluatorIds: [...chosen], note: input.note || null, mailOrigin: mailOrigin(request) });
      if (!sent.ok) return fail(fieldError('evaluatorId', sent.problem));
      return done(`Reminder sent to ${listOf(sent.names)}.`);
    }
    case 'reopen': {
      const [evaluatorId, submissionId] = input.sheet.split(':');
      if (!evaluatorId || !submissionId) return fail(fieldError('sheet', 'Choose a scoresheet.'));
      const outcome = await reopenScoresheet(db, actor, { rfpId: rfp.id, evaluatorId, submissionId, reason: input.reopenReason, mailOrigin: mailOrigin(request) });
      if (outcome.ok) return done('The scoresheet is reopened; the evaluator can change and submit it again.');
      if (outcome.refusal.kind === 'status') {
        return fail(formError(`A scoresheet can be reopened only while the RFP is in evaluation; it is ${STATUS_LABELS[rfp.status].toLowerCase()} now. Go back to evaluation on the Status page first.`), 409);
      }
      return fail(fieldError('sheet', 'That scoresheet is not submitted.'));
    }
    case 'price-blind': {
      // A scoring setting: fixed once the RFP leaves draft, like the questionnaire (bidders are told how they are scored).
      if (questionnaireLock(rfp)) return fail(formError(priceBlindLocked(rfp)), 409);
      const on = input.priceBlind === 'on';
      const changed = await withRfpLock(db, rfp.id, (r) => (questionnaireLock(r) ? priceBlindLocked(r) : null), (trx) => setPriceBlind(trx, actor, { rfpId: rfp.id, priceBlind: on }));
      if (!changed) return done('The price-blind setting is unchanged.');
      return done(on ? 'Evaluators will score price-blind: prices are shown to them once all their technical scoresheets are submitted.' : 'Evaluators will see prices while they score.');
    }
    case 'recuse': {
      const closed = conflictsClosed(rfp);
      if (closed) return fail(formError(closed), 409);
      const person = (await listMembers(db, rfp.id)).find((m) => m.user_id === input.recuseEvaluatorId);
      const vendor = (await listEvaluatedSubmissions(db, rfp.id)).find((s) => s.vendor_id === input.recuseVendorId);
      if (!vendor) return fail(fieldError('recuseVendorId', 'Choose a vendor whose response is evaluated in this RFP.'));
      const outcome = await withRfpLock(db, rfp.id, conflictsClosed, (trx) =>
        recordRecusalByLead(trx, actor, {
          rfpId: rfp.id,
          userId: input.recuseEvaluatorId,
          email: person?.email ?? input.recuseEvaluatorId,
          vendor: { id: vendor.vendor_id, name: vendor.vendor_name },
          reason: input.recuseReason,
        }),
      );
      if (outcome === 'not-assigned') return fail(fieldError('recuseEvaluatorId', 'Choose an evaluator assigned to this RFP.'));
      const name = person?.name ?? 'The evaluator';
      if (outcome === 'already-recused') return fail(fieldError('recuseVendorId', `${name} is already recused from ${vendor.vendor_name}.`));
      return done(`${name} is recused from ${vendor.vendor_name}: their scores for it no longer count.`);
    }
    case 'consensus': {
      const outcome = await moveToConsensus(actor, rfp.id, input.reason || null, mailOrigin(request));
      if (!outcome.ok) return fail(outcome.status === 400 ? fieldError('reason', outcome.message) : formError(outcome.message), outcome.status);
      return done('Scoring is closed: the RFP is in consensus.');
    }
  }
}

export default function EvaluationDashboard() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { rfp, tabs, vendors, rows } = data;
  const errors = actionData?.errors;
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Evaluation</h2>
      <FormErrorSummary errors={errors} />
      <SuccessMessage message={actionData?.message} />
      <dl className="wb-meta">
        <dt>Scoring due</dt>
        <dd>
          <DueDate dueAt={rfp.evaluation_due_at} done={rfp.status !== 'evaluation'} />
        </dd>
        <dt>Scoresheets</dt>
        <dd>
          {data.complete ? 'Every assigned scoresheet is submitted.' : `${data.pending.length} still to submit.`}
          {data.overdue && !data.complete ? <span className="usa-tag wb-overdue margin-left-1">Overdue</span> : null}
        </dd>
      </dl>

      <section aria-labelledby="grid-heading">
        <h3 id="grid-heading">Progress</h3>
        {rows.length === 0 ? (
          <p>No evaluator is assigned yet.</p>
        ) : (
          <div className="wb-table-wrap">
            <table className="usa-table usa-table--borderless usa-table--compact width-full wb-eval-grid">
              <caption className="usa-sr-only">Scoresheets by evaluator and vendor: criteria scored of those assigned</caption>
              <thead>
                <tr>
                  <th scope="col">Evaluator</th>
                  <th scope="col">Conflict of interest</th>
                  {vendors.map((v) => (
                    <th scope="col" key={v.id}>
                      {v.name}
                    </th>
                  ))}
                  <th scope="col">Assignment</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.userId}>
                    <th scope="row">
                      {row.name}
                      <br />
                      <span className="text-base">{row.scope}</span>
                    </th>
                    <td>
                      <span className={`usa-tag wb-coi wb-coi--${row.coi}`}>{COI_LABELS[row.coi]}</span>
                      {row.attestedAt ? <div className="text-base">{formatDateTime(row.attestedAt)}</div> : null}
                    </td>
                    {row.cells.map((cell) => (
                      <td key={cell.submissionId}>
                        <SheetStateTag state={cell.state} />
                        {cell.state !== 'recused' ? (
                          <div>
                            <Progress scored={cell.scored} total={cell.total} />
                          </div>
                        ) : null}
                        {cell.overdue ? <span className="usa-tag wb-overdue">Overdue</span> : null}
                      </td>
                    ))}
                    <td>
                      {row.cells.some((c) => c.scored > 0) ? (
                        <span className="text-base">Has scores: stays assigned</span>
                      ) : (
                        <Form method="post" className="wb-inline-form">
                          <input type="hidden" name="intent" value="unassign" />
                          <input type="hidden" name="evaluatorId" value={row.userId} />
                          <button type="submit" className="usa-button usa-button--unstyled" disabled={!data.canAssign}>
                            Unassign<span className="usa-sr-only"> {row.name}</span>
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {rfp.status === 'evaluation' && data.remindable.length > 0 ? <RemindForm evaluators={data.remindable} errors={actionData?.errors} /> : null}
        {data.formerAssignments.length > 0 ? (
          <p className="usa-hint">No longer evaluator members (not counted): {data.formerAssignments.map((a) => a.name).join(', ')}.</p>
        ) : null}
      </section>

      <section aria-labelledby="coi-heading" className="margin-top-3">
        <h3 id="coi-heading">Conflicts of interest and recusals</h3>
        {data.recusals.length === 0 ? (
          <p>No evaluator has declared a conflict.</p>
        ) : (
          <ul className="usa-list">
            {data.recusals.map((r) => (
              <li key={`${r.evaluator}-${r.vendor}`}>
                <strong>{r.evaluator}</strong> is recused from <strong>{r.vendor}</strong> ({RECUSAL_ORIGIN_LABELS[r.origin]}, {formatDateTime(r.at)}):{' '}
                <span className="wb-pre">{r.reason}</span>
              </li>
            ))}
          </ul>
        )}
        {rows.some((r) => r.coi === 'pending') ? (
          <p>
            Not attested yet: {rows
              .filter((r) => r.coi === 'pending')
              .map((r) => r.name)
              .join(', ')}
            . They cannot see any response until they do.
          </p>
        ) : null}
        {data.canRecuse && rows.length > 0 && vendors.length > 0 ? (
          <Form method="post" className="usa-form usa-form--large margin-top-2" key={actionData?.message ?? 'recuse'}>
            <input type="hidden" name="intent" value="recuse" />
            <h4 className="margin-bottom-0">Record a recusal</h4>
            <p className="usa-hint margin-top-05">
              For a conflict you learned of: the evaluator no longer sees that vendor’s response, and their scores for it stop counting. Kept in the
              audit log.
            </p>
            <SelectField
              name="recuseEvaluatorId"
              label="Evaluator"
              placeholder="- Select an evaluator -"
              options={rows.map((r) => ({ value: r.userId, label: r.name }))}
              required
              errors={errors?.fieldErrors.recuseEvaluatorId}
            />
            <SelectField
              name="recuseVendorId"
              label="Vendor"
              placeholder="- Select a vendor -"
              options={data.vendorChoices}
              required
              errors={errors?.fieldErrors.recuseVendorId}
            />
            <TextArea name="recuseReason" label="Reason" hint="The conflict, and how you learned of it." required errors={errors?.fieldErrors.recuseReason} maxLength={4000} />
            <button type="submit" className="usa-button usa-button--secondary">
              Record the recusal
            </button>
          </Form>
        ) : null}
      </section>

      {data.canAssign ? (
        <section aria-labelledby="assign-heading" className="margin-top-3">
          <h3 id="assign-heading">Assign an evaluator</h3>
          {data.candidates.length === 0 ? (
            <p>No member of this RFP has the evaluator role. Add evaluators on the Members page.</p>
          ) : (
            <ResetAfterSuccessForm method="post" className="usa-form usa-form--large">
              <input type="hidden" name="intent" value="assign" />
              <SelectField
                name="evaluatorId"
                label="Evaluator"
                placeholder="- Select an evaluator -"
                options={data.candidates.map((c) => ({ value: c.id, label: c.assigned ? `${c.name} (assigned: change scope)` : c.name }))}
                required
                errors={errors?.fieldErrors.evaluatorId}
              />
              <fieldset className="usa-fieldset margin-top-2">
                <legend className="usa-legend">What they evaluate</legend>
                <div className="usa-radio">
                  <input className="usa-radio__input" type="radio" id="scope-whole" name="scope" value="whole" defaultChecked />
                  <label className="usa-radio__label" htmlFor="scope-whole">
                    The whole RFP
                  </label>
                </div>
                <div className="usa-radio">
                  <input className="usa-radio__input" type="radio" id="scope-sections" name="scope" value="sections" />
                  <label className="usa-radio__label" htmlFor="scope-sections">
                    Only the sections ticked below
                  </label>
                </div>
              </fieldset>
              <fieldset className={`usa-fieldset margin-top-2${errors?.fieldErrors.sectionId ? ' usa-form-group--error' : ''}`}>
                <legend className="usa-legend">Sections</legend>
                {errors?.fieldErrors.sectionId ? (
                  <span className="usa-error-message" role="alert">
                    {errors.fieldErrors.sectionId.join(' ')}
                  </span>
                ) : null}
                {data.sections.map((s) => (
                  <div className="usa-checkbox" key={s.id}>
                    <input className="usa-checkbox__input" type="checkbox" id={`section-${s.id}`} name="sectionId" value={s.id} />
                    <label className="usa-checkbox__label" htmlFor={`section-${s.id}`}>
                      {s.title} ({plural(s.scorable, 'criterion', 'criteria')} to score)
                    </label>
                  </div>
                ))}
              </fieldset>
              <button type="submit" className="usa-button margin-top-2">
                Assign
              </button>
            </ResetAfterSuccessForm>
          )}
        </section>
      ) : null}

      <section aria-labelledby="price-blind-heading" className="margin-top-3">
        <h3 id="price-blind-heading">Price-blind technical scoring</h3>
        <p>
          {rfp.price_blind
            ? 'On: evaluators do not see prices or the price criterion until all their technical scoresheets are submitted.'
            : 'Off: evaluators see vendors’ prices and the price criterion while they score.'}
        </p>
        {rfp.status === 'draft' ? (
          <Form method="post" className="usa-form">
            <input type="hidden" name="intent" value="price-blind" />
            <input type="hidden" name="priceBlind" value={rfp.price_blind ? 'off' : 'on'} />
            <button type="submit" className="usa-button usa-button--outline">
              {rfp.price_blind ? 'Let evaluators see prices' : 'Score price-blind'}
            </button>
          </Form>
        ) : (
          <p className="usa-hint">Fixed once the RFP leaves draft.</p>
        )}
      </section>

      {data.canAssign ? (
        <section aria-labelledby="due-heading" className="margin-top-3">
          <h3 id="due-heading">Due date</h3>
          <Form method="post" className="usa-form">
            <input type="hidden" name="intent" value="due-date" />
            <DeadlineField
              deadline="evaluation"
              label="Scoring due"
              hint="Scoring closes then: saves after it are refused until you extend it."
              zoneName={data.zoneName}
              defaultValue={data.dueInputs}
              errors={errors?.fieldErrors}
            />
            {errors?.fieldErrors.evaluationDueDate?.some((m) => m.includes('already passed')) ? (
              <div className="usa-checkbox margin-top-2">
                <input className="usa-checkbox__input" type="checkbox" id="confirmPast" name="confirmPast" value="yes" />
                <label className="usa-checkbox__label" htmlFor="confirmPast">
                  Set it anyway: scoring closes now (give the reason below)
                </label>
              </div>
            ) : null}
            <TextArea name="dueReason" label="Reason (optional; needed for a date already past)" hint="For example, why the date is extended. Kept in the audit log." maxLength={2000} errors={errors?.fieldErrors.dueReason} />
            <button type="submit" className="usa-button">
              Set due date
            </button>
          </Form>
        </section>
      ) : null}

      {rfp.status === 'evaluation' ? (
        <section aria-labelledby="reopen-heading" className="margin-top-3">
          <h3 id="reopen-heading">Reopen a submitted scoresheet</h3>
          {data.submittedSheets.length === 0 ? (
            <p>No scoresheet is submitted yet.</p>
          ) : (
            <Form method="post" className="usa-form">
              <input type="hidden" name="intent" value="reopen" />
              <SelectField name="sheet" label="Scoresheet" placeholder="- Select a scoresheet -" options={data.submittedSheets} required errors={errors?.fieldErrors.sheet} />
              <TextArea name="reopenReason" label="Reason" hint="Why it is reopened. Kept in the audit log." required errors={errors?.fieldErrors.reopenReason} maxLength={2000} />
              <button type="submit" className="usa-button usa-button--secondary">
                Reopen scoresheet
              </button>
            </Form>
          )}
        </section>
      ) : null}

      {rfp.status === 'evaluation' ? (
        <section aria-labelledby="close-heading" className="margin-top-3">
          <h3 id="close-heading">Close scoring and move to consensus</h3>
          {data.complete ? (
            <p>Every assigned evaluator has submitted every scoresheet, so no reason is needed.</p>
          ) : (
            <>
              <p>Not every scoresheet is submitted{data.pending.length > 0 ? `: ${data.pending.join('; ')}` : ''}. Closing scoring now needs a reason, kept in the audit log.</p>
            </>
          )}
          {/* The one confirmation of closing scoring, on the Status page: what it locks, and the reason when early. */}
          <Link to={`/rfps/${rfp.id}/status?move=consensus`} className="usa-button">
            Close scoring…
          </Link>
        </section>
      ) : rfp.status === 'consensus' ? (
        <p className="margin-top-3">
          Scoring is closed.{' '}
          <Link className="usa-link" to={`/rfps/${rfp.id}/consensus`}>
            Open the consensus page
          </Link>{' '}
          to compare the panel’s scores and record consensus.
        </p>
      ) : null}
    </>
  );
}
