import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { RfpHeader } from '#app/components/rfp-header';
import { OutcomeSummary } from '#app/results/outcome';
import { loadOutcome } from '#app/results/outcome.server';
import { loadPriceViewFor } from '#app/confidentiality/price-blind.server';
import { getDb, listMembers, listSubmissions } from '#app/utils/db.server';
import { formatDate, formatDateTime, formatMoney } from '#app/utils/format';
import { hasGlobalPermission, MEMBER_ROLE_LABELS } from '#app/utils/permissions';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const db = getDb();
  const [members, submissions, outcome, prices] = await Promise.all([
    listMembers(db, access.rfp.id),
    listSubmissions(db, access.rfp.id),
    loadOutcome(access),
    loadPriceViewFor(db, access),
  ]);
  return json({
    rfp: access.rfp,
    outcome,
    members: members.map((m) => ({ user_id: m.user_id, name: m.name, email: m.email, role: m.role })),
    submissions: submissions.map((s) => ({ id: s.id, vendor_name: s.vendor_name, status: s.status, received_at: s.received_at, price: prices.price(s.price) })),
    pricesHidden: prices.notice,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    canExport: access.can('export:portable'),
    canEditDetails: access.can('rfp:edit') && access.rfp.status !== 'closed',
    canClone: hasGlobalPermission(access.user.role, 'rfp:create'),
  });
}

const SUBMISSION_STATUS: Record<string, string> = {
  expected: 'Expected',
  received: 'Received',
  responsive: 'Responsive',
  non_responsive: 'Non-responsive',
  withdrawn: 'Withdrawn',
};

export default function RfpOverview() {
  const { rfp, outcome, members, submissions, pricesHidden, tabs, canExport, canClone, canEditDetails } = useLoaderData<typeof loader>();
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      {outcome ? <OutcomeSummary outcome={outcome} rfpId={rfp.id} /> : null}
      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 tablet:grid-col-7" aria-labelledby="summary-heading">
          <h2 id="summary-heading">AI use case</h2>
          <p className="wb-pre">{rfp.summary}</p>
          <h2 id="vendors-heading">Vendors</h2>
          {submissions.length === 0 ? (
            <p>No vendor responses recorded yet.</p>
          ) : (
            <table className="usa-table usa-table--borderless width-full" aria-labelledby="vendors-heading">
              <thead>
                <tr>
                  <th scope="col">Vendor</th>
                  <th scope="col">Status</th>
                  <th scope="col">Received</th>
                  {pricesHidden ? null : (
                    <th scope="col" className="text-right">
                      Price for the term
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {submissions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.vendor_name}</th>
                    <td>{SUBMISSION_STATUS[s.status]}</td>
                    <td>{formatDate(s.received_at)}</td>
                    {pricesHidden ? null : <td className="text-right font-mono-xs">{formatMoney(s.price)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {pricesHidden && submissions.length > 0 ? <p className="usa-hint">{pricesHidden}</p> : null}
        </section>
        <aside className="grid-col-12 tablet:grid-col-5" aria-labelledby="facts-heading">
          <h2 id="facts-heading">Key facts</h2>
          <dl className="wb-meta">
            <dt>Department</dt>
            <dd>{rfp.department}</dd>
            <dt>Questions due</dt>
            <dd>{rfp.qa_due_at ? formatDateTime(rfp.qa_due_at) : 'Not set'}</dd>
            <dt>Proposals due</dt>
            <dd>{rfp.proposals_due_at ? formatDateTime(rfp.proposals_due_at) : 'Not set'}</dd>
            <dt>Evaluation due</dt>
            <dd>{rfp.evaluation_due_at ? formatDateTime(rfp.evaluation_due_at) : 'Not set'}</dd>
            <dt>Scoring</dt>
            <dd>
              Scale 0–{rfp.scale_max}, {rfp.aggregation} of evaluators, {rfp.total_points} points in total, {rfp.price_formula} price formula
            </dd>
            <dt>AI risk tier</dt>
            <dd>{rfp.risk_tier ? `Impact level ${rfp.risk_tier}` : 'Not assessed yet'}</dd>
            <dt>Created</dt>
            <dd>{formatDate(rfp.created_at)}</dd>
          </dl>
          {canEditDetails ? (
            <p>
              <Link to={`/rfps/${rfp.id}/details`} className="usa-button usa-button--outline">
                Edit details and settings
              </Link>
            </p>
          ) : null}
          <h2 id="members-heading">Members</h2>
          <ul className="usa-list" aria-labelledby="members-heading">
            {members.map((m) => (
              <li key={m.user_id}>
                {m.name} — {MEMBER_ROLE_LABELS[m.role]}
              </li>
            ))}
          </ul>
          {canClone ? (
            <p>
              <Link to={`/rfps/${rfp.id}/clone`} className="usa-button usa-button--outline">
                Clone for a new procurement
              </Link>
            </p>
          ) : null}
          {canExport ? (
            <p>
              <Link to={`/rfps/${rfp.id}/export.json`} reloadDocument className="usa-button usa-button--outline">
                Download portable file (JSON)
              </Link>
            </p>
          ) : null}
        </aside>
      </div>
    </>
  );
}
