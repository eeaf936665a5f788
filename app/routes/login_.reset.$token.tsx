import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { z } from 'zod';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { passwordChangedMail } from '#app/mail/account-mails';
import { getDb, hashPassword } from '#app/utils/db.server';
import { parseForm } from '#app/utils/form';
import { MIN_PASSWORD_LENGTH, passwordSchema } from '#app/utils/user-forms';
import { enqueueMail } from '#db/queries/mail-outbox';
import { findPasswordReset, type PasswordResetState, PasswordResetUnusableError, usePasswordReset } from '#db/queries/password-resets';

export const meta: MetaFunction = () => [{ title: 'Choose a new password · AI Vendor Evaluation Workbench' }];

// The page's address holds the link's secret: never kept by a cache (the page, its data, its refusals).
const NO_STORE = { 'Cache-Control': 'no-store' };

export const headers: HeadersFunction = () => NO_STORE;

const resetSchema = z
  .object({ password: passwordSchema, confirm: z.string().max(1000) })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two passwords are not the same.' });
  });

/** A link that leads nowhere, or nowhere any more, says only that: never whose account it was for. */
function unusable(state: PasswordResetState | 'unknown'): Response {
  return json({ message: new PasswordResetUnusableError(state).message }, { status: state === 'unknown' ? 404 : 410, headers: NO_STORE });
}

async function usableReset(token: string) {
  const found = await findPasswordReset(getDb(), token);
  if (!found) throw unusable('unknown');
  if (found.state !== 'pending') throw unusable(found.state);
  return found;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await usableReset(params.token ?? '');
  return json({ email: found.email }, { headers: NO_STORE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  await usableReset(token);
  const parsed = parseForm(await request.formData(), resetSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400, headers: NO_STORE });
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    await getDb()
      .transaction()
      .execute(async (trx) => {
        // The claim is one conditional update inside this transaction: the same link used twice at once sets one password.
        const user = await usePasswordReset(trx, token, passwordHash);
        const mail = passwordChangedMail({ name: user.name, at: user.updated_at });
        await enqueueMail(trx, { kind: 'account.password_changed', to: { address: user.email, userId: user.id }, ...mail });
      });
  } catch (error) {
    if (error instanceof PasswordResetUnusableError) throw unusable(error.state);
    throw error;
  }
  // Not signed in by the link: the person signs in with the new password, and with their second factor if they have one.
  return redirect('/login?password=reset', { headers: NO_STORE });
}

export default function ResetPassword() {
  const { email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Choose a new password</h1>
        <p className="usa-intro">
          For the account <strong>{email}</strong>. Every session of the account is signed out, and you sign in again with the new password.
        </p>
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <FormErrorSummary errors={errors} />
          <TextField
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of several words is easiest to remember.`}
            required
            errors={errors?.fieldErrors.password}
          />
          <TextField name="confirm" label="The same password again" type="password" autoComplete="new-password" required errors={errors?.fieldErrors.confirm} />
          <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? 'Saving…' : 'Save the new password'}
          </button>
        </Form>
      </div>
    </div>
  );
}

/** The page an unusable link shows: what happened and what to do, with the status the loader chose. */
export function ErrorBoundary() {
  const error = useRouteError();
  const message =
    isRouteErrorResponse(error) && error.data && typeof error.data === 'object' && 'message' in error.data
      ? String(error.data.message)
      : 'This link is no longer valid. Ask for a new one.';
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>This link cannot be used</h1>
        <div className="usa-alert usa-alert--warning" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{message}</p>
          </div>
        </div>
        <p>
          <Link to="/login/forgot" className="usa-button">
            Ask for a new link
          </Link>
          <Link to="/login" className="usa-button usa-button--outline">
            Go to sign-in
          </Link>
        </p>
      </div>
    </div>
  );
}
