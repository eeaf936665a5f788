import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { pendingChallenge, verifySecondFactor } from '#app/auth/sign-in.server';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { formError, parseForm } from '#app/utils/form';

export const meta: MetaFunction = () => [{ title: 'Two-step verification · AI Vendor Evaluation Workbench' }];

const codeSchema = z.object({ code: z.string().trim().min(1, 'Enter the code from your authenticator app, or a recovery code.').max(64, 'That code is too long.') });

/** Only reachable with a pending challenge (a right password moments ago); otherwise back to the sign-in form. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await pendingChallenge(request))) throw redirect('/login');
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(await request.formData(), codeSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, expired: false }, { status: 400 });
  const outcome = await verifySecondFactor(request, parsed.data.code, context.clientIp);
  if (outcome.ok) return outcome.response;
  return json({ errors: formError(outcome.message), expired: outcome.expired ?? false }, { status: 400 });
}

export default function VerifySecondFactor() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Two-step verification</h1>
        <p className="usa-intro">Your password was right. Enter the six-digit code your authenticator app shows for the workbench.</p>
        {actionData?.expired ? (
          <p>
            <Link to="/login" className="usa-button">
              Sign in again
            </Link>
          </p>
        ) : null}
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <FormErrorSummary errors={errors} />
          <TextField
            name="code"
            label="Code"
            hint="Six digits from your authenticator app. Lost your phone? Type one of your recovery codes instead (like 3f9a2-c81d0)."
            autoComplete="one-time-code"
            inputMode="text"
            maxLength={64}
            required
            errors={errors?.fieldErrors.code}
          />
          <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? 'Checking…' : 'Verify and sign in'}
          </button>
        </Form>
        <p className="usa-hint">No code and no recovery code? An administrator can reset your second factor after checking who you are.</p>
      </div>
    </div>
  );
}
