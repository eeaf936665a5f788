import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { FilterErrorsAlert } from '#app/components/filter-errors';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { SelectField, TextField } from '#app/components/form-fields';
import { Pager } from '#app/components/pager';
import { StatusTag } from '#app/components/rfp-header';
import { loadRfpListView } from '#app/rfp/list-view.server';
import { STATUS_LABELS, STATUS_ORDER } from '#app/rfp/status';
import { getDb } from '#app/utils/db.server';
import { formatDate, formatDateTime } from '#app/utils/format';
import { hasGlobalPermission, MEMBER_ROLE_LABELS } from '#app/utils/permissions';
import { requireUser } from '#app/utils/session.server';
import { describeTimeZone, installationTimeZone } from '#app/utils/time-zone';

export const meta: MetaFunction = () => [{ title: 'RFPs · AI Vendor Evaluation Workbench' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await loadRfpListView(getDb(), user, new URL(request.url).searchParams);
  const status = Object.keys(view.errors).length > 0 ? 400 : 200;
  return json({ view, canCreate: hasGlobalPermission(user.role, 'rfp:create'), seesAll: user.role === 'admin', zoneName: describeTimeZone(installationTimeZone()) }, { status });
}

const ROLE_CHOICE_LABELS = { ...MEMBER_ROLE_LABELS, none: 'Not a member' } as const;

export default function RfpList() {
  const { view, canCreate, seesAll, zoneName } = useLoaderData<typeof loader>();
  const { filters, errors, rfps, page, anyVisible, departments, roles } = view;
  const filtered = Object.values(filters).some((value) => value !== '');
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
      {!anyVisible ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              {canCreate ? 'No RFPs yet. Create one to start.' : 'You are not a member of any RFP yet. The lead officer of an RFP can add you.'}
            </p>
          </div>
        </div>
      ) : (
        <>
          <FilterErrorsAlert errors={errors} />
          <Form method="get" className="usa-form maxw-none margin-bottom-2" role="search" aria-label="Search and filter the RFPs">
            <div className="grid-row grid-gap-2">
              <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
                <TextField name="q" label="Search" hint="Title, reference or department" defaultValue={filters.q} errors={errors.q} maxLength={200} />
              </div>
              <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
                <SelectField name="status" label="Status" placeholder="Any status" options={STATUS_ORDER.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} defaultValue={filters.status} errors={errors.status} />
              </div>
              <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
                <SelectField
                  name="department"
                  label="Department"
                  placeholder="Any department"
                  options={[...new Set([...departments, ...(filters.department ? [filters.department] : [])])].map((d) => ({ value: d, label: d }))}
                  defaultValue={filters.department}
                  errors={errors.department}
                />
              </div>
              <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
                <SelectField name="role" label="Your role" placeholder="Any role" options={roles.map((r) => ({ value: r, label: ROLE_CHOICE_LABELS[r] }))} defaultValue={filters.role} errors={errors.role} />
              </div>
              <div className="grid-col-6 desktop:grid-col-2">
                <TextField name="dueFrom" type="date" label="Due from" defaultValue={filters.dueFrom} errors={errors.dueFrom} />
              </div>
              <div className="grid-col-6 desktop:grid-col-2">
                <TextField name="dueTo" type="date" label="Due until" defaultValue={filters.dueTo} errors={errors.dueTo} />
              </div>
            </div>
            <p className="usa-hint margin-top-1">“Due” finds an RFP whose proposals or evaluation are due on one of those days ({zoneName}).</p>
            <div className="display-flex flex-align-center flex-wrap">
              <button type="submit" className="usa-button">
                Search
              </button>
              {filtered ? (
                <Link to="/rfps" className="usa-link margin-left-1">
                  Clear the filters
                </Link>
              ) : null}
            </div>
          </Form>
          <p role="status" id="rfp-count">
            {page.total === 0
              ? 'No RFPs match these filters.'
              : `${page.total === 1 ? '1 RFP' : `${page.total.toLocaleString('en-US')} RFPs`}${filtered ? ' match' : ''}${page.pages > 1 ? `; showing ${page.from}–${page.to}` : ''}.`}
          </p>
          {rfps.length > 0 ? (
            <div className="wb-table-wrap">
              <table className="usa-table usa-table--borderless usa-table--stacked width-full">
                <caption className="usa-sr-only">RFPs</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Title</th>
                    <th scope="col">Department</th>
                    <th scope="col">Status</th>
                    <th scope="col">Your role</th>
                    <th scope="col">Proposals due</th>
                    <th scope="col">Last change</th>
                  </tr>
                </thead>
                <tbody>
                  {rfps.map((rfp) => (
                    <tr key={rfp.id}>
                      <th scope="row" data-label="Reference">
                        <Link to={`/rfps/${rfp.id}`} className="usa-link">
                          {rfp.reference}
                        </Link>
                      </th>
                      <td data-label="Title">{rfp.title}</td>
                      <td data-label="Department">{rfp.department}</td>
                      <td data-label="Status">
                        <StatusTag status={rfp.status} />
                      </td>
                      <td data-label="Your role">{rfp.my_role ? MEMBER_ROLE_LABELS[rfp.my_role] : 'Administrator'}</td>
                      <td data-label="Proposals due">{formatDateTime(rfp.proposals_due_at)}</td>
                      <td data-label="Last change">{formatDate(rfp.updated_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <Pager info={page} label="Pages of RFPs" />
        </>
      )}
    </>
  );
}
