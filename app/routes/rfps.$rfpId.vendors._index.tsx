import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { SUBMISSION_STATUS_LABELS } from '#app/responses/labels';
import { vendorDetailsSchema } from '#app/responses/vendor-registry';
import { assertVendorsEditable, vendorsLock, withRfpLock } from '#app/rfp/locks.server';
import {
  addVendorToRfp,
  countAnswersBySubmission,
  DuplicateSubmissionError,
  DuplicateVendorError,
  getDb,
  getQuestionnaire,
  listSubmissions,
  registerVendor,
  searchVendors,
  UnknownVendorError,
} from '#app/utils/db.server';
import { formatDate, formatMoney } from '#app/utils/format';
import { fieldError, formError, parseForm } from '#app/utils/form';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Vendors · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add-existing'), vendorId: z.string().min(1, 'Choose a vendor from the registry.') }),
  vendorDetailsSchema.extend({ intent: z.literal('add-new') }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const db = getDb();
  const [submissions, counts, sections] = await Promise.all([listSubmissions(db, access.rfp.id), countAnswersBySubmission(db, access.rfp.id), getQuestionnaire(db, access.rfp.id)]);
  const total = sections.reduce((n, s) => n + s.criteria.reduce((m, c) => m + c.questions.length, 0), 0);
  const present = new Set(submissions.map((s) => s.vendor_id));
  const registry = (await searchVendors(db, '')).filter((v) => !present.has(v.id));
  return json({
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    submissions: submissions.map((s) => ({ ...s, answered: counts.get(s.id) ?? 0 })),
    totalQuestions: total,
    registry: registry.map((v) => ({ id: v.id, name: v.name })),
    canAdd: access.rfp.status === 'draft' || access.rfp.status === 'open',
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  assertVendorsEditable(access.rfp);
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const input = parsed.data;
  const actor = { id: access.user.id, email: access.user.email };
  try {
    const submission = await withRfpLock(getDb(), access.rfp.id, vendorsLock, async (trx) => {
      const vendorId = input.intent === 'add-existing' ? input.vendorId : (await registerVendor(trx, actor, input)).id;
      return addVendorToRfp(trx, actor, access.rfp.id, vendorId);
    });
    return redirect(`/rfps/${access.rfp.id}/vendors/${submission.id}`);
  } catch (error) {
    if (error instanceof DuplicateVendorError) return json({ errors: fieldError('key', error.message), message: null }, { status: 400 });
    if (error instanceof DuplicateSubmissionError) return json({ errors: formError(error.message), message: null }, { status: 400 });
    if (error instanceof UnknownVendorError) return json({ errors: fieldError('vendorId', error.message), message: null }, { status: 400 });
    throw error;
  }
}

export default function Vendors() {
  const { rfp, tabs, submissions, totalQuestions, registry, canAdd } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <FormErrorSummary errors={errors} />
      <SuccessMessage message={actionData?.message} />
      <div className="display-flex flex-justify flex-align-center flex-wrap">
        <h2>Vendors and their responses</h2>
        <p>
          <Link to={`/rfps/${rfp.id}/vendor-workbook.xlsx`} reloadDocument className="usa-button usa-button--outline">
            Download the blank vendor workbook (.xlsx)
          </Link>
          <Link to={`/rfps/${rfp.id}/answers`} className="usa-button usa-button--outline">
            Compare answers side by side
          </Link>
          <Link to={`/rfps/${rfp.id}/bid-opening`} className="usa-button usa-button--outline">
            Online responses and bid opening
          </Link>
          <Link to={`/rfps/${rfp.id}/questions`} className="usa-button usa-button--outline">
            Vendor questions (Q&amp;A)
          </Link>
        </p>
      </div>
      {submissions.length === 0 ? (
        <p>No vendors yet.</p>
      ) : (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless width-full">
            <caption className="usa-sr-only">Vendors in {rfp.reference}</caption>
            <thead>
              <tr>
                <th scope="col">Vendor</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
                <th scope="col" className="text-right">
                  Price for the term
                </th>
                <th scope="col">Answers</th>
              </tr>
            </thead>
            <tbody>
              {submissions.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`/rfps/${rfp.id}/vendors/${s.id}`} className="usa-link">
                      {s.vendor_name}
                    </Link>
                  </th>
                  <td>
                    {SUBMISSION_STATUS_LABELS[s.status]}
                    {s.status === 'expected' ? <div className="usa-hint">No response recorded yet</div> : null}
                    {s.status_reason ? <div className="usa-hint">{s.status_reason}</div> : null}
                  </td>
                  <td>{formatDate(s.received_at)}</td>
                  <td className="text-right">{formatMoney(s.price)}</td>
                  <td>
                    {s.answered} of {totalQuestions}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canAdd ? (
        <div className="grid-row grid-gap-lg margin-top-3">
          <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="existing-heading">
            <h3 id="existing-heading">Add a vendor from the registry</h3>
            {registry.length === 0 ? (
              <p>Every vendor in the registry is already here.</p>
            ) : (
              <ResetAfterSuccessForm method="post" className="usa-form">
                <input type="hidden" name="intent" value="add-existing" />
                <SelectField name="vendorId" label="Vendor" placeholder="- Select a vendor -" options={registry.map((v) => ({ value: v.id, label: v.name }))} errors={errors?.fieldErrors.vendorId} />
                <button type="submit" className="usa-button">
                  Add vendor
                </button>
              </ResetAfterSuccessForm>
            )}
          </section>
          <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="new-heading">
            <h3 id="new-heading">Register a new vendor</h3>
            <ResetAfterSuccessForm method="post" className="usa-form" noValidate data-unsaved-warning="The new vendor">
              <input type="hidden" name="intent" value="add-new" />
              <TextField name="name" label="Vendor name" required errors={errors?.fieldErrors.name} />
              <TextField name="key" label="Short name" hint="Used in exports, e.g. civic-answers." required errors={errors?.fieldErrors.key} />
              <TextField name="website" label="Website (optional)" errors={errors?.fieldErrors.website} />
              <TextField name="contactName" label="Contact name (optional)" errors={errors?.fieldErrors.contactName} />
              <TextField name="contactEmail" label="Contact email (optional)" type="email" errors={errors?.fieldErrors.contactEmail} />
              <button type="submit" className="usa-button">
                Register and add
              </button>
            </ResetAfterSuccessForm>
          </section>
        </div>
      ) : null}
    </>
  );
}
