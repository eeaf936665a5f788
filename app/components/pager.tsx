import { Link, useLocation } from '@remix-run/react';
import type { PageInfo } from '#app/utils/list-filters';

/** Links to the pages of a long list, keeping the rest of the page's query (its filters, another list's page). */
export function Pager({ info, param = 'page', label, anchor }: { info: Pick<PageInfo, 'page' | 'pages'>; param?: string; label: string; anchor?: string }) {
  const location = useLocation();
  if (info.pages <= 1) return null;
  const href = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.set(param, String(page));
    return `?${params.toString()}${anchor ? `#${anchor}` : ''}`;
  };
  // First, last, and the pages around the current one; gaps are shown as an ellipsis.
  const shown = [...new Set([1, info.page - 1, info.page, info.page + 1, info.pages])].filter((p) => p >= 1 && p <= info.pages).sort((a, b) => a - b);
  return (
    <nav aria-label={label} className="usa-pagination">
      <ul className="usa-pagination__list">
        {info.page > 1 ? (
          <li className="usa-pagination__item usa-pagination__arrow">
            <Link to={href(info.page - 1)} className="usa-pagination__link usa-pagination__previous-page" preventScrollReset>
              <span className="usa-pagination__link-text">Previous</span>
            </Link>
          </li>
        ) : null}
        {shown.map((page, n) => (
          <li key={page} className="usa-pagination__item usa-pagination__page-no">
            {n > 0 && page - shown[n - 1]! > 1 ? (
              <span className="wb-pagination-gap" aria-hidden="true">
                …
              </span>
            ) : null}
            <Link
              to={href(page)}
              className={`usa-pagination__button${page === info.page ? ' usa-current' : ''}`}
              aria-label={`Page ${page}${page === info.pages ? ', last page' : ''}`}
              aria-current={page === info.page ? 'page' : undefined}
              preventScrollReset
            >
              {page}
            </Link>
          </li>
        ))}
        {info.page < info.pages ? (
          <li className="usa-pagination__item usa-pagination__arrow">
            <Link to={href(info.page + 1)} className="usa-pagination__link usa-pagination__next-page" preventScrollReset>
              <span className="usa-pagination__link-text">Next</span>
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
