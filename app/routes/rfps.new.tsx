import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, TextArea, TextField } from '#app/components/form-fields';
import { createRfp, DuplicateReferenceError, getDb } from '#app/utils/db.server';
import { fieldError, parseForm, requiredText } from '#app/utils/form';
import { requireGlobalPermission } from '#app/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Create an RFP · AI Vendor Evaluation Workbench' }];

const optionalDate = z
  .string()
  .default('')
  .transform((v) => v.trim())
  .refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'Enter a date as YYYY-MM-DD.')
  .transform((v) => (v === '' ? null : `${v}T22:00:00.000Z`));

const newRfpSchema = z.object({
  reference: requiredText('Reference', 40).regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'Use letters, digits, dots, dashes or underscores (for example RFP-2026-014).',
  ),
  title: requiredText('Title', 200),
  department: requiredText('Department', 200),
  summary: requiredText('AI use-case summary', 5000),
  proposalsDueAt: optionalDate,
  evaluationDueAt: optionalDate,
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'rfp:create');
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireGlobalPermission(request, 'rfp:create');
  const parsed = parseForm(await request.formData(), newRfpSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  try {
    const rfp = await getDb()
      .transaction()
      .execute((trx) => createRfp(trx, { id: user.id, email: user.email }, parsed.data));
    return redirect(`/rfps/${rfp.id}`);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) {
      return json({ errors: fieldError('reference', error.message) }, { status: 400 });
    }
    throw error;
  }
}

export default function NewRfp() {
  const errors = useActionData<typeof action>()?.errors;
  return (
    <>
      <h1>Create an RFP</h1>
      <p className="usa-intro">Start with the basics. You will build the questionnaire and criteria next; the RFP stays a draft until you open it.</p>
      <Form method="post" className="usa-form usa-form--large" noValidate>
        <FormErrorSummary errors={errors} />
        <TextField name="reference" label="Reference" hint="Your procurement reference, for example RFP-2026-014." required maxLength={40} errors={errors?.fieldErrors.reference} />
        <TextField name="title" label="Title" required maxLength={200} errors={errors?.fieldErrors.title} />
        <TextField name="department" label="Department" required maxLength={200} errors={errors?.fieldErrors.department} />
        <TextArea
          name="summary"
          label="AI use-case summary"
          hint="What the AI system will do, for whom, and what decisions it informs or makes."
          required
          maxLength={5000}
          errors={errors?.fieldErrors.summary}
        />
        <TextField name="proposalsDueAt" label="Proposals due (optional)" type="date" errors={errors?.fieldErrors.proposalsDueAt} />
        <TextField name="evaluationDueAt" label="Evaluation due (optional)" type="date" errors={errors?.fieldErrors.evaluationDueAt} />
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
