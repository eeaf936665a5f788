import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { requestPasswordReset, resetLinkOrigin } from '#app/accounts/password-reset.server';
import { authSettings } from '#app/auth/oidc-settings.server';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { mailSettingsFromEnv } from '#app/mail/settings.server';
import { getDb } from '#app/utils/db.server';
import { formError, parseForm } from '#app/utils/form';
import { getCurrentUser } from '#app/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Forgot your password? · AI Vendor Evaluation Workbench' }];

const requestSchema = z.object({
  email: z.string().trim().min(1, 'Enter the email address of your account.').max(320, 'That email address is too long.').email('Enter an email address, like name@city.gov.'),
});

/** What the page can offer: a link by mail needs local passwords and a trusted origin for the link (see resetLinkOrigin). */
function availability(request: Request): { available: boolean; minutes: number } {
  const { localPasswords } = authSettings();
  return { available: localPasswords && resetLinkOrigin(request) !== null, minutes: mailSettingsFromEnv().passwordResetMinutes };
}

export async function loader({ request }: LoaderFunctionArgs) {
  // Someone signed in knows their password: they change it on their account page.
  if (await getCurrentUser(request)) throw redirect('/account/password');
  return json(availability(request));
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (await getCurrentUser(request)) throw redirect('/account/password');
  const { available, minutes } = availability(request);
  if (!available) return json({ errors: formError('Resetting a password by mail is not available on this workbench. Ask an administrator to reset it.'), sentTo: null }, { status: 400 });
  const parsed = parseForm(await request.formData(), requestSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, sentTo: null }, { status: 400 });
  await requestPasswordReset(getDb(), { email: parsed.data.email, clientIp: context.clientIp, origin: resetLinkOrigin(request)!, validMinutes: minutes });
  // The same answer whether the address has an account or not: the page reveals none.
  return json({ errors: null, sentTo: parsed.data.email });
}

export default function ForgotPassword() {
  const { available, minutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? undefined;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Forgot your password?</h1>
        {actionData?.sentTo ? (
          <>
            <div className="usa-alert usa-alert--success" role="status">
              <div className="usa-alert__body">
                <p className="usa-alert__text">
                  If <strong>{actionData.sentTo}</strong>{' '}
                  {`is the address of an account that signs in with a password, a link to choose a new password is on its way to it. The link works once, for ${minutes} minutes.`}
                </p>
              </div>
            </div>
            <p>No mail after a few minutes? Look in your spam folder, check the address, or ask an administrator of the workbench to reset your password.</p>
          </>
        ) : available ? (
          <>
            <p className="usa-intro">Give the email address of your account, and we mail you a link to choose a new password.</p>
            <Form method="post" className="usa-form usa-form--large" noValidate>
              <FormErrorSummary errors={errors} />
              <TextField name="email" label="Email address" type="email" autoComplete="username" required errors={errors?.fieldErrors.email} />
              <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
                {navigation.state === 'submitting' ? 'Sending…' : 'Mail me a link'}
              </button>
            </Form>
          </>
        ) : (
          <div className="usa-alert usa-alert--info" role="status">
            <div className="usa-alert__body">
              <p className="usa-alert__text">Resetting a password by mail is not available on this workbench. Ask an administrator of the workbench to reset it.</p>
            </div>
          </div>
        )}
        <p>
          <Link to="/login">Back to sign-in</Link>
        </p>
      </div>
    </div>
  );
}
