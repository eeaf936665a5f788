import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ListCount, ListSearchForm } from '#app/components/list-search';
import { Pager } from '#app/components/pager';
import { getDb, searchVendorRegistry } from '#app/utils/db.server';
import { formatDate } from '#app/utils/format';
import { type FieldErrors, parseText } from '#app/utils/list-filters';
import { readListPage } from '#app/utils/list-page.server';
import { requireGlobalPermission } from '#app/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Vendor registry · AI Vendor Evaluation Workbench' }];

/** The registry is shared by every RFP; officers add vendors to an RFP from its Vendors page. Paged on the server. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'rfp:create');
  const params = new URL(request.url).searchParams;
  const errors: FieldErrors = {};
  const q = parseText(params, 'q');
  const db = getDb();
  const { items: vendors, page } = await readListPage(params, errors, (window) => searchVendorRegistry(db, { q: q || undefined, ...window }));
  return json({ q, errors, vendors, page }, { status: Object.keys(errors).length > 0 ? 400 : 200 });
}

export default function VendorRegistry() {
  const { q, errors, vendors, page } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Vendor registry</h1>
      <p className="usa-intro">
        Every vendor that has answered one of your RFPs, reused across procurements. Open a vendor to edit its details or merge a duplicate entry into it.
      </p>
      <ListSearchForm label="Search the vendor registry" hint="Name, short name or website" q={q} errors={errors} clearTo="/vendors" />
      <ListCount
        id="vendor-count"
        page={page}
        one="vendor"
        many="vendors"
        searched={q !== ''}
        none={q ? 'No vendor matches the search.' : 'No vendor is registered yet.'}
      />
      {vendors.length > 0 ? (
        <table className="usa-table usa-table--borderless width-full">
          <caption className="usa-sr-only">Vendors</caption>
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              <th scope="col">Short name</th>
              <th scope="col">Website</th>
              <th scope="col">Contact</th>
              <th scope="col">RFPs</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {vendors.map((v) => (
              <tr key={v.id}>
                <th scope="row">
                  <Link to={`/vendors/${v.id}`} className="usa-link">
                    {v.name}
                  </Link>
                </th>
                <td>{v.key}</td>
                <td>{v.website ?? '—'}</td>
                <td>{[v.contact_name, v.contact_email].filter(Boolean).join(', ') || '—'}</td>
                <td>{v.rfps}</td>
                <td>{formatDate(v.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager info={page} label="Pages of vendors" />
    </>
  );
}
