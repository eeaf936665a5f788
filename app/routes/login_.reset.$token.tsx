import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { UnusableLinkPage } from '#app/components/unusable-link';
import { FormErrorSummary, NewPasswordFields } from '#app/components/form-fields';
import { passwordChangedMail } from '#app/mail/account-mails';
import { getDb, hashPassword } from '#app/utils/db.server';
import { parseForm } from '#app/utils/form';
import { checkPasswordTypedTwice, newPasswordFields } from '#app/utils/user-forms';
import { enqueueMail } from '#db/queries/mail-outbox';
import { findPasswordReset, type PasswordResetState, PasswordResetUnusableError, usePasswordReset } from '#db/queries/password-resets';

export const meta: MetaFunction = () => [{ title: 'Choose a new password · AI Vendor Evaluation Workbench' }];

// The page's address holds the link's secret: never kept by a cache (the page, its data, its refusals).
const NO_STORE = { 'Cache-Control': 'no-store' };

export const headers: HeadersFunction = () => NO_STORE;

const resetSchema = z
  .object(newPasswordFields)
  .superRefine((v, ctx) => {
    checkPasswordTypedTwice(v, ctx);
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
          <NewPasswordFields label="New password" againLabel="The same password again" errors={errors?.fieldErrors} />
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
  return (
    <UnusableLinkPage
      title="This link cannot be used"
      fallback="This link is no longer valid. Ask for a new one."
      links={[
        { to: '/login/forgot', label: 'Ask for a new link' },
        { to: '/login', label: 'Go to sign-in' },
      ]}
    />
  );
}
