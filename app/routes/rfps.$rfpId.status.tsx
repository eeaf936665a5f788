import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ConfirmPanel } from '#app/components/confirm-panel';
import { FormErrorSummary, SuccessMessage, TextArea } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { mailOrigin } from '#app/mail/origin.server';
import { changeStatus, forwardBlockers, TransitionError } from '#app/rfp/lifecycle.server';
import { summarizeForwardMove } from '#app/rfp/move-summary.server';
import { STATUS_LABELS, STATUS_ORDER, STATUS_PHRASES } from '#app/rfp/status';
import { getDb } from '#app/utils/db.server';
import { fieldError, formError, parseForm } from '#app/utils/form';
import { RFP_STATUSES } from '#app/utils/permissions';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Status · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

const STEP_MEANING: Record<(typeof STATUS_ORDER)[number], string> = {
  draft: 'Questionnaire, criteria, weights and rubrics are editable.',
  open: 'The questionnaire is frozen; vendor responses are recorded or imported.',
  evaluation: 'Criteria, weights, rubrics and responses are locked; evaluators attest and score.',
  consensus: 'Scores are visible to the panel; the lead records consensus where evaluators diverge.',
  closed: 'Results are final; everything is read-only.',
};

/** The forward move's button: what the lead is about to do, in the words of that step. */
const FORWARD_LABELS: Record<(typeof STATUS_ORDER)[number], string> = {
  draft: 'Reopen to draft',
  open: 'Open for responses',
  evaluation: 'Move to evaluation',
  consensus: 'Close scoring',
  closed: 'Close the RFP',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const db = getDb();
  const index = STATUS_ORDER.indexOf(access.rfp.status);
  const next = STATUS_ORDER[index + 1] ?? null;
  const canChange = access.can('rfp:edit');
  const blockers = canChange ? await forwardBlockers(db, access.rfp) : [];
  const url = new URL(request.url);
  // `?move=<next>` is the confirmation of the forward move: what it locks and changes, asked once before it happens.
  const wantsMove = canChange && next !== null && url.searchParams.get('move') === next && blockers.length === 0;
  return json({
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    next,
    previous: STATUS_ORDER.slice(0, index).reverse(),
    blockers,
    confirmation: wantsMove ? await summarizeForwardMove(db, access.rfp) : null,
    canChange,
  });
}

