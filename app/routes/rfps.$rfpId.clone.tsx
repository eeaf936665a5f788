import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { copyQuestionnaire, createRfp, DuplicateReferenceError, getDb, recordAudit } from '#app/utils/db.server';
import { fieldError, parseForm, requiredText } from '#app/utils/form';
import { hasGlobalPermission } from '#app/utils/permissions';
import { forbidden, requireRfpAccess } from '#app/utils/permissions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Clone ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` }];

const cloneSchema = z.object({
  reference: requiredText('Reference', 40).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, dashes or underscores.'),
  title: requiredText('Title', 200),
});

/** Cloning needs both: to see the source RFP, and to create RFPs. */
async function requireCloneAccess(request: Request, rfpId: string | undefined) {
  const access = await requireRfpAccess(request, rfpId, 'rfp:read');
  if (!hasGlobalPermission(access.user.role, 'rfp:create')) forbidden('Only procurement officers and administrators create RFPs.');
  return access;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCloneAccess(request, params.rfpId);
  return json({ rfp: access.rfp });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireCloneAccess(request, params.rfpId);
  const parsed = parseForm(await request.formData(), cloneSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  const actor = { id: access.user.id, email: access.user.email };
  try {
    const created = await getDb()
      .transaction()
      .execute(async (trx) => {
        const rfp = await createRfp(trx, actor, {
          reference: parsed.data.reference,
          title: parsed.data.title,
          department: access.rfp.department,
          summary: access.rfp.summary,
        });
        // Scoring settings and the risk intake describe the same kind of purchase: carry them over.
        await trx
          .updateTable('rfp')
          .set({
            scale_max: access.rfp.scale_max,
            aggregation: access.rfp.aggregation,
            divergence_threshold: access.rfp.divergence_threshold,
            price_formula: access.rfp.price_formula,
            total_points: access.rfp.total_points,
            allow_half_points: access.rfp.allow_half_points,
            price_blind: access.rfp.price_blind,
            risk_tier: access.rfp.risk_tier,
            risk_intake_json: access.rfp.risk_intake_json,
          })
          .where('id', '=', rfp.id)
          .execute();
        const questions = await copyQuestionnaire(trx, actor, access.rfp.id, rfp.id);
        await recordAudit(trx, actor, { rfpId: rfp.id, entity: 'rfp', entityId: rfp.id, action: 'rfp.clone', after: { from: access.rfp.reference, questions } });
        return rfp;
      });
    return redirect(`/rfps/${created.id}/questionnaire`);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) return json({ errors: fieldError('reference', error.message) }, { status: 400 });
    throw error;
  }
}

export default function CloneRfp() {
  const { rfp } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors;
  return (
    <>
      <h1>Clone {rfp.reference}</h1>
      <p className="usa-intro">
        A new draft RFP with the same questionnaire, criteria, weights, rubrics, scoring settings and risk intake. Vendors, responses and scores are not copied. You
        will be its lead officer.
      </p>
      <Form method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The copy of this RFP">
        <FormErrorSummary errors={errors} />
        <TextField name="reference" label="Reference of the new RFP" required errors={errors?.fieldErrors.reference} />
        <TextField name="title" label="Title" defaultValue={rfp.title} required errors={errors?.fieldErrors.title} />
        <button type="submit" className="usa-button">
          Clone RFP
        </button>
        <Link to={`/rfps/${rfp.id}`} className="usa-button usa-button--unstyled margin-left-2">
          Cancel
        </Link>
      </Form>
    </>
  );
}
