/**
 * The sign-in page's single sign-on parts. The button is a plain form post (not Remix's fetch), because its answer is
 * a redirect to the identity provider's own site.
 */
import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';

export function SingleSignOnButton({ name, redirectTo }: { name: string; redirectTo: string }) {
  return (
    <form method="post" action="/auth/oidc/start" className="margin-bottom-4">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button type="submit" className="usa-button usa-button--big">
        Sign in with {name}
      </button>
    </form>
  );
}

/**
 * With local passwords on, the password form as it is. With them off (AUTH_LOCAL=false) only the break-glass
 * administrator uses it, so it is folded away under a summary that says so, and opened again after a failed try.
 */
export function PasswordSignIn({ localPasswords, open, children }: { localPasswords: boolean; open: boolean; children: ReactNode }) {
  if (localPasswords) return <>{children}</>;
  return (
    <details open={open}>
      <summary>Vendor contacts and emergency administrator sign-in with a password</summary>
      {children}
    </details>
  );
}

/** Why single sign-on did not sign someone in, and the way back. */
export function SignInRefusal({ title, message }: { title: string; message: string }) {
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>{title}</h1>
        <div className="usa-alert usa-alert--error" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{message}</p>
          </div>
        </div>
        <p>
          <Link to="/login" className="usa-button">
            Back to sign-in
          </Link>
        </p>
      </div>
    </div>
  );
}