const STATUS_ENUM = RFP_STATUSES as ['draft', 'open', 'evaluation', 'consensus', 'closed'];
const schema = z.object({
  /** The status the page showed: a move from a status the RFP is no longer in is refused. */
  from: z.enum(STATUS_ENUM).optional(),
  to: z.enum(STATUS_ENUM, { error: 'Choose a status.' }),
  reason: z.string().max(2000, 'The reason must be at most 2000 characters.').default(''),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  const parsed = parseForm(await request.formData(), schema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const { to, reason, from } = parsed.data;
  try {
    await getDb()
      .transaction()
      .execute((trx) => changeStatus(trx, { id: access.user.id, email: access.user.email }, access.rfp.id, to, reason || null, from, mailOrigin(request)));
  } catch (error) {
    if (error instanceof TransitionError) return json({ errors: reasonError(error.message, reason), message: null }, { status: 409 });
    throw error;
  }
  return json({ errors: null, message: `The RFP is now ${STATUS_PHRASES[to]}.` });
}

/** A refusal for a missing reason is said at the reason field (the error summary links to it); any other at the top. */
function reasonError(message: string, reason: string) {
  return !reason.trim() && /needs a reason/.test(message) ? fieldError('reason', message) : formError(message);
}

export default function StatusPage() {
  const { rfp, tabs, next, previous, blockers, confirmation, canChange } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const statusPath = `/rfps/${rfp.id}/status`;
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      {/* The confirmation posts to its own URL (`?move=`): a refused move keeps it open, with the error at the reason. */}
      <FormErrorSummary errors={errors} fieldIds={confirmation ? undefined : { reason: 'back-reason' }} />
      {confirmation ? (
        <ConfirmPanel
          title={confirmation.title}
          fields={{ from: rfp.status, to: confirmation.to }}
          cancelTo={statusPath}
          confirmLabel={confirmation.confirmLabel}
          formContent={
            confirmation.reasonNeeded ? (
              <TextArea name="reason" id="reason" label={confirmation.reasonLabel} required maxLength={2000} errors={errors?.fieldErrors.reason} />
            ) : null
          }
        >
          <p className="margin-top-0">This will lock:</p>
          <ul className="usa-list">
            {confirmation.locks.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>And then:</p>
          <ul className="usa-list">
            {confirmation.changes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {confirmation.reasonNeeded ? (
            <p>
              <strong>{confirmation.reasonNeeded}</strong>
            </p>
          ) : null}
          <p>The move is recorded in the audit log with who made it, when{confirmation.reasonNeeded ? ' and why' : ''}.</p>
        </ConfirmPanel>
      ) : null}
      <SuccessMessage message={actionData?.message} />
      <h2>Lifecycle</h2>
      <ol className="usa-step-indicator__segments wb-steps" aria-label="Lifecycle steps">
        {STATUS_ORDER.map((status) => {
          const state = status === rfp.status ? 'current' : STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(rfp.status) ? 'complete' : 'pending';
          return (
            <li key={status} className={`wb-step wb-step--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <strong>{STATUS_LABELS[status]}</strong>
              {state === 'complete' ? <span className="usa-sr-only"> (completed)</span> : null}
              <br />
              <span className="text-base">{STEP_MEANING[status]}</span>
            </li>
          );
        })}
      </ol>
      <p className="usa-hint">Questionnaire version {rfp.questionnaire_version}. Every change of status is recorded in the audit log with who, when and why.</p>
      {canChange && next && !confirmation ? (
        <section aria-labelledby="forward-heading" className="margin-top-3">
          <h2 id="forward-heading">Next: {STATUS_LABELS[next].toLowerCase()}</h2>
          {blockers.length > 0 ? (
            <div className="usa-alert usa-alert--warning usa-alert--slim">
              <div className="usa-alert__body">
                <p className="usa-alert__text">Not yet, because:</p>
                <ul className="usa-list">
                  {blockers.map((b) => (
                    <li key={b}>{b}</li>
                  ))}
                </ul>
                {rfp.status === 'draft' ? (
                  <p className="usa-alert__text">
                    <Link to={`/rfps/${rfp.id}/questionnaire`} className="usa-link">
                      Fix them in the questionnaire
                    </Link>
                  </p>
                ) : null}
              </div>
            </div>
          ) : (
            <>
              <p>{STEP_MEANING[next]} You will see what this locks before it happens.</p>
              <Link to={`${statusPath}?move=${next}`} className="usa-button">
                {FORWARD_LABELS[next]}…
              </Link>
            </>
          )}
        </section>
      ) : null}
      {canChange && previous.length > 0 && !confirmation ? (
        <section aria-labelledby="back-heading" className="margin-top-4">
          <h2 id="back-heading">Go back</h2>
          <p>Going back reopens what the later step locked. It needs a reason, which is kept in the audit log; going back to draft starts a new questionnaire version.</p>
          <Form method="post" action={statusPath} className="usa-form">
            <input type="hidden" name="from" value={rfp.status} />
            <fieldset className="usa-fieldset">
              <legend className="usa-legend">Go back to</legend>
              {previous.map((status, i) => (
                <div className="usa-radio" key={status}>
                  <input className="usa-radio__input" type="radio" id={`back-${status}`} name="to" value={status} defaultChecked={i === 0} />
                  <label className="usa-radio__label" htmlFor={`back-${status}`}>
                    {STATUS_LABELS[status]}
                  </label>
                </div>
              ))}
            </fieldset>
            <TextArea name="reason" id="back-reason" label="Reason" required errors={errors?.fieldErrors.reason} maxLength={2000} />
            <button type="submit" className="usa-button usa-button--secondary">
              Go back
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
