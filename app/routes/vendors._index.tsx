import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getDb, searchVendors } from '#app/utils/db.server';
import { formatDate } from '#app/utils/format';
import { requireGlobalPermission } from '#app/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Vendor registry · AI Vendor Evaluation Workbench' }];

/** The registry is shared by every RFP; officers add vendors to an RFP from its Vendors page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'rfp:create');
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 200);
  const db = getDb();
  const vendors = await searchVendors(db, q);
  const counts = await db
    .selectFrom('submission')
    .select(['vendor_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy('vendor_id')
    .execute();
  const rfpCount = new Map(counts.map((c) => [c.vendor_id, Number(c.n)]));
  return json({ q, vendors: vendors.map((v) => ({ ...v, rfps: rfpCount.get(v.id) ?? 0 })) });
}

export default function VendorRegistry() {
  const { q, vendors } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Vendor registry</h1>
      <p className="usa-intro">Every vendor that has answered one of your RFPs, reused across procurements. Open a vendor to edit its details or merge a duplicate entry into it.</p>
      <Form method="get" role="search" className="usa-search usa-search--small margin-bottom-2" aria-label="Search vendors">
        <label className="usa-sr-only" htmlFor="q">
          Search vendors
        </label>
        <input className="usa-input" id="q" name="q" type="search" defaultValue={q} />
        <button className="usa-button" type="submit">
          <span className="usa-search__submit-text">Search</span>
        </button>
      </Form>
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
      {vendors.length === 0 ? <p>No vendor matches.</p> : null}
    </>
  );
}
