import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';

/** USWDS breadcrumbs: the trail of links, then the current page. */
export function Breadcrumbs({ trail, current }: { trail: ReadonlyArray<{ to: string; label: ReactNode } | null | undefined | false>; current: ReactNode }) {
  return (
    <nav className="usa-breadcrumb" aria-label="Breadcrumbs">
      <ol className="usa-breadcrumb__list">
        {trail.filter(Boolean).map((item) => {
          const { to, label } = item as { to: string; label: ReactNode };
          return (
            <li className="usa-breadcrumb__list-item" key={to}>
              <Link to={to} className="usa-breadcrumb__link">
                <span>{label}</span>
              </Link>
            </li>
          );
        })}
        <li className="usa-breadcrumb__list-item usa-current" aria-current="page">
          <span>{current}</span>
        </li>
      </ol>
    </nav>
  );
}
