import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { authSettings, localPasswordAllowed } from '#app/auth/oidc-settings.server';
import { afterPasswordAccepted } from '#app/auth/sign-in.server';
import { UnusableLinkPage } from '#app/components/unusable-link';
import { FormErrorSummary, TextField, NewPasswordFields } from '#app/components/form-fields';
import { SingleSignOnButton } from '#app/components/single-sign-on';
import { getDb, hashPassword } from '#app/utils/db.server';
import { acceptInvitation, findInvitation, type InvitationState, InvitationUnusableError } from '#db/queries/invitations';
import { formError, parseForm, requiredText } from '#app/utils/form';
import { GLOBAL_ROLE_LABELS } from '#app/utils/permissions';
import { checkPasswordTypedTwice, newPasswordFields } from '#app/utils/user-forms';

export const meta: MetaFunction = () => [{ title: 'Create your account · AI Vendor Evaluation Workbench' }];

// The page's address holds the link's secret: never kept by a cache (the page, its data, its refusals).
const NO_STORE = { 'Cache-Control': 'no-store' };

export const headers: HeadersFunction = () => NO_STORE;

const acceptSchema = z
  .object({
    name: requiredText('Your name', 200),
    ...newPasswordFields,
  })
  .superRefine((v, ctx) => {
    checkPasswordTypedTwice(v, ctx);
  });

/** A link that leads nowhere, or nowhere any more, says only that: never whose invitation it was. */
function unusable(state: InvitationState | 'unknown'): Response {
  const message = new InvitationUnusableError(state).message;
  return json({ usable: false as const, message }, { status: state === 'unknown' ? 404 : 410, headers: NO_STORE });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await findInvitation(getDb(), params.token ?? '');
  if (!found) throw unusable('unknown');
  if (found.state !== 'pending') throw unusable(found.state);
  const { oidc } = authSettings();
  return json(
    {
      usable: true as const,
      name: found.name,
      email: found.email,
      role: GLOBAL_ROLE_LABELS[found.role],
      vendorName: found.vendorId ? ((await getDb().selectFrom('vendor').select('name').where('id', '=', found.vendorId).executeTakeFirst())?.name ?? null) : null,
      // A vendor contact's account is not the city's: no single sign-on, always a password (and a mailed code).
      ssoName: found.role === 'vendor' ? null : (oidc?.displayName ?? null),
      passwordAllowed: found.role === 'vendor' || localPasswordAllowed(found.email),
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const db = getDb();
  const found = await findInvitation(db, token);
  if (!found) throw unusable('unknown');
  if (found.state !== 'pending') throw unusable(found.state);
  if (found.role !== 'vendor' && !localPasswordAllowed(found.email)) {
    return json({ errors: formError('This workbench signs people in with single sign-on only: use the button above.') }, { status: 400 });
  }
  const parsed = parseForm(await request.formData(), acceptSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    // The claim is one conditional update inside this transaction: the same link used twice at once makes one account.
    const user = await db.transaction().execute((trx) => acceptInvitation(trx, token, { name: parsed.data.name, passwordHash }));
    return afterPasswordAccepted(request, user.id, context.clientIp, found.role === 'vendor' ? (found.rfpId ? `/vendor/rfps/${found.rfpId}` : '/vendor') : '/rfps');
  } catch (error) {
    if (error instanceof InvitationUnusableError) throw unusable(error.state);
    throw error;
  }
}

export default function AcceptInvitation() {
  const invitation = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Create your account</h1>
        <p className="usa-intro">
          {invitation.vendorName
            ? `You are invited as a vendor contact of ${invitation.vendorName}, with the email address `
            : `You are invited as ${invitation.role.toLowerCase()}, with the email address `}
          <strong>{invitation.email}</strong>.
        </p>
        {invitation.ssoName ? (
          <>
            <p>Sign in with your city account: your account is made at your first sign-in, with the role your identity provider gives you.</p>
            <SingleSignOnButton name={invitation.ssoName} redirectTo="/rfps" />
          </>
        ) : null}
        {invitation.passwordAllowed ? (
          <Form method="post" className="usa-form usa-form--large" noValidate>
            {invitation.ssoName ? <h2>Or choose a password</h2> : null}
            <FormErrorSummary errors={errors} />
            <TextField name="name" label="Your name" defaultValue={invitation.name} autoComplete="name" required errors={errors?.fieldErrors.name} />
            <NewPasswordFields label="Choose a password" againLabel="The same password again" errors={errors?.fieldErrors} />
            <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
              {navigation.state === 'submitting' ? 'Creating your account…' : 'Create my account'}
            </button>
          </Form>
        ) : (
          <FormErrorSummary errors={errors} />
        )}
      </div>
    </div>
  );
}

/** The page an unusable link shows: what happened and what to do, with the status the loader chose. */
export function ErrorBoundary() {
  return (
    <UnusableLinkPage
      title="This invitation cannot be used"
      fallback="This invitation is no longer valid. Ask an administrator to invite you again."
      links={[{ to: '/login', label: 'Go to sign-in' }]}
    />
  );
}
