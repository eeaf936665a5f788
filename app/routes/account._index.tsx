import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getAccountSecurity, getDb, getTwoFactorPolicy, policyRequiresTwoFactor } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { GLOBAL_ROLE_LABELS } from '#app/utils/permissions';
import { requireSignedIn } from '#app/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Your account · AI Vendor Evaluation Workbench' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSignedIn(request);
  const db = getDb();
  const [security, policy] = await Promise.all([getAccountSecurity(db, user.id), getTwoFactorPolicy(db)]);
  return json({
    user: { name: user.name, email: user.email, role: user.role },
    lastSignInAt: security.lastSignInAt,
    twoFactor: { enabledAt: security.totpEnabledAt, recoveryCodesLeft: security.recoveryCodesLeft, required: policyRequiresTwoFactor(policy, user.role) },
  });
}

export default function Account() {
  const { user, lastSignInAt, twoFactor } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your account</h1>
      <ul className="usa-list usa-list--unstyled">
        <li>
          <strong>Name:</strong> {user.name}
        </li>
        <li>
          <strong>Email:</strong> {user.email}
        </li>
        <li>
          <strong>Role:</strong> {GLOBAL_ROLE_LABELS[user.role]}
        </li>
        <li>
          <strong>Signed in:</strong> {formatDateTime(lastSignInAt)}
        </li>
      </ul>
      <div className="grid-row grid-gap-lg margin-top-2">
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          <p>Changing your password signs out every other session of your account.</p>
          <Link to="/account/password" className="usa-button usa-button--outline">
            Change your password
          </Link>
        </section>
        <section className="grid-col-12 tablet:grid-col-6" aria-labelledby="two-factor-heading">
          <h2 id="two-factor-heading">Two-step verification</h2>
          {twoFactor.enabledAt ? (
            <p>
              On since {formatDateTime(twoFactor.enabledAt)}: signing in asks for a code from your authenticator app. {twoFactor.recoveryCodesLeft} of 10 recovery codes
              left.
            </p>
          ) : (
            <p>{twoFactor.required ? 'Required for your account: set it up now.' : 'Off. Turn it on so that a stolen password alone cannot open your account.'}</p>
          )}
          <Link to="/account/two-factor" className="usa-button usa-button--outline">
            {twoFactor.enabledAt ? 'Manage two-step verification' : 'Set up two-step verification'}
          </Link>
        </section>
      </div>
      <p className="margin-top-4">
        Which mails you receive is chosen on your{' '}
        <Link to="/notifications" className="usa-link">
          Notifications
        </Link>{' '}
        page.
      </p>
    </>
  );
}
