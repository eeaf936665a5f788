import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { BusySubmitIndicator } from './components/busy-submit';
import { UnsavedChangesGuard } from './components/unsaved-changes';
import appStyles from './styles/app.css';
import noLostWorkStyles from './styles/no-lost-work.css';
import { hasGlobalPermission } from './utils/permissions';
import { useNonce } from './utils/nonce';
import { useRequestReference } from './utils/request-reference';
import { getCurrentUser } from './utils/session.server';
import { getDb } from './utils/db.server';
import { countUnreadNotifications } from '#db/queries/notifications';
import { installationTimeZone } from './utils/time-zone';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appStyles },
  { rel: 'stylesheet', href: noLostWorkStyles },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  return json({
    user: user ? { name: user.name, email: user.email, role: user.role } : null,
    unreadNotifications: user && user.role !== 'vendor' ? await countUnreadNotifications(getDb(), user.id) : 0,
    uswdsBase: context.uswdsBase,
  });
}

type RootData = ReturnType<typeof useLoaderData<typeof loader>>;

function Document({ children, uswdsBase, title }: { children: ReactNode; uswdsBase: string | undefined; title?: string }) {
  const nonce = useNonce();
  return (
    // The browser formats dates in the zone the server rendered them in (app/utils/time-zone.ts), so they hydrate alike.
    <html lang="en" data-time-zone={installationTimeZone()}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.ico" sizes="48x48" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {uswdsBase ? <link rel="stylesheet" href={`${uswdsBase}/css/uswds.min.css`} /> : null}
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
        {uswdsBase ? <script src={`${uswdsBase}/js/uswds-init.min.js`} /> : null}
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        {uswdsBase ? <script src={`${uswdsBase}/js/uswds.min.js`} /> : null}
      </body>
    </html>
  );
}

function Header({ user, unread }: { user: RootData['user']; unread: number }) {
  return (
    <>
      <a className="usa-skipnav" href="#main-content">
        Skip to main content
      </a>
      <header className="usa-header usa-header--basic wb-header">
        <div className="usa-nav-container">
          <div className="usa-navbar">
            <div className="usa-logo">
              <em className="usa-logo__text">
                <Link to="/" title="AI Vendor Evaluation Workbench home">
                  AI Vendor Evaluation Workbench
                </Link>
              </em>
            </div>
          </div>
          {user ? (
            <nav aria-label="Primary" className="wb-nav">
              <ul className="usa-list usa-list--unstyled wb-nav__list">
                {/* A vendor contact's only pages are the portal's and their own account's. */}
                <li>
                  <NavLink to={user.role === 'vendor' ? '/vendor' : '/rfps'} className="wb-nav__link">
                    {user.role === 'vendor' ? 'My RFPs' : 'RFPs'}
                  </NavLink>
                </li>
                {hasGlobalPermission(user.role, 'rfp:create') ? (
                  <li>
                    <NavLink to="/vendors" className="wb-nav__link">
                      Vendors
                    </NavLink>
                  </li>
                ) : null}
                {user.role === 'evaluator' ? (
                  <li>
                    <NavLink to="/evaluations" className="wb-nav__link">
                      My evaluations
                    </NavLink>
                  </li>
                ) : null}
                {hasGlobalPermission(user.role, 'users:manage') ? (
                  <li>
                    <NavLink to="/admin/users" className="wb-nav__link">
                      Users
                    </NavLink>
                  </li>
                ) : null}
                {hasGlobalPermission(user.role, 'mail:read') ? (
                  <li>
                    <NavLink to="/admin/mail" className="wb-nav__link">
                      Mail
                    </NavLink>
                  </li>
                ) : null}
                {user.role === 'vendor' ? null : (
                <li>
                  <NavLink to="/notifications" className="wb-nav__link">
                    Notifications
                    {unread > 0 ? (
                      <span className="usa-tag wb-nav__count margin-left-05">
                        {unread}
                        <span className="usa-sr-only"> unread</span>
                      </span>
                    ) : null}
                  </NavLink>
                </li>
                )}
                <li className="wb-nav__user">
                  <NavLink to="/account" className="wb-nav__link">
                    Signed in as <strong>{user.name}</strong>
                    <span className="usa-sr-only"> (your account)</span>
                  </NavLink>
                </li>
                <li>
                  <Form method="post" action="/logout">
                    <button type="submit" className="usa-button usa-button--outline usa-button--small wb-nav__signout">
                      Sign out
                    </button>
                  </Form>
                </li>
              </ul>
            </nav>
          ) : null}
        </div>
      </header>
    </>
  );
}

function Footer() {
  return (
    <footer className="usa-footer usa-footer--slim">
      <div className="grid-container usa-footer__return-to-top">
        <a href="#main-content">Return to top</a>
      </div>
      <div className="usa-footer__primary-section">
        <div className="grid-container">
          <p className="wb-footer__text">
            Open-source AI Vendor Evaluation Workbench. Every change is recorded in the audit log.
          </p>
        </div>
      </div>
    </footer>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <Document uswdsBase={data.uswdsBase}>
      <Header user={data.user} unread={data.unreadNotifications} />
      <main id="main-content" className="grid-container wb-main" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
      {/* Every page: ask before leaving unsaved work, and show which button is working. */}
      <UnsavedChangesGuard />
      <BusySubmitIndicator />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>('root');
  const reference = useRequestReference();
  let title = 'Something went wrong';
  let message = 'The workbench could not complete this request. Try again, and tell your administrator if it keeps happening.';
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = 'Page not found';
      message = 'There is nothing here, or you do not have access to it.';
    } else if (error.status === 403) {
      title = 'Not allowed';
      message = typeof error.data === 'string' && error.data ? error.data : 'You do not have permission to do this.';
    } else if (error.status === 409) {
      title = 'Locked';
      message = typeof error.data === 'string' ? error.data : 'This cannot be changed now.';
    } else if (error.status < 500 && typeof error.data === 'string') {
      message = error.data;
    }
  }
  return (
    <Document uswdsBase={data?.uswdsBase} title={`${title} · AI Vendor Evaluation Workbench`}>
      <Header user={data?.user ?? null} unread={data?.unreadNotifications ?? 0} />
      <main id="main-content" className="grid-container wb-main" tabIndex={-1}>
        <h1>{title}</h1>
        <p className="usa-intro">{message}</p>
        {reference ? (
          <p>
            Reference: <code data-request-reference="">{reference}</code> (quote it when you ask for help)
          </p>
        ) : null}
        <p>
          <Link to="/rfps" className="usa-link">
            Go to your RFPs
          </Link>
        </p>
      </main>
      <Footer />
    </Document>
  );
}
