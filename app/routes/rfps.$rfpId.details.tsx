/**
 * The lead's page for an RFP's details, deadlines and scoring settings. What the status locks is shown as text with
 * the reason and is not posted; the lock read under the RFP's row lock, in the write's transaction, decides (409,
 * nothing saved). Deadlines are typed in the installation's time zone; they must be in order, and one already past
 * is saved only when confirmed with a reason. One audited `rfp.update` event per save, with each change before/after.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { DeadlineField, PastDeadlineConfirm } from '#app/components/deadline-field';
import { FormErrorSummary, SelectField, SuccessMessage, TextArea, TextField } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { detailsColumnLock, detailsLocks, withRfpLock } from '#app/rfp/locks.server';
import {
  changedColumns,
  COLUMN_LABELS,
  DEADLINES,
  type DeadlineKey,
  deadlinesOf,
  mergeErrors,
  pastDeadlineErrors,
  pastDeadlines,
  readDeadlines,
  readDetailsAndSettings,
  type RfpDetailsChange,
  deadlineOrderErrors,
} from '#app/rfp/rfp-details';
import { DuplicateReferenceError, getDb, scoresGiven, updateRfpDetails } from '#app/utils/db.server';
import { type FormErrors, fieldError, formDataToObject, formError } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { deadlineInputs, describeTimeZone, installationTimeZone } from '#app/utils/time-zone';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Details and settings · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  const { rfp } = access;
  const zone = installationTimeZone();
  return json({
    rfp,
    tabs: rfpTabs(rfp.id, access.permissions),
    locks: detailsLocks(rfp),
    zoneName: describeTimeZone(zone),
    deadlines: DEADLINES.map((d) => ({ key: d.key, label: d.label, hint: d.hint, inputs: deadlineInputs(rfp[d.column], zone), shown: rfp[d.column] ? formatDateTime(rfp[d.column]) : 'Not set' })),
  });
}

type ActionData = { errors: FormErrors | null; message: string | null; pastConfirmation: DeadlineKey[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  const form = formDataToObject(await request.formData());
  const zone = installationTimeZone();
  const reply = (data: Partial<ActionData>, status = 200) => json<ActionData>({ errors: null, message: null, pastConfirmation: [], ...data }, { status });

  const details = readDetailsAndSettings(form);
  const deadlines = readDeadlines(form, zone);
  const parseErrors = mergeErrors(details.errors, deadlines.errors);
  if (parseErrors) return reply({ errors: parseErrors }, 400);
  const posted: RfpDetailsChange = { ...details.change };
  for (const d of DEADLINES) if (deadlines.values[d.key] !== undefined) posted[d.column] = deadlines.values[d.key]!;

  const actor = { id: access.user.id, email: access.user.email };
  try {
    const outcome = await withRfpLock(getDb(), access.rfp.id, () => null, async (trx, rfp): Promise<{ status: number; data: Partial<ActionData> }> => {
      const diff = changedColumns(rfp, posted);
      const columns = Object.keys(diff) as Array<keyof RfpDetailsChange>;
      if (columns.length === 0) return { status: 200, data: { message: 'Nothing changed.' } };
      // The status read under the lock decides what may change: a page shown before the RFP moved on is refused whole.
      const locks = detailsLocks(rfp);
      for (const column of columns) {
        const lock = detailsColumnLock(locks, column);
        if (lock) return { status: 409, data: { errors: formError(lock) } };
      }
      if (diff.scale_max !== undefined || diff.allow_half_points === 0) {
        const given = await scoresGiven(trx, rfp.id);
        if (diff.scale_max !== undefined && given.any) {
          return { status: 409, data: { errors: fieldError('scaleMax', `Scores have been given on the 0–${rfp.scale_max} scale; the scale cannot change while they exist.`) } };
        }
        if (diff.allow_half_points === 0 && given.halves) {
          return { status: 409, data: { errors: fieldError('allowHalfPoints', 'Half-point scores have been given; half points cannot be turned off while they exist.') } };
        }
      }
      const next = { ...deadlinesOf(rfp), ...deadlines.values };
      const changed = new Set(DEADLINES.filter((d) => d.column in diff).map((d) => d.key));
      const past = pastDeadlines(next, changed, new Date());
      const errors = mergeErrors(deadlineOrderErrors(next, changed, zone), pastDeadlineErrors(past, next, form, zone));
      if (errors) return { status: 400, data: { errors, pastConfirmation: past } };
      await updateRfpDetails(trx, actor, rfp, diff, past.length > 0 ? form.pastReason!.trim() : null);
      return { status: 200, data: { message: `Saved: ${columns.map((c) => COLUMN_LABELS[c]).join(', ')}.` } };
    });
    return reply(outcome.data, outcome.status);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) return reply({ errors: fieldError('reference', error.message) }, 400);
    throw error;
  }
}

const AGGREGATIONS = [
  { value: 'mean', label: 'Mean of the evaluators’ scores' },
  { value: 'median', label: 'Median of the evaluators’ scores' },
];
const PRICE_FORMULAS = [
  { value: 'ratio', label: 'Ratio: lowest price ÷ the vendor’s price × the points' },
  { value: 'linear', label: 'Linear: the points fall to 0 at twice the lowest price' },
];

export default function RfpDetails() {
  const { rfp, tabs, locks, zoneName, deadlines } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? null;
  const fieldErrors = errors?.fieldErrors ?? {};
  const allLocked = locks.details !== null && locks.settings !== null && Object.values(locks.deadlines).every(Boolean);
  const confirmPast = (actionData?.pastConfirmation.length ?? 0) > 0 || Boolean(fieldErrors.pastReason);
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Details and settings</h2>
      <FormErrorSummary errors={errors} />
      <SuccessMessage message={actionData?.message} />
      {allLocked ? <LockNote message={locks.details ?? locks.settings} /> : null}
      {/* Re-mounted after each save, so every field shows what is now stored. */}
      <Form method="post" id="rfp-details" className="usa-form usa-form--large" noValidate key={rfp.updated_at} data-unsaved-warning="The RFP's details and settings">
        <section aria-labelledby="details-heading">
          <h3 id="details-heading">Details</h3>
          {locks.settings ? (
            <ReadOnly label="Reference" value={rfp.reference} />
          ) : (
            <TextField name="reference" label="Reference" hint="Your procurement reference, for example RFP-2026-014. It can change only while the RFP is a draft." required maxLength={40} defaultValue={rfp.reference} errors={fieldErrors.reference} />
          )}
          {locks.details ? (
            <>
              <ReadOnly label="Title" value={rfp.title} />
              <ReadOnly label="Department" value={rfp.department} />
              <ReadOnly label="AI use-case summary" value={rfp.summary} />
            </>
          ) : (
            <>
              <TextField name="title" label="Title" required maxLength={200} defaultValue={rfp.title} errors={fieldErrors.title} />
              <TextField name="department" label="Department" required maxLength={200} defaultValue={rfp.department} errors={fieldErrors.department} />
              <TextArea
                name="summary"
                label="AI use-case summary"
                hint="What the AI system will do, for whom, and what decisions it informs or makes."
                required
                maxLength={5000}
                defaultValue={rfp.summary}
                errors={fieldErrors.summary}
              />
            </>
          )}
        </section>

        <section aria-labelledby="deadlines-heading" className="margin-top-4">
          <h3 id="deadlines-heading">Deadlines</h3>
          <p className="usa-hint">In order: questions, then proposals, then the evaluation.</p>
          {deadlines.map((d) => {
            const lock = locks.deadlines[d.key];
            if (lock) {
              return (
                <div key={d.key} className="margin-top-3">
                  <ReadOnly label={d.label} value={d.shown} />
                  {lock !== locks.details ? <p className="usa-hint margin-top-05">{lock}</p> : null}
                </div>
              );
            }
            return <DeadlineField key={d.key} deadline={d.key} label={d.label} hint={d.hint} zoneName={zoneName} defaultValue={d.inputs} errors={fieldErrors} />;
          })}
          {confirmPast ? <PastDeadlineConfirm example="recording a deadline that was published on paper" errors={fieldErrors.pastReason} /> : null}
        </section>

        <section aria-labelledby="settings-heading" className="margin-top-4">
          <h3 id="settings-heading">Scoring settings</h3>
          {locks.settings ? (
            <>
              {!allLocked ? <LockNote message={locks.settings} /> : null}
              <dl className="wb-meta">
                <dt>Scale</dt>
                <dd>0 to {rfp.scale_max}{rfp.allow_half_points ? ', half points allowed' : ', whole points only'}</dd>
                <dt>Evaluators’ scores combined by</dt>
                <dd>{rfp.aggregation === 'mean' ? 'Mean' : 'Median'}</dd>
                <dt>Divergence threshold</dt>
                <dd>{Math.round(Number(rfp.divergence_threshold) * 1000) / 10}% of the scale</dd>
                <dt>Price formula</dt>
                <dd>{PRICE_FORMULAS.find((f) => f.value === rfp.price_formula)?.label}</dd>
                <dt>Total points</dt>
                <dd>{Number(rfp.total_points)}</dd>
              </dl>
            </>
          ) : (
            <>
              <TextField name="scaleMax" label="Scale maximum" hint="Evaluators score each criterion from 0 to this level (2 to 10; normally 5)." required defaultValue={String(rfp.scale_max)} errors={fieldErrors.scaleMax} />
              <div className={`usa-form-group${fieldErrors.allowHalfPoints ? ' usa-form-group--error' : ''}`}>
                {fieldErrors.allowHalfPoints ? (
                  <span className="usa-error-message" id="allowHalfPoints-error" role="alert">
                    {fieldErrors.allowHalfPoints.join(' ')}
                  </span>
                ) : null}
                <input type="hidden" name="allowHalfPointsShown" value="yes" />
                <div className="usa-checkbox">
                  <input className="usa-checkbox__input" type="checkbox" id="allowHalfPoints" name="allowHalfPoints" value="yes" defaultChecked={Boolean(rfp.allow_half_points)} />
                  <label className="usa-checkbox__label" htmlFor="allowHalfPoints">
                    Allow half points (2.5 between levels 2 and 3)
                  </label>
                </div>
              </div>
              <SelectField name="aggregation" label="Evaluators’ scores combined by" required options={AGGREGATIONS} defaultValue={rfp.aggregation} errors={fieldErrors.aggregation} />
              <TextField
                name="divergenceThresholdPercent"
                label="Divergence threshold (% of the scale)"
                hint="A criterion goes to the consensus discussion when evaluators’ scores are at least this far apart (normally 30)."
                required
                defaultValue={String(Math.round(Number(rfp.divergence_threshold) * 1000) / 10)}
                errors={fieldErrors.divergenceThresholdPercent}
              />
              <SelectField name="priceFormula" label="Price formula" required options={PRICE_FORMULAS} defaultValue={rfp.price_formula} errors={fieldErrors.priceFormula} />
              <TextField name="totalPoints" label="Total points" hint="The criteria’s points must add up to this before the RFP can open (normally 100)." required defaultValue={String(Number(rfp.total_points))} errors={fieldErrors.totalPoints} />
            </>
          )}
        </section>

        {!allLocked ? (
          <div className="margin-top-4">
            <button type="submit" className="usa-button">
              Save changes
            </button>
            <Link to={`/rfps/${rfp.id}`} className="usa-button usa-button--unstyled margin-left-2">
              Back to the overview
            </Link>
          </div>
        ) : (
          <p className="margin-top-4">
            <Link to={`/rfps/${rfp.id}`} className="usa-link">
              Back to the overview
            </Link>
          </p>
        )}
      </Form>
    </>
  );
}

function ReadOnly({ label, value }: { label: string; value: string }) {
  return (
    <dl className="wb-meta">
      <dt>{label}</dt>
      <dd className="wb-pre">{value}</dd>
    </dl>
  );
}

function LockNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="usa-alert usa-alert--info usa-alert--slim margin-top-2">
      <div className="usa-alert__body">
        <p className="usa-alert__text">{message}</p>
      </div>
    </div>
  );
}
