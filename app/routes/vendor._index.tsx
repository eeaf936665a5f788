import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { vendorFacingListStage } from '#app/confidentiality/vendor-facing.server';
import { getDb } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { requireVendorContact } from '#app/vendor-portal/access.server';
import { listPortalRfps } from '#db/queries/vendor-portal';

export const meta: MetaFunction = () => [{ title: 'Vendor portal · AI Vendor Evaluation Workbench' }];

/** A vendor contact's home: the RFPs their organisation was invited to, published ones only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const access = await requireVendorContact(request);
  const rfps = await listPortalRfps(getDb(), access.organisation.vendorId);
  return json({
    organisation: access.organisation.vendorName,
    rfps: rfps.map((r) => ({
      id: r.id,
      reference: r.reference,
      title: r.title,
      department: r.department,
      stage: vendorFacingListStage(r.status),
      proposalsDue: r.proposalsDueAt ? formatDateTime(r.proposalsDueAt) : 'Not set',
    })),
  });
}

export default function VendorHome() {
  const { organisation, rfps } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Vendor portal</h1>
      <p className="usa-intro">{`RFPs ${organisation} is invited to respond to.`}</p>
      {rfps.length === 0 ? (
        <p>No RFP is open to your organisation yet. When a procurement officer invites you to one, it appears here and you are told by mail.</p>
      ) : (
        <table className="usa-table usa-table--borderless width-full" aria-label="Your RFPs">
          <thead>
            <tr>
              <th scope="col">RFP</th>
              <th scope="col">Department</th>
              <th scope="col">Proposals due</th>
              <th scope="col">Stage</th>
            </tr>
          </thead>
          <tbody>
            {rfps.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <Link to={`/vendor/rfps/${r.id}`}>{`${r.reference}: ${r.title}`}</Link>
                </th>
                <td>{r.department}</td>
                <td>{r.proposalsDue}</td>
                <td>{r.stage === 'open' ? 'Open for proposals' : 'Proposals closed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
