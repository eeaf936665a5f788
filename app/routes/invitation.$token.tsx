import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { z } from 'zod';
import { authSettings, localPasswordAllowed } from '#app/auth/oidc-settings.server';
import { afterPasswordAccepted } from '#app/auth/sign-in.server';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { SingleSignOnButton } from '#app/components/single-sign-on';
import { getDb, hashPassword } from '#app/utils/db.server';
import { acceptInvitation, findInvitation, type InvitationState, InvitationUnusableError } from '#db/queries/invitations';
import { formError, parseForm, requiredText } from '#app/utils/form';
import { GLOBAL_ROLE_LABELS } from '#app/utils/permissions';
import { MIN_PASSWORD_LENGTH, passwordSchema } from '#app/utils/user-forms';

export const meta: MetaFunction = () => [{ title: 'Create your account · AI Vendor Evaluation Workbench' }];

// The page's address holds the link's secret: never kept by a cache (the page, its data, its refusals).
const NO_STORE = { 'Cache-Control': 'no-store' };

export const headers: HeadersFunction = () => NO_STORE;

const acceptSchema = z
  .object({
    name: requiredText('Your name', 200),
    password: passwordSchema,
    confirm: z.string().max(1000),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two passwords are not the same.' });
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
      ssoName: oidc?.displayName ?? null,
      passwordAllowed: localPasswordAllowed(found.email),
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
  if (!localPasswordAllowed(found.email)) {
    return json({ errors: formError('This workbench signs people in with single sign-on only: use the button above.') }, { status: 400 });
  }
  const parsed = parseForm(await request.formData(), acceptSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    // The claim is one conditional update inside this transaction: the same link used twice at once makes one account.
    const user = await db.transaction().execute((trx) => acceptInvitation(trx, token, { name: parsed.data.name, passwordHash }));
    return afterPasswordAccepted(request, user.id, context.clientIp, '/rfps');
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
          You are invited as {invitation.role.toLowerCase()}, with the email address <strong>{invitation.email}</strong>.
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
            <TextField
              name="password"
              label="Choose a password"
              type="password"
              autoComplete="new-password"
              hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of several words is easiest to remember.`}
              required
              errors={errors?.fieldErrors.password}
            />
            <TextField name="confirm" label="The same password again" type="password" autoComplete="new-password" required errors={errors?.fieldErrors.confirm} />
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
  const data = useRouteErrorData();
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>This invitation cannot be used</h1>
        <div className="usa-alert usa-alert--warning" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{data ?? 'This invitation is no longer valid. Ask an administrator to invite you again.'}</p>
          </div>
        </div>
        <p>
          <Link to="/login" className="usa-button">
            Go to sign-in
          </Link>
        </p>
      </div>
    </div>
  );
}

function useRouteErrorData(): string | null {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.data && typeof error.data === 'object' && 'message' in error.data) return String(error.data.message);
  return null;
}
