import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { ConfirmPanel } from '#app/components/confirm-panel';
import { RfpHeader } from '#app/components/rfp-header';
import { listOnlineResponses, openBids, type OnlineResponseRow } from '#app/confidentiality/sealed-responses.server';
import { getDb } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Bid opening · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

/**
 * Online responses as the city may know them (issue 15, item 4): until the deadline, who has submitted and when —
 * nothing of what; at the deadline the lead opens the bids, an audited event listing every receipt, which makes the
 * latest submitted versions the RFP's responses.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const online = await listOnlineResponses(getDb(), access.rfp);
  return json({ rfp: access.rfp, tabs: rfpTabs(access.rfp.id, access.permissions), online });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const form = await request.formData();
  if (form.get('intent') !== 'open-bids') return json({ error: 'Unknown action.' }, { status: 400 });
  try {
    await openBids({ db: getDb() }, { id: access.user.id, email: access.user.email }, access.rfp);
  } catch (error) {
    if (error instanceof Response && error.status === 409) return json({ error: await error.text() }, { status: 409 });
    throw error;
  }
  return redirect(`/rfps/${access.rfp.id}/bid-opening?opened=1`);
}

const STATE_WORDS: Record<OnlineResponseRow['state'], string> = { submitted: 'Submitted', withdrawn: 'Withdrawn', not_submitted: 'Not submitted' };

export default function BidOpening() {
  const { rfp, tabs, online } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [search] = useSearchParams();
  const here = `/rfps/${rfp.id}/bid-opening`;
  const opened = online.opening !== null;
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Online responses and bid opening</h2>
      {reply?.error ? (
        <div className="usa-alert usa-alert--error" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{reply.error}</p>
          </div>
        </div>
      ) : null}
      {search.get('opened') && opened ? (
        <div className="usa-alert usa-alert--success" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The bids are open: each latest submitted version is now that vendor’s response, ready for evaluation.</p>
          </div>
        </div>
      ) : null}
      {search.get('confirm') === 'open-bids' && online.canOpen ? (
        <ConfirmPanel title="Open the bids now?" fields={{ intent: 'open-bids' }} action={here} cancelTo={here} confirmLabel="Open the bids">
          <ul className="usa-list">
            <li>Each vendor’s latest submitted version becomes its response in this RFP (answers and price), exactly as an imported workbook would.</li>
            <li>Every receipt is listed in the audit log. This happens once and cannot be undone.</li>
            <li>Vendors that submitted nothing, or withdrew, are listed as such; their responses stay as they are.</li>
          </ul>
        </ConfirmPanel>
      ) : null}
      <p>
        {opened
          ? `Bids opened ${formatDateTime(online.opening!.openedAt)}${online.opening!.openedByName ? ` by ${online.opening!.openedByName}` : ''}.`
          : 'Responses submitted in the vendor portal stay sealed until the proposals are due: until the bid opening you see who has submitted and when, never what.'}
      </p>
      {online.rows.length === 0 ? (
        <p>
          No vendor is invited to respond online. Invite contacts from a vendor’s response page (<Link to={`/rfps/${rfp.id}/vendors`}>Vendors</Link>).
        </p>
      ) : (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked width-full">
            <caption className="usa-sr-only">Invited vendors and their online responses</caption>
            <thead>
              <tr>
                <th scope="col">Vendor</th>
                <th scope="col">Online response</th>
                <th scope="col">Latest version</th>
                {opened ? <th scope="col">Receipt (SHA-256)</th> : null}
              </tr>
            </thead>
            <tbody>
              {online.rows.map((r) => (
                <tr key={r.vendorId}>
                  <th scope="row" data-label="Vendor">
                    {r.vendorName}
                  </th>
                  <td data-label="Online response">
                    {STATE_WORDS[r.state]}
                    {opened && r.draftOnly ? <div className="usa-hint">Draft only: answers were begun and never submitted.</div> : null}
                  </td>
                  <td data-label="Latest version">{r.latest ? `Version ${r.latest.number}, ${formatDateTime(r.latest.at)}${r.latest.byName ? `, by ${r.latest.byName}` : ''}` : '—'}</td>
                  {opened ? (
                    <td data-label="Receipt (SHA-256)">
                      <code className="wb-hash">{r.receipt?.sha256 ?? '—'}</code>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {opened ? null : online.canOpen ? (
        <p>
          <Link className="usa-button" to={`${here}?confirm=open-bids`}>
            Open the bids
          </Link>
        </p>
      ) : online.openingBlockedBy ? (
        <p className="usa-hint">{online.openingBlockedBy}</p>
      ) : null}
    </>
  );
}
