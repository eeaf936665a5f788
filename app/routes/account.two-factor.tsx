import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { qrCodeImage } from '#app/auth/qr.server';
import { checkCurrentCode } from '#app/auth/sign-in.server';
import { matchTotp, newTotpSecret, otpauthUri } from '#app/auth/totp.server';
import { FormErrorSummary, TextField } from '#app/components/form-fields';
import {
  confirmTotpEnrolment,
  getAccountSecurity,
  getDb,
  getPendingTotpSecret,
  getTwoFactorPolicy,
  policyRequiresTwoFactor,
  regenerateRecoveryCodes,
  removeTwoFactor,
  setPendingTotpSecret,
  setSessionRestriction,
} from '#app/utils/db.server';
import { fieldError, formError, parseForm } from '#app/utils/form';
import { formatDateTime } from '#app/utils/format';
import { requireSignedIn } from '#app/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Two-step verification · Your account · AI Vendor Evaluation Workbench' }];

const ISSUER = 'AI Vendor Evaluation Workbench';

const code = z.string().trim().min(1, 'Enter the six-digit code your app shows.').max(20, 'That code is too long.');
const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start') }),
  z.object({ intent: z.literal('confirm'), code }),
  z.object({ intent: z.literal('regenerate'), code }),
  z.object({ intent: z.literal('disable'), code }),
]);

/** Groups of four, as authenticator apps show a key to type. */
function spaced(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSignedIn(request);
  const db = getDb();
  const [security, policy, pending] = await Promise.all([getAccountSecurity(db, user.id), getTwoFactorPolicy(db), getPendingTotpSecret(db, user.id)]);
  const enrolling = !security.totpEnabledAt && pending ? { qr: await qrCodeImage(otpauthUri({ issuer: ISSUER, account: user.email, secret: pending })), key: spaced(pending) } : null;
  return json({
    enabledAt: security.totpEnabledAt,
    recoveryCodesLeft: security.recoveryCodesLeft,
    required: policyRequiresTwoFactor(policy, user.role),
    restricted: user.restriction === 'enrol-two-factor',
    enrolling,
  });
}

/** `continueTo`: where "I have saved them" leads once the recovery codes are shown (after enrolling, on to the work). */
type ActionData = { errors: ReturnType<typeof formError> | null; recoveryCodes: string[] | null; message: string | null; continueTo?: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSignedIn(request);
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, recoveryCodes: null, message: null }, { status: 400 });
  const db = getDb();
  const input = parsed.data;
  const actor = { id: user.id, email: user.email };
  switch (input.intent) {
    case 'start':
      await setPendingTotpSecret(db, user.id, newTotpSecret());
      return json<ActionData>({ errors: null, recoveryCodes: null, message: null });
    case 'confirm': {
      const pending = await getPendingTotpSecret(db, user.id);
      const step = pending ? matchTotp(pending, input.code, new Date()) : null;
      if (step === null) return json<ActionData>({ errors: fieldError('code', 'That code does not match. Check the app shows the workbench’s code and type the current one.'), recoveryCodes: null, message: null }, { status: 400 });
      const codes = await db.transaction().execute(async (trx) => {
        const fresh = await confirmTotpEnrolment(trx, actor, user.id, step);
        if (user.restriction === 'enrol-two-factor') await setSessionRestriction(trx, user.sessionId, null);
        return fresh;
      });
      return json<ActionData>({ errors: null, recoveryCodes: codes, message: 'Two-step verification is on.', continueTo: '/rfps' });
    }
    case 'regenerate': {
      const check = await checkCurrentCode(user, input.code);
      if (!check.ok) return json<ActionData>({ errors: fieldError('code', check.message), recoveryCodes: null, message: null }, { status: 400 });
      const codes = await db.transaction().execute((trx) => regenerateRecoveryCodes(trx, actor, user.id));
      return json<ActionData>({ errors: null, recoveryCodes: codes, message: 'New recovery codes: the old ones no longer work.', continueTo: user.restriction ? '/rfps' : '/account' });
    }
    case 'disable': {
      if (policyRequiresTwoFactor(await getTwoFactorPolicy(db), user.role)) {
        return json<ActionData>({ errors: formError('Two-step verification is required for your account by this installation, so it cannot be turned off.'), recoveryCodes: null, message: null }, { status: 400 });
      }
      const check = await checkCurrentCode(user, input.code);
      if (!check.ok) return json<ActionData>({ errors: fieldError('code', check.message), recoveryCodes: null, message: null }, { status: 400 });
      await db.transaction().execute((trx) => removeTwoFactor(trx, actor, user.id));
      return json<ActionData>({ errors: null, recoveryCodes: null, message: 'Two-step verification is off, and your recovery codes no longer work.' });
    }
  }
}

