import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { checkLogin } from '#app/auth/login.server';
import { authSettings } from '#app/auth/oidc-settings.server';
import { afterPasswordAccepted } from '#app/auth/sign-in.server';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { PasswordSignIn, SingleSignOnButton } from '#app/components/single-sign-on';
import { formError, parseForm } from '#app/utils/form';
import { getCurrentUser, safeRedirectPath } from '#app/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · AI Vendor Evaluation Workbench' }];

const loginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.').max(320, 'That email address is too long.'),
  password: z.string().min(1, 'Enter your password.').max(1000, 'That password is too long.'),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (user) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')));
  const { oidc, localPasswords } = authSettings();
  return json({ ssoName: oidc?.displayName ?? null, localPasswords });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(await request.formData(), loginSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  const outcome = await checkLogin(parsed.data.email, parsed.data.password, context.clientIp);
  if (!outcome.ok) return json({ errors: formError(outcome.message) }, { status: 400 });
  const next = await afterPasswordAccepted(request, outcome.userId, context.clientIp, safeRedirectPath(parsed.data.redirectTo));
  if (next instanceof Response) return next;
  return json({ errors: formError(next.refused) }, { status: 429 });
}

export default function Login() {
  const { ssoName, localPasswords } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Sign in</h1>
        <p className="usa-intro">Evaluate AI vendors’ proposals on the record: questionnaires, scores, consensus and results.</p>
        {searchParams.get('password') === 'reset' ? (
          <div className="usa-alert usa-alert--success usa-alert--slim" role="status">
            <div className="usa-alert__body">
              <p className="usa-alert__text">Your new password is saved and your account was signed out everywhere. Sign in with the new password.</p>
            </div>
          </div>
        ) : null}
        {ssoName ? <SingleSignOnButton name={ssoName} redirectTo={searchParams.get('redirectTo') ?? ''} /> : null}
        <PasswordSignIn localPasswords={localPasswords} open={Boolean(errors)}>
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <FormErrorSummary errors={errors} />
          <fieldset className="usa-fieldset">
            <legend className="usa-sr-only">Your account</legend>
            <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
            <TextField name="email" label="Email address" type="email" autoComplete="username" required errors={errors?.fieldErrors.email} />
            <TextField
              name="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              required
              errors={errors?.fieldErrors.password}
            />
            <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
              {navigation.state === 'submitting' ? 'Signing in…' : 'Sign in'}
            </button>
          </fieldset>
        </Form>
        </PasswordSignIn>
        {localPasswords ? (
          <p>
            <Link to="/login/forgot">Forgot your password?</Link>
          </p>
        ) : null}
        <p className="usa-hint">Accounts are created by your administrator.</p>
      </div>
    </div>
  );
}
