import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SuccessMessage, TextArea } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPriceViewFor } from '#app/confidentiality/price-blind.server';
import { type EvaluatorAccess, requireAssignedEvaluator } from '#app/evaluation/access.server';
import { conflictsClosed } from '#app/evaluation/coi-declarations';
import { COI_LABELS, COI_STATEMENT } from '#app/evaluation/coi';
import { COI_STATEMENT_SHA256 } from '#app/evaluation/coi.server';
import { DueDate, Progress, SheetStateTag } from '#app/evaluation/components';
import { loadProgress, type SheetProgress } from '#app/evaluation/progress.server';
import { withRfpLock } from '#app/rfp/locks.server';
import { attestConflicts, declareConflictAfterAttesting, getAssignment, getDb, listEvaluatedSubmissions, type Rfp } from '#app/utils/db.server';
import { fieldError, type FormErrors, formError, parseForm, requiredText } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `My scoring · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'scores:own');
  const db = getDb();
  const url = new URL(request.url);
  const assignment = await getAssignment(db, access.rfp.id, access.user.id);
  const base = {
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    statement: COI_STATEMENT,
    notice: url.searchParams.has('attested')
      ? 'Your attestation is recorded.'
      : url.searchParams.has('declared')
        ? 'Your declaration is recorded: you are recused from the vendors you named, and the lead officer can see it.'
        : url.searchParams.get('submitted')
          ? 'Your scoresheet is submitted.'
          : null,
    pricesHidden: (await loadPriceViewFor(db, access)).notice,
    canDeclare: conflictsClosed(access.rfp) === null,
  };
  if (!assignment) return json({ ...base, assignment: null, vendors: [] as Array<{ id: string; vendorId: string; name: string }>, sheets: [] as SheetProgress[], recusals: [] as Array<{ vendor: string; reason: string }> });
  const progress = await loadProgress(db, access.rfp.id, access.user.id);
  return json({
    ...base,
    assignment: {
      coi_status: assignment.coi_status,
      coi_details: assignment.coi_details,
      attested_at: assignment.attested_at,
      coi_statement_sha256: assignment.coi_statement_sha256,
      whole: assignment.section_ids === null,
      sections: [...new Set(progress.criteria.filter((c) => assignment.section_ids?.includes(c.section_id)).map((c) => c.section_title))],
    },
    vendors: progress.submissions.map((s) => ({ id: s.id, vendorId: s.vendor_id, name: s.vendor_name })),
    sheets: progress.sheets,
    recusals: progress.recusals.map((r) => ({ vendor: r.vendor_name, reason: r.reason })),
  });
}

const attestSchema = z.object({
  intent: z.literal('attest'),
  coi: z.enum(['none', 'declared'], { error: 'Choose whether you have a conflict of interest.' }),
  confirm: z.literal('yes', { error: 'Confirm that you have read the statement and that your declaration is true.' }),
  details: z.string().trim().max(4000, 'The details must be at most 4000 characters.').default(''),
});
const declareSchema = z.object({
  intent: z.literal('declare'),
  details: requiredText('What the conflict is', 4000),
  confirmRecusal: z.literal('yes', { error: 'Confirm that you will take no further part in evaluating these vendors.' }),
});
const actionSchema = z.discriminatedUnion('intent', [attestSchema, declareSchema], { error: 'Unknown action.' });

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireAssignedEvaluator(request, params.rfpId);
  const formData = await request.formData();
  const fail = (errors: FormErrors, status = 400) => json({ errors }, { status });
  if (formData.get('intent') === 'declare') return declareLater(access, formData, fail);
  const parsed = parseForm(formData, actionSchema);
  // Checked again under the lock, in the attestation's transaction.
  const scoringOver = (rfp: Pick<Rfp, 'status'>) => (rfp.status === 'consensus' || rfp.status === 'closed' ? 'Scoring is over for this RFP, so there is nothing left to attest for.' : null);
  const over = scoringOver(access.rfp);
  if (over) return fail(formError(over), 409);
  if (access.assignment.coi_status !== 'pending') {
    return fail(formError(`You attested on ${formatDateTime(access.assignment.attested_at)}; an attestation is made once.`), 409);
  }
  if (!parsed.ok) return fail(parsed.errors);
  if (parsed.data.intent !== 'attest') return fail(formError('Unknown action.'));
  const attest = parsed.data;
  const db = getDb();
  const vendorIds = formData.getAll('vendorId').filter((v): v is string => typeof v === 'string');
  const submissions = await listEvaluatedSubmissions(db, access.rfp.id);
  const vendors = submissions.filter((s) => vendorIds.includes(s.vendor_id)).map((s) => ({ id: s.vendor_id, name: s.vendor_name }));
  if (vendors.length !== new Set(vendorIds).size) return fail(fieldError('vendorId', 'Choose vendors from the list.'));
  if (attest.coi === 'none' && vendors.length > 0) {
    return fail(fieldError('vendorId', 'You chose vendors but declared no conflict. Declare a conflict, or clear the vendors.'));
  }
  if (attest.coi === 'declared') {
    if (vendors.length === 0) return fail(fieldError('vendorId', 'Choose each vendor you have a conflict with.'));
    if (!attest.details) return fail(fieldError('details', 'Describe the conflict: it is kept in the record and shown to the lead officer.'));
  }
  const recorded = await withRfpLock(db, access.rfp.id, scoringOver, (trx) =>
    attestConflicts(trx, access.actor, {
      rfpId: access.rfp.id,
      userId: access.user.id,
      statement: COI_STATEMENT,
      statementSha256: COI_STATEMENT_SHA256,
      declared: attest.coi === 'declared' ? { vendors, details: attest.details } : null,
    }),
  );
  if (!recorded) return fail(formError('You have already attested.'), 409);
  return redirect(`/rfps/${access.rfp.id}/evaluate?attested=1`);
}

/**
 * A conflict found after attesting: the evaluator names the vendors and says what it is; they are recused from each
 * (checked again, with the lifecycle lock, in the write's transaction).
 */
async function declareLater(access: EvaluatorAccess, formData: FormData, fail: (errors: FormErrors, status?: number) => Response) {
  const closed = conflictsClosed(access.rfp);
  if (closed) return fail(formError(closed), 409);
  if (access.assignment.coi_status === 'pending') return fail(formError('Sign the attestation first: declare any conflict you have there.'), 409);
  const parsed = parseForm(formData, declareSchema);
  const db = getDb();
  const vendorIds = [...new Set(formData.getAll('conflictVendorId').filter((v): v is string => typeof v === 'string'))];
  const submissions = await listEvaluatedSubmissions(db, access.rfp.id);
  const vendors = submissions.filter((s) => vendorIds.includes(s.vendor_id)).map((s) => ({ id: s.vendor_id, name: s.vendor_name }));
  if (vendorIds.length === 0) return fail(fieldError('conflictVendorId', 'Choose each vendor you have a conflict with.'));
  if (vendors.length !== vendorIds.length) return fail(fieldError('conflictVendorId', 'Choose vendors from the list.'));
  if (!parsed.ok) return fail(parsed.errors);
  const outcome = await withRfpLock(db, access.rfp.id, conflictsClosed, (trx) =>
    declareConflictAfterAttesting(trx, access.actor, { rfpId: access.rfp.id, userId: access.user.id, email: access.user.email, vendors, details: parsed.data.details }),
  );
  if (outcome.kind === 'already-recused') return fail(fieldError('conflictVendorId', 'You are already recused from every vendor you chose.'));
  if (outcome.kind === 'not-attested') return fail(formError('Sign the attestation first: declare any conflict you have there.'), 409);
  return redirect(`/rfps/${access.rfp.id}/evaluate?declared=1`);
}

export default function MyScoring() {
  const { rfp, tabs, statement, notice, pricesHidden, canDeclare, assignment, vendors, sheets, recusals } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const scoringOpen = rfp.status === 'evaluation';
  const started = rfp.status !== 'draft' && rfp.status !== 'open';
  const submittedAny = sheets.some((s) => s.state === 'submitted');
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>My scoring</h2>
      <SuccessMessage message={notice} />
      <FormErrorSummary errors={errors} />
      {!assignment ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">You are not assigned to evaluate this RFP yet. The lead officer assigns evaluators on the Evaluation page.</p>
          </div>
        </div>
      ) : (
        <>
          <dl className="wb-meta">
            <dt>Scope</dt>
            <dd>{assignment.whole ? 'The whole RFP' : assignment.sections.join(', ') || 'No section with scored criteria'}</dd>
            <dt>Scoring due</dt>
            <dd>
              <DueDate dueAt={rfp.evaluation_due_at} done={rfp.status !== 'evaluation'} />
            </dd>
            <dt>Conflict of interest</dt>
            <dd>
              {COI_LABELS[assignment.coi_status]}
              {assignment.attested_at ? ` (attested ${formatDateTime(assignment.attested_at)})` : null}
            </dd>
          </dl>
          {assignment.coi_status === 'pending' ? (
            <AttestationForm statement={statement} vendors={vendors} errors={errors} />
          ) : (
            <>
              {recusals.length > 0 ? (
                <div className="usa-alert usa-alert--info usa-alert--slim margin-top-2">
                  <div className="usa-alert__body">
                    <p className="usa-alert__text">You are recused from {recusals.length === 1 ? 'one vendor' : `${recusals.length} vendors`}:</p>
                    <ul className="usa-list">
                      {recusals.map((r) => (
                        <li key={r.vendor}>
                          <strong>{r.vendor}</strong>: <span className="wb-pre">{r.reason}</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                </div>
              ) : null}
              <h2 id="vendors-heading">Responses to score</h2>
              {!started ? <p>Scoring opens when the lead officer moves the RFP to evaluation. Your attestation is already recorded.</p> : null}
              {started && !scoringOpen ? <p>Scoring is over for this RFP. Your scoresheets are shown read-only.</p> : null}
              <div className="wb-table-wrap">
                <table className="usa-table usa-table--borderless width-full" aria-labelledby="vendors-heading">
                  <thead>
                    <tr>
                      <th scope="col">Vendor</th>
                      <th scope="col">Progress</th>
                      <th scope="col">Status</th>
                      <th scope="col">Open</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sheets.map((s) => (
                      <tr key={s.submissionId}>
                        <th scope="row">{s.vendorName}</th>
                        <td>{s.state === 'recused' ? '—' : <Progress scored={s.scored} total={s.total} />}</td>
                        <td>
                          <SheetStateTag state={s.state} />
                        </td>
                        <td>
                          {s.state === 'recused' || !started ? (
                            '—'
                          ) : (
                            <Link className="usa-link" to={`/rfps/${rfp.id}/evaluate/${s.submissionId}`}>
                              {scoringOpen && s.state !== 'submitted' ? 'Score' : 'Review'}
                              <span className="usa-sr-only"> {s.vendorName}</span>
                            </Link>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {pricesHidden ? <p className="usa-hint">{pricesHidden}</p> : null}
              {rfp.status !== 'consensus' && rfp.status !== 'closed' ? (
                <p className="usa-hint">The results open to you once the RFP reaches consensus and all your scoresheets are submitted.</p>
              ) : null}
              {(rfp.status === 'consensus' || rfp.status === 'closed') && submittedAny ? (
                <p>
                  <Link className="usa-link" to={`/rfps/${rfp.id}/consensus`}>
                    See the panel’s scores (read-only)
                  </Link>
                </p>
              ) : null}
              {canDeclare ? <LaterConflictForm vendors={vendors.filter((v) => !recusals.some((r) => r.vendor === v.name))} errors={errors} /> : null}
            </>
          )}
        </>
      )}
    </>
  );
}

/** A conflict found after attesting (the statement asks the evaluator to stop and tell the lead at once). */
function LaterConflictForm({ vendors, errors }: { vendors: Array<{ vendorId: string; name: string }>; errors?: FormErrors | null }) {
  const vendorErrors = errors?.fieldErrors.conflictVendorId;
  const confirmErrors = errors?.fieldErrors.confirmRecusal;
  return (
    <section aria-labelledby="later-coi-heading" className="margin-top-4">
      <h2 id="later-coi-heading">Declare a conflict found since you attested</h2>
      <p>
        If you learn of a conflict of interest with a vendor, declare it here: you are recused from that vendor at once, your scores for it stop
        counting, and the lead officer sees your declaration. It is kept in the audit record.
      </p>
      {vendors.length === 0 ? (
        <p>You are recused from every vendor already.</p>
      ) : (
        <Form method="post" className="usa-form usa-form--large">
          <input type="hidden" name="intent" value="declare" />
          <fieldset
            id="conflictVendorId"
            tabIndex={-1}
            className={`usa-fieldset${vendorErrors ? ' usa-form-group usa-form-group--error' : ''}`}
            aria-describedby={vendorErrors ? 'conflictVendorId-error' : undefined}
          >
            <legend className="usa-legend">Vendors I now have a conflict with</legend>
            {vendorErrors ? (
              <span className="usa-error-message" id="conflictVendorId-error" role="alert">
                {vendorErrors.join(' ')}
              </span>
            ) : null}
            {vendors.map((v) => (
              <div className="usa-checkbox" key={v.vendorId}>
                <input className="usa-checkbox__input" type="checkbox" id={`later-vendor-${v.vendorId}`} name="conflictVendorId" value={v.vendorId} />
                <label className="usa-checkbox__label" htmlFor={`later-vendor-${v.vendorId}`}>
                  {v.name}
                </label>
              </div>
            ))}
          </fieldset>
          <TextArea
            name="details"
            id="later-details"
            label="What the conflict is"
            hint="The relationship, since when, and how you learned of it. Shown to the lead officer and kept in the record."
            required
            errors={errors?.fieldErrors.details}
            maxLength={4000}
          />
          <div className={`usa-checkbox margin-top-2${confirmErrors ? ' usa-form-group--error' : ''}`}>
            <input
              className="usa-checkbox__input"
              type="checkbox"
              id="confirmRecusal"
              name="confirmRecusal"
              value="yes"
              required
              aria-describedby={confirmErrors ? 'confirmRecusal-error' : undefined}
            />
            <label className="usa-checkbox__label" htmlFor="confirmRecusal">
              I take no further part in evaluating these vendors. This cannot be undone from my side.
            </label>
            {confirmErrors ? (
              <span className="usa-error-message" id="confirmRecusal-error" role="alert">
                {confirmErrors.join(' ')}
              </span>
            ) : null}
          </div>
          <button type="submit" className="usa-button usa-button--secondary margin-top-2">
            Declare the conflict
          </button>
        </Form>
      )}
    </section>
  );
}

function AttestationForm({ statement, vendors, errors }: { statement: string; vendors: Array<{ vendorId: string; name: string }>; errors?: FormErrors | null }) {
  const vendorErrors = errors?.fieldErrors.vendorId;
  const coiErrors = errors?.fieldErrors.coi;
  const confirmErrors = errors?.fieldErrors.confirm;
  return (
    <section aria-labelledby="coi-heading" className="margin-top-3">
      <h2 id="coi-heading">Conflict-of-interest attestation</h2>
      <p>Before any vendor’s response is shown to you, read the statement and declare whether you have a conflict of interest. Your declaration, the exact statement and the time are kept in the audit record.</p>
      <div className="wb-coi-statement" id="coi-statement">
        {statement}
      </div>
      <Form method="post" className="usa-form usa-form--large">
        <input type="hidden" name="intent" value="attest" />
        <fieldset className={`usa-fieldset${coiErrors ? ' usa-form-group usa-form-group--error' : ''}`}>
          <legend className="usa-legend">Your declaration</legend>
          {coiErrors ? (
            <span className="usa-error-message" role="alert">
              {coiErrors.join(' ')}
            </span>
          ) : null}
          <div className="usa-radio">
            <input className="usa-radio__input" type="radio" id="coi-none" name="coi" value="none" required />
            <label className="usa-radio__label" htmlFor="coi-none">
              I have no conflict of interest with any vendor that responded to this RFP.
            </label>
          </div>
          <div className="usa-radio">
            <input className="usa-radio__input" type="radio" id="coi-declared" name="coi" value="declared" />
            <label className="usa-radio__label" htmlFor="coi-declared">
              I have a conflict of interest with one or more vendors, named below; I take no part in evaluating them.
            </label>
          </div>
        </fieldset>
        <fieldset className={`usa-fieldset margin-top-2${vendorErrors ? ' usa-form-group usa-form-group--error' : ''}`} aria-describedby="vendor-hint">
          <legend className="usa-legend">Vendors I have a conflict with</legend>
          <span className="usa-hint" id="vendor-hint">
            Only if you declare a conflict.
          </span>
          {vendorErrors ? (
            <span className="usa-error-message" role="alert">
              {vendorErrors.join(' ')}
            </span>
          ) : null}
          {vendors.map((v) => (
            <div className="usa-checkbox" key={v.vendorId}>
              <input className="usa-checkbox__input" type="checkbox" id={`vendor-${v.vendorId}`} name="vendorId" value={v.vendorId} />
              <label className="usa-checkbox__label" htmlFor={`vendor-${v.vendorId}`}>
                {v.name}
              </label>
            </div>
          ))}
        </fieldset>
        <TextArea
          name="details"
          label="Details of the conflict"
          hint="Only if you declare one: the relationship, and since when. Shown to the lead officer and kept in the record."
          errors={errors?.fieldErrors.details}
          maxLength={4000}
        />
        <div className={`usa-checkbox margin-top-2${confirmErrors ? ' usa-form-group--error' : ''}`}>
          <input className="usa-checkbox__input" type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby={confirmErrors ? 'confirm-error' : undefined} />
          <label className="usa-checkbox__label" htmlFor="confirm">
            I have read the statement above, and my declaration is true and complete.
          </label>
          {confirmErrors ? (
            <span className="usa-error-message" id="confirm-error" role="alert">
              {confirmErrors.join(' ')}
            </span>
          ) : null}
        </div>
        <button type="submit" className="usa-button margin-top-2">
          Sign the attestation
        </button>
      </Form>
    </section>
  );
}
