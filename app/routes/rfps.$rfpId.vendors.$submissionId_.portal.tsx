import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { FormErrorSummary, SuccessMessage, TextField } from '#app/components/form-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { mailOrigin } from '#app/mail/origin.server';
import { mailSettingsFromEnv } from '#app/mail/settings.server';
import { getDb, getSubmission } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { fieldError, formError, parseForm, requiredText } from '#app/utils/form';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { inviteVendorContact } from '#app/vendor-portal/invite-contact.server';
import { hasPortalAccess, listPendingContactInvitations, listVendorContacts } from '#db/queries/vendor-portal';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Vendor portal · ${data?.vendorName ?? ''} · AI Vendor Evaluation Workbench` }];

const inviteSchema = z.object({
  name: requiredText('Name', 200),
  email: z.email('Enter a valid email address.').max(320, 'That email address is too long.'),
});

/**
 * Who speaks for this vendor in the vendor portal, and the lead's invitation of a contact to respond to this RFP
 * online (issue 15, item 1). Nothing of the vendor's response is here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const db = getDb();
  const submission = await getSubmission(db, access.rfp.id, params.submissionId ?? '');
  if (!submission) notFound('Vendor response not found');
  const [contacts, pending, open] = await Promise.all([
    listVendorContacts(db, submission.vendor_id),
    listPendingContactInvitations(db, submission.vendor_id),
    hasPortalAccess(db, access.rfp.id, submission.vendor_id),
  ]);
  return json({
    rfp: { id: access.rfp.id, reference: access.rfp.reference, status: access.rfp.status },
    submissionId: submission.id,
    vendorName: submission.vendor_name,
    portalOpen: open,
    contacts: contacts.map((c) => ({ ...c, lastSignIn: c.lastSignInAt ? formatDateTime(c.lastSignInAt) : 'Never' })),
    pending: pending.map((p) => ({ ...p, expires: formatDateTime(p.expiresAt) })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const parsed = parseForm(await request.formData(), inviteSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const outcome = await inviteVendorContact(
    getDb(),
    { id: access.user.id, email: access.user.email },
    { rfpId: access.rfp.id, submissionId: params.submissionId ?? '', ...parsed.data },
    { origin: mailOrigin(request), validDays: mailSettingsFromEnv().invitationDays, invitedBy: access.user.name },
  );
  if (!outcome.ok) {
    if (outcome.status === 404) notFound(outcome.message);
    return json({ errors: outcome.field ? fieldError(outcome.field, outcome.message) : formError(outcome.message), message: null }, { status: outcome.status });
  }
  const message =
    outcome.kind === 'invited'
      ? `Invitation mailed to ${outcome.email}: they create their account for ${outcome.vendorName} and find this RFP in the vendor portal.`
      : `${outcome.email} already speaks for ${outcome.vendorName}: this RFP is now in their portal, and they were told by mail.`;
  return json({ errors: null, message });
}

export default function VendorPortalContacts() {
  const { rfp, submissionId, vendorName, portalOpen, contacts, pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <Breadcrumbs trail={[{ to: `/rfps/${rfp.id}/vendors`, label: 'Vendors' }, { to: `/rfps/${rfp.id}/vendors/${submissionId}`, label: vendorName }]} current="Vendor portal" />
      <h1>{`Vendor portal: ${vendorName}`}</h1>
      <p className="usa-intro">
        {portalOpen
          ? `${rfp.reference} is open to ${vendorName}’s contacts in the vendor portal. They read the RFP and its questionnaire with vendor guidance only; they never see the evaluation, other vendors or the panel.`
          : `${rfp.reference} is not yet open to ${vendorName} in the vendor portal. Inviting a contact opens it to the vendor’s contacts.`}
      </p>
      <p>
        <Link to={`/rfps/${rfp.id}/questions`} className="usa-link">
          Vendors’ questions and the published Q&amp;A addenda
        </Link>
      </p>
      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">Contacts</h2>
        {contacts.length === 0 ? (
          <p>{`${vendorName} has no contact with an account yet.`}</p>
        ) : (
          <table className="usa-table usa-table--borderless width-full" aria-labelledby="contacts-heading">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.userId}>
                  <th scope="row">{c.disabled ? `${c.name} (disabled)` : c.name}</th>
                  <td>{c.email}</td>
                  <td>{c.lastSignIn}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pending.length > 0 ? (
          <>
            <h3>Invitations not yet accepted</h3>
            <ul className="usa-list">
              {pending.map((p) => (
                <li key={p.id}>{`${p.name} (${p.email}): the link works until ${p.expires}`}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section aria-labelledby="invite-heading" className="margin-top-4">
        <h2 id="invite-heading">Invite a contact to respond</h2>
        {rfp.status === 'open' ? (
          <>
            <p>{`The person gets a mail with a single-use link to create their account for ${vendorName}; a contact who already has one finds the RFP in their portal. Each sign-in asks for a code sent by mail.`}</p>
            <SuccessMessage message={actionData?.message} />
            <ResetAfterSuccessForm method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The invitation">
              <FormErrorSummary errors={errors} />
              <TextField name="name" label="Full name" required errors={errors?.fieldErrors.name} />
              <TextField name="email" label="Email address" type="email" autoComplete="off" required errors={errors?.fieldErrors.email} />
              <button type="submit" className="usa-button">
                Invite to respond
              </button>
            </ResetAfterSuccessForm>
          </>
        ) : (
          <p>{rfp.status === 'draft' ? 'Open the RFP first: vendors are invited once it is published.' : 'Proposals are closed: vendors can no longer be invited.'}</p>
        )}
      </section>
    </>
  );
}