function RecoveryCodes({ codes, continueTo }: { codes: string[]; continueTo: string }) {
  return (
    <section aria-labelledby="codes-heading" className="usa-summary-box margin-y-3">
      <div className="usa-summary-box__body">
        <h2 id="codes-heading" className="usa-summary-box__heading">
          Your recovery codes
        </h2>
        <p>Each works once, instead of a code from your phone, if you lose it. Print them or keep them in a password manager now: they are not shown again.</p>
        <ul className="usa-list wb-recovery-codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <Link to={continueTo} className="usa-button">
          I have saved them — continue
        </Link>
      </div>
    </section>
  );
}

function CodeForm({ intent, label, danger, errors }: { intent: string; label: string; danger?: boolean; errors?: string[] }) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === intent;
  return (
    <Form method="post" className="usa-form" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <TextField name="code" id={`${intent}-code`} label="Current code from your app" autoComplete="one-time-code" inputMode="numeric" maxLength={20} required errors={errors} />
      <button type="submit" className={`usa-button${danger ? ' usa-button--secondary' : ' usa-button--outline'}`} disabled={busy}>
        {busy ? 'Working…' : label}
      </button>
    </Form>
  );
}

export default function TwoFactor() {
  const { enabledAt, recoveryCodesLeft, required, restricted, enrolling } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? undefined;
  const lastIntent = navigation.formData?.get('intent');
  if (actionData?.recoveryCodes) {
    return (
      <>
        <h1>Two-step verification</h1>
        <div className="usa-alert usa-alert--success usa-alert--slim" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{actionData.message}</p>
          </div>
        </div>
        <RecoveryCodes codes={actionData.recoveryCodes} continueTo={actionData.continueTo ?? (restricted ? '/rfps' : '/account')} />
      </>
    );
  }
  return (
    <>
      <h1>Two-step verification</h1>
      {restricted ? (
        <div className="usa-alert usa-alert--warning" role="region" aria-label="Required">
          <div className="usa-alert__body">
            <p className="usa-alert__text">This installation requires two-step verification for your account. Set it up to continue.</p>
          </div>
        </div>
      ) : null}
      {actionData?.message ? (
        <div className="usa-alert usa-alert--success usa-alert--slim" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{actionData.message}</p>
          </div>
        </div>
      ) : null}
      <FormErrorSummary errors={errors} />
      {enabledAt ? (
        <>
          <p>
            On since {formatDateTime(enabledAt)}. Signing in asks for your password and then a code from your authenticator app. {recoveryCodesLeft} of 10 recovery codes left.
          </p>
          <div className="grid-row grid-gap-lg">
            <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="regenerate-heading">
              <h2 id="regenerate-heading">New recovery codes</h2>
              <p>Replaces all ten; the old ones stop working.</p>
              <CodeForm intent="regenerate" label="Make new recovery codes" errors={lastIntent === 'regenerate' || !lastIntent ? errors?.fieldErrors.code : undefined} />
            </section>
            <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="disable-heading">
              <h2 id="disable-heading">Turn it off</h2>
              {required ? <p>Required for your account by this installation: it cannot be turned off. An administrator can reset it if you change phones.</p> : <CodeForm intent="disable" label="Turn off two-step verification" danger />}
            </section>
          </div>
        </>
      ) : enrolling ? (
        <>
          <ol className="usa-process-list">
            <li className="usa-process-list__item">
              <h2 className="usa-process-list__heading">Scan this code with your authenticator app</h2>
              <p>Any TOTP app works (Microsoft Authenticator, Google Authenticator, 1Password, Authy…).</p>
              <img src={enrolling.qr} alt="QR code to add the workbench to an authenticator app" width={200} height={200} />
              <p>
                Cannot scan it? Type this key in the app instead: <code className="wb-secret-key">{enrolling.key}</code>
              </p>
            </li>
            <li className="usa-process-list__item">
              <h2 className="usa-process-list__heading">Type the code the app shows</h2>
              <Form method="post" className="usa-form" noValidate>
                <input type="hidden" name="intent" value="confirm" />
                <TextField name="code" label="Six-digit code" autoComplete="one-time-code" inputMode="numeric" maxLength={20} required errors={errors?.fieldErrors.code} />
                <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
                  {navigation.state === 'submitting' ? 'Checking…' : 'Turn on two-step verification'}
                </button>
              </Form>
            </li>
          </ol>
        </>
      ) : (
        <>
          <p>After your password, signing in will ask for a six-digit code from an authenticator app on your phone, so a stolen password alone cannot open your account.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
              Set up an authenticator app
            </button>
          </Form>
        </>
      )}
      {restricted ? null : (
        <p className="margin-top-4">
          <Link to="/account" className="usa-link">
            Back to your account
          </Link>
        </p>
      )}
    </>
  );
}
