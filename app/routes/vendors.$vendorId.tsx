import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { loadVendorHistory, VENDOR_HISTORY_PAGE_PARAM } from '#app/audit/vendor-history.server';
import { AuditSentenceTable } from '#app/components/audit-sentence-table';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { ConfirmPanel } from '#app/components/confirm-panel';
import { FormErrorSummary, SelectField, SuccessMessage, TextField } from '#app/components/form-fields';
import { Pager } from '#app/components/pager';
import { SUBMISSION_STATUS_LABELS } from '#app/responses/labels';
import { mergeSchema, vendorDetailsSchema } from '#app/responses/vendor-registry';
import { DuplicateVendorError, getDb, getVendor, listVendorResponses, mergeVendors, searchVendors, updateVendor, VendorMergeError } from '#app/utils/db.server';
import { fieldError, formError, parseForm } from '#app/utils/form';
import { hasGlobalPermission } from '#app/utils/permissions';
import { notFound, requireGlobalPermission } from '#app/utils/permissions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.vendor.name ?? 'Vendor'} · Vendor registry · AI Vendor Evaluation Workbench` }];

/**
 * One registry entry: its details (editable by officers and admins), the RFPs it answers, merging a duplicate into it,
 * and its history in the registry's own audit events (app/audit/vendor-history.server.ts).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireGlobalPermission(request, 'rfp:create');
  const db = getDb();
  const vendor = await getVendor(db, params.vendorId ?? '');
  if (!vendor) notFound('That vendor is not in the registry.');
  const url = new URL(request.url);
  // RFPs the viewer is not on are counted, not named: the registry is shared, the procurements are not.
  const viewer = hasGlobalPermission(user.role, 'rfp:read-any') ? null : user;
  const [responses, others, history] = await Promise.all([listVendorResponses(db, vendor.id, viewer), searchVendors(db, ''), loadVendorHistory(db, vendor.id, url.searchParams)]);
  const candidates = others.filter((v) => v.id !== vendor.id);
  const mergingId = url.searchParams.get('merge');
  const merging = mergingId ? (candidates.find((v) => v.id === mergingId) ?? null) : null;
  return json(
    {
      vendor,
      responses,
      candidates: candidates.map((v) => ({ value: v.id, label: `${v.name} (${v.key})` })),
      merging: merging ? { ...merging, responses: await listVendorResponses(db, merging.id, viewer) } : null,
      saved: url.searchParams.get('saved') === '1',
      merged: url.searchParams.get('merged'),
      history,
    },
    // A history page that cannot be understood: page 1 is shown, with what to change.
    { status: Object.keys(history.errors).length > 0 ? 400 : 200 },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireGlobalPermission(request, 'rfp:create');
  const db = getDb();
  const vendor = await getVendor(db, params.vendorId ?? '');
  if (!vendor) notFound('That vendor is not in the registry.');
  const actor = { id: user.id, email: user.email };
  const form = await request.formData();
  const back = `/vendors/${vendor.id}`;

  if (form.get('intent') === 'update') {
    const parsed = parseForm(form, vendorDetailsSchema);
    if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
    try {
      await db.transaction().execute((trx) => updateVendor(trx, actor, vendor.id, parsed.data));
    } catch (error) {
      if (error instanceof DuplicateVendorError) return json({ errors: fieldError('key', error.message) }, { status: 400 });
      throw error;
    }
    return redirect(`${back}?saved=1`);
  }

  if (form.get('intent') === 'merge') {
    const parsed = parseForm(form, mergeSchema);
    if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
    const duplicate = await getVendor(db, parsed.data.duplicateId);
    try {
      const outcome = await db.transaction().execute((trx) => mergeVendors(trx, actor, vendor.id, parsed.data.duplicateId));
      return redirect(`${back}?merged=${encodeURIComponent(`${duplicate?.name ?? 'The duplicate'} (${outcome.moved.length} response${outcome.moved.length === 1 ? '' : 's'} moved)`)}`);
    } catch (error) {
      if (error instanceof VendorMergeError) return json({ errors: formError(error.message) }, { status: 400 });
      throw error;
    }
  }
  return json({ errors: formError('Unknown action.') }, { status: 400 });
}

export default function VendorEntry() {
  const { vendor, responses, candidates, merging, saved, merged, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <Breadcrumbs trail={[{ to: '/vendors', label: 'Vendor registry' }]} current={vendor.name} />
      <h1>{vendor.name}</h1>
      <FormErrorSummary errors={errors} />
      <SuccessMessage message={saved ? 'Vendor details saved.' : merged ? `Merged ${merged} into ${vendor.name}${vendor.name.endsWith('.') ? '' : '.'} This entry’s history below and each RFP’s audit log record it.` : null} />
      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <Form method="post" className="usa-form" noValidate>
            <input type="hidden" name="intent" value="update" />
            <TextField name="name" label="Vendor name" required defaultValue={vendor.name} errors={errors?.fieldErrors.name} />
            <TextField name="key" label="Short name" hint="Used in exports, e.g. civic-answers." required defaultValue={vendor.key} errors={errors?.fieldErrors.key} />
            <TextField name="website" label="Website (optional)" defaultValue={vendor.website ?? ''} errors={errors?.fieldErrors.website} />
            <TextField name="contactName" label="Contact name (optional)" defaultValue={vendor.contact_name ?? ''} errors={errors?.fieldErrors.contactName} />
            <TextField name="contactEmail" label="Contact email (optional)" type="email" defaultValue={vendor.contact_email ?? ''} errors={errors?.fieldErrors.contactEmail} />
            <button type="submit" className="usa-button">
              Save details
            </button>
          </Form>
        </section>
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="responses-heading">
          <h2 id="responses-heading">Responses</h2>
          {responses.visible.length === 0 && responses.hidden === 0 ? (
            <p>Not in any RFP yet.</p>
          ) : (
            <ul className="usa-list">
              {responses.visible.map((r) => (
                <li key={r.submissionId}>
                  <Link to={`/rfps/${r.rfpId}`} className="usa-link">
                    {r.reference}
                  </Link>{' '}
                  — {r.title}: {SUBMISSION_STATUS_LABELS[r.status]}
                </li>
              ))}
              {responses.hidden > 0 ? <li>{plural(responses.hidden, 'other RFP')} you are not a member of</li> : null}
            </ul>
          )}
          <h2 id="merge-heading">Merge a duplicate into this vendor</h2>
          <p className="usa-hint">
            When the same company was registered twice, merge the extra entry into this one: its responses (and any recusals from it) move here, details this entry
            lacks are taken from it, and it leaves the registry. Not possible while both have a response in the same RFP.
          </p>
          {merging ? (
            <ConfirmPanel title={`Merge ${merging.name} into ${vendor.name}?`} fields={{ intent: 'merge', duplicateId: merging.id }} cancelTo={`/vendors/${vendor.id}`} confirmLabel="Merge the vendors">
              <p>
                {moveSentence(merging.name, vendor.name, merging.responses)} {merging.name} ({merging.key}) is then removed from the registry.{' '}
                Workbooks issued to {merging.name} will be flagged as issued to another vendor when imported.
              </p>
            </ConfirmPanel>
          ) : candidates.length === 0 ? (
            <p>No other vendor is in the registry.</p>
          ) : (
            <Form method="get" className="usa-form" aria-labelledby="merge-heading">
              <SelectField name="merge" label="Duplicate entry" placeholder="- Select a vendor -" options={candidates} errors={errors?.fieldErrors.duplicateId} />
              <button type="submit" className="usa-button usa-button--outline">
                Review the merge
              </button>
            </Form>
          )}
        </section>
      </div>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <p className="usa-hint">What was done to this entry in the registry, newest first. What happened to its responses is in each RFP’s audit log.</p>
        {Object.values(history.errors)
          .flat()
          .map((message) => (
            <div key={message} className="usa-alert usa-alert--error usa-alert--slim" role="alert">
              <div className="usa-alert__body">
                <p className="usa-alert__text">{`${message} Showing page 1.`}</p>
              </div>
            </div>
          ))}
        {history.entries.length === 0 ? (
          <p>Nothing is recorded for this entry.</p>
        ) : (
          <AuditSentenceTable entries={history.entries} caption="History of this registry entry, newest first" />
        )}
        <Pager info={history.page} param={VENDOR_HISTORY_PAGE_PARAM} label="Pages of this entry’s history" anchor="history-heading" />
      </section>
    </>
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** What the merge moves, naming only the RFPs the viewer may see. */
function moveSentence(from: string, to: string, responses: { visible: Array<{ reference: string }>; hidden: number }): string {
  const total = responses.visible.length + responses.hidden;
  if (total === 0) return `${from} has no responses.`;
  const named = [...responses.visible.map((r) => r.reference), ...(responses.hidden > 0 ? [plural(responses.hidden, 'other RFP')] : [])].join(', ');
  return `${total === 1 ? 'Its response moves' : `Its ${total} responses move`} to ${to}: ${named}.`;
}
