import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { describeChallenge, sendNewSignInCode, verifySecondFactor } from '#app/auth/sign-in.server';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import { formatDateTime } from '#app/utils/format';
import { formError, type FormErrors, parseForm } from '#app/utils/form';

export const meta: MetaFunction = () => [{ title: 'Two-step verification · AI Vendor Evaluation Workbench' }];

function codeSchema(method: 'totp' | 'mail') {
  const empty = method === 'mail' ? 'Enter the six-digit code from the sign-in mail.' : 'Enter the code from your authenticator app, or a recovery code.';
  return z.object({ code: z.string().trim().min(1, empty).max(64, 'That code is too long.') });
}

/** Only reachable with a pending challenge (a right password moments ago); otherwise back to the sign-in form. */
export async function loader({ request }: LoaderFunctionArgs) {
  const challenge = await describeChallenge(request);
  if (!challenge) throw redirect('/login');
  return json({ challenge });
}

type ActionData = { errors: FormErrors | null; expired: boolean; sent: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get('intent') === 'new-code') {
    const outcome = await sendNewSignInCode(request);
    if (!outcome.ok) return json<ActionData>({ errors: formError(outcome.message), expired: outcome.expired ?? false, sent: null }, { status: outcome.expired ? 400 : 429 });
    return json<ActionData>({ errors: null, expired: false, sent: outcome.message }, { headers: { 'Set-Cookie': outcome.cookie } });
  }
  const challenge = await describeChallenge(request);
  const parsed = parseForm(form, codeSchema(challenge?.method ?? 'totp'));
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, expired: false, sent: null }, { status: 400 });
  const outcome = await verifySecondFactor(request, parsed.data.code, context.clientIp);
  if (outcome.ok) return outcome.response;
  return json<ActionData>({ errors: formError(outcome.message), expired: outcome.expired ?? false, sent: null }, { status: 400 });
}

export default function VerifySecondFactor() {
  const { challenge } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? undefined;
  const intent = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const mailed = challenge.method === 'mail' ? challenge : null;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Two-step verification</h1>
        {mailed ? (
          <p className="usa-intro">{`Your password was right. We e-mailed a six-digit code to ${mailed.to}. It is valid for ${mailed.minutes} minutes (until ${formatDateTime(mailed.expiresAt)}) and works once.`}</p>
        ) : (
          <p className="usa-intro">Your password was right. Enter the six-digit code your authenticator app shows for the workbench.</p>
        )}
        {actionData?.sent ? (
          <div className="usa-alert usa-alert--success usa-alert--slim" role="status">
            <div className="usa-alert__body">
              <p className="usa-alert__text">{actionData.sent}</p>
            </div>
          </div>
        ) : null}
        {actionData?.expired ? (
          <p>
            <Link to="/login" className="usa-button">
              Sign in again
            </Link>
          </p>
        ) : null}
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <FormErrorSummary errors={errors} />
          <input type="hidden" name="intent" value="verify" />
          <TextField
            name="code"
            label="Code"
            hint={
              mailed
                ? 'The six digits from the mail “Your sign-in code”. Only the code in the latest mail works.'
                : 'Six digits from your authenticator app. Lost your phone? Type one of your recovery codes instead (like 3f9a2-c81d0).'
            }
            autoComplete="one-time-code"
            inputMode={mailed ? 'numeric' : 'text'}
            maxLength={64}
            required
            errors={errors?.fieldErrors.code}
          />
          <button type="submit" className="usa-button" disabled={intent === 'verify'}>
            {intent === 'verify' ? 'Checking…' : 'Verify and sign in'}
          </button>
        </Form>
        {mailed ? (
          <Form method="post" className="margin-top-3">
            <input type="hidden" name="intent" value="new-code" />
            <p className="usa-hint">No mail after a minute or two? Look in your spam folder, or ask for a new code: the one sent before stops working.</p>
            <button type="submit" className="usa-button usa-button--outline" disabled={intent === 'new-code'}>
              {intent === 'new-code' ? 'Sending…' : 'Send a new code'}
            </button>
          </Form>
        ) : (
          <p className="usa-hint">No code and no recovery code? An administrator can reset your second factor after checking who you are.</p>
        )}
      </div>
    </div>
  );
}
