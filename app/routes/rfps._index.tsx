import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { StatusTag } from '#app/components/rfp-header';
import { getDb, listRfpsVisibleTo } from '#app/utils/db.server';
import { formatDate } from '#app/utils/format';
import { hasGlobalPermission, MEMBER_ROLE_LABELS } from '#app/utils/permissions';
import { requireUser } from '#app/utils/session.server';

export const meta: MetaFunction = () => [{ title: 'RFPs · AI Vendor Evaluation Workbench' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const rfps = await listRfpsVisibleTo(getDb(), user);
  return json({ rfps, canCreate: hasGlobalPermission(user.role, 'rfp:create'), seesAll: user.role === 'admin' });
}

export default function RfpList() {
  const { rfps, canCreate, seesAll } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="display-flex flex-justify flex-align-center flex-wrap">
        <h1>RFPs</h1>
        {canCreate ? (
          <Link to="/rfps/new" className="usa-button">
            Create an RFP
          </Link>
        ) : null}
      </div>
      <p className="usa-intro">
        {seesAll ? 'Every RFP in this workbench (you are an administrator).' : 'The RFPs you are a member of.'}
      </p>
      {rfps.length === 0 ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              {canCreate ? 'No RFPs yet. Create one to start.' : 'You are not a member of any RFP yet. The lead officer of an RFP can add you.'}
            </p>
          </div>
        </div>
      ) : (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless width-full">
            <caption className="usa-sr-only">RFPs</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Title</th>
                <th scope="col">Department</th>
                <th scope="col">Status</th>
                <th scope="col">Your role</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {rfps.map((rfp) => (
                <tr key={rfp.id}>
                  <th scope="row">
                    <Link to={`/rfps/${rfp.id}`} className="usa-link">
                      {rfp.reference}
                    </Link>
                  </th>
                  <td>{rfp.title}</td>
                  <td>{rfp.department}</td>
                  <td>
                    <StatusTag status={rfp.status} />
                  </td>
                  <td>{rfp.my_role ? MEMBER_ROLE_LABELS[rfp.my_role] : 'Administrator'}</td>
                  <td>{formatDate(rfp.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
