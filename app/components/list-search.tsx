/**
 * The search box and the count line of a list paged on the server (the vendor registry, users), in the RFP list's
 * conventions: a GET form with `q` (so a search is a link), "Clear the search" when one is applied, the filters that
 * could not be used above it, and a live count saying which entries the page shows.
 */
import { Form, Link } from '@remix-run/react';
import { FilterErrorsAlert } from '#app/components/filter-errors';
import { TextField } from '#app/components/form-fields';
import type { FieldErrors, PageInfo } from '#app/utils/list-filters';
import { plural } from '#app/utils/wording';

export function ListSearchForm({ label, hint, q, errors, clearTo }: { label: string; hint: string; q: string; errors: FieldErrors; clearTo: string }) {
  return (
    <>
      <FilterErrorsAlert errors={errors} />
      <Form method="get" className="usa-form maxw-none margin-bottom-2" role="search" aria-label={label}>
        <div className="grid-row grid-gap-2">
          <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
            <TextField name="q" label="Search" hint={hint} defaultValue={q} errors={errors.q} maxLength={200} />
          </div>
        </div>
        <div className="display-flex flex-align-center flex-wrap">
          <button type="submit" className="usa-button">
            Search
          </button>
          {q ? (
            <Link to={clearTo} className="usa-link margin-left-1">
              Clear the search
            </Link>
          ) : null}
        </div>
      </Form>
    </>
  );
}

/** "30 vendors; showing 1–25.", "2 vendors match.", or `none` when nothing is listed. */
export function ListCount({ id, page, one, many, searched, none }: { id: string; page: PageInfo; one: string; many: string; searched: boolean; none: string }) {
  return (
    <p role="status" id={id}>
      {page.total === 0 ? none : `${plural(page.total, one, many)}${searched ? (page.total === 1 ? ' matches' : ' match') : ''}${page.pages > 1 ? `; showing ${page.from}–${page.to}` : ''}.`}
    </p>
  );
}
