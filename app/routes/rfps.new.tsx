import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { DeadlineField, PastDeadlineConfirm } from '#app/components/deadline-field';
import { FormErrorSummary, TextArea, TextField } from '#app/components/form-fields';
import { DEADLINES, type DeadlineKey, deadlineOrderErrors, detailsShape, mergeErrors, pastDeadlineErrors, pastDeadlines, readDeadlines } from '#app/rfp/rfp-details';
import { createRfp, DuplicateReferenceError, getDb } from '#app/utils/db.server';
import { type FormErrors, fieldError, formDataToObject, parseForm } from '#app/utils/form';
import { requireGlobalPermission } from '#app/utils/permissions.server';
import { describeTimeZone, installationTimeZone } from '#app/utils/time-zone';

export const meta: MetaFunction = () => [{ title: 'Create an RFP · AI Vendor Evaluation Workbench' }];

const newRfpSchema = z.object(detailsShape);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'rfp:create');
  return json({ zoneName: describeTimeZone(installationTimeZone()) });
}

type ActionData = { errors: FormErrors; pastConfirmation: DeadlineKey[] };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireGlobalPermission(request, 'rfp:create');
  const formData = await request.formData();
  const form = formDataToObject(formData);
  const zone = installationTimeZone();
  const refuse = (errors: FormErrors, pastConfirmation: DeadlineKey[] = []) => json<ActionData>({ errors, pastConfirmation }, { status: 400 });

  const parsed = parseForm(formData, newRfpSchema);
  const deadlines = readDeadlines(form, zone);
  // Every deadline given is new: all must be in order (said alongside any other problem), and one already past
  // needs a confirmed reason (asked once the rest is right).
  const next = { qa: deadlines.values.qa ?? null, proposals: deadlines.values.proposals ?? null, evaluation: deadlines.values.evaluation ?? null };
  const all = new Set(DEADLINES.map((d) => d.key));
  const formErrors = mergeErrors(parsed.ok ? null : parsed.errors.fieldErrors, deadlines.errors, deadlineOrderErrors(next, all, zone));
  if (!parsed.ok || formErrors) return refuse(formErrors ?? (parsed.ok ? { fieldErrors: {}, formErrors: [] } : parsed.errors));
  const past = pastDeadlines(next, all, new Date());
  const pastErrors = mergeErrors(pastDeadlineErrors(past, next, form, zone));
  if (pastErrors) return refuse(pastErrors, past);

  try {
    const rfp = await getDb()
      .transaction()
      .execute((trx) =>
        createRfp(trx, { id: user.id, email: user.email }, {
          ...parsed.data,
          qaDueAt: next.qa,
          proposalsDueAt: next.proposals,
          evaluationDueAt: next.evaluation,
          reason: past.length > 0 ? form.pastReason!.trim() : null,
        }),
      );
    return redirect(`/rfps/${rfp.id}`);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) return refuse(fieldError('reference', error.message));
    throw error;
  }
}

export default function NewRfp() {
  const { zoneName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const fieldErrors = errors?.fieldErrors ?? {};
  const confirmPast = (actionData?.pastConfirmation.length ?? 0) > 0 || Boolean(fieldErrors.pastReason);
  return (
    <>
      <h1>Create an RFP</h1>
      <p className="usa-intro">Start with the basics. You will build the questionnaire and criteria next; the RFP stays a draft until you open it.</p>
      <Form method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The new RFP">
        <FormErrorSummary errors={errors} />
        <TextField name="reference" label="Reference" hint="Your procurement reference, for example RFP-2026-014." required maxLength={40} errors={fieldErrors.reference} />
        <TextField name="title" label="Title" required maxLength={200} errors={fieldErrors.title} />
        <TextField name="department" label="Department" required maxLength={200} errors={fieldErrors.department} />
        <TextArea
          name="summary"
          label="AI use-case summary"
          hint="What the AI system will do, for whom, and what decisions it informs or makes."
          required
          maxLength={5000}
          errors={fieldErrors.summary}
        />
        {DEADLINES.map((d) => (
          <DeadlineField key={d.key} deadline={d.key} label={d.label} hint={d.hint} zoneName={zoneName} defaultValue={{ date: '', time: '' }} errors={fieldErrors} />
        ))}
        {confirmPast ? <PastDeadlineConfirm example="recording a procurement that started on paper" errors={fieldErrors.pastReason} /> : null}
        <div className="margin-top-3">
          <button type="submit" className="usa-button">
            Create RFP
          </button>
          <Link to="/rfps" className="usa-button usa-button--unstyled margin-left-2">
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
