import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { checkLogin } from '#app/auth/login.server';
import { restrictionFor } from '#app/auth/sign-in.server';
import { FormErrorSummary, TextField, NewPasswordFields } from '#app/components/form-fields';
import { passwordChangedMail } from '#app/mail/account-mails';
import { changeOwnPassword, getDb, hashPassword, setSessionRestriction } from '#app/utils/db.server';
import { enqueueMail } from '#db/queries/mail-outbox';
import { fieldError, parseForm } from '#app/utils/form';
import { RESTRICTION_PAGES, requireSignedIn } from '#app/utils/session.server';
import { checkPasswordTypedTwice, newPasswordFields } from '#app/utils/user-forms';

export const meta: MetaFunction = () => [{ title: 'Change your password · AI Vendor Evaluation Workbench' }];

const changeSchema = z
  .object({
    current: z.string().min(1, 'Enter your current password.').max(1000, 'That password is too long.'),
    ...newPasswordFields,
  })
  .superRefine((v, ctx) => {
    checkPasswordTypedTwice(v, ctx, 'The two new passwords are not the same.');
    if (v.current !== '' && v.password === v.current) ctx.addIssue({ code: 'custom', path: ['password'], message: 'Choose a password different from the current one.' });
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSignedIn(request);
  return json({ forced: user.restriction === 'change-password' });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireSignedIn(request);
  const parsed = parseForm(await request.formData(), changeSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  // The current password is checked like a sign-in: throttled per account, so a left-open session cannot be used to guess it.
  const check = await checkLogin(user.email, parsed.data.current, context.clientIp);
  if (!check.ok) return json({ errors: fieldError('current', check.message) }, { status: 400 });
  const passwordHash = await hashPassword(parsed.data.password);
  const db = getDb();
  const next = await db.transaction().execute(async (trx) => {
    const changed = await changeOwnPassword(trx, user.id, passwordHash, user.sessionId);
    if (!changed) return null;
    const mail = passwordChangedMail({ name: user.name, at: changed.updated_at });
    await enqueueMail(trx, { kind: 'account.password_changed', to: { address: user.email, userId: user.id }, ...mail });
    const restriction = await restrictionFor(trx, user);
    await setSessionRestriction(trx, user.sessionId, restriction);
    return { restriction };
  });
  if (!next) throw new Response('No such account', { status: 404 });
  return redirect(next.restriction ? RESTRICTION_PAGES[next.restriction] : user.restriction ? '/rfps' : '/account?changed=password');
}

export default function ChangePassword() {
  const { forced } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>{forced ? 'Choose a new password' : 'Change your password'}</h1>
        <p className="usa-intro">
          {forced
            ? 'The password you signed in with was set by an administrator. Choose your own before you continue: only you should know it.'
            : 'Every other session of your account is signed out, and you get a mail saying the password changed.'}
        </p>
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <FormErrorSummary errors={errors} />
          <TextField name="current" label="Current password" type="password" autoComplete="current-password" required errors={errors?.fieldErrors.current} />
          <NewPasswordFields label="New password" againLabel="New password again" errors={errors?.fieldErrors} />
          <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? 'Saving…' : 'Save the new password'}
          </button>
        </Form>
      </div>
    </div>
  );
}
