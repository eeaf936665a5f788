/**
 * The page a single-use link shows when it cannot be used (spent, expired, replaced): what happened, in the words the
 * loader chose (`{ message }` in the thrown response's data), and where to go from here. One page for invitations and
 * password resets, so both read alike.
 */
import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';

export function UnusableLinkPage({ title, fallback, links }: { title: string; fallback: string; links: { to: string; label: string }[] }) {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) && error.data && typeof error.data === 'object' && 'message' in error.data ? String(error.data.message) : fallback;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>{title}</h1>
        <div className="usa-alert usa-alert--warning" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{message}</p>
          </div>
        </div>
        <p>
          {links.map((link, i) => (
            <Link key={link.to} to={link.to} className={i === 0 ? 'usa-button' : 'usa-button usa-button--outline'}>
              {link.label}
            </Link>
          ))}
        </p>
      </div>
    </div>
  );
}
