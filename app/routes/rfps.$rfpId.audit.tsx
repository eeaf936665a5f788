import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { describeChainVerification, getAuditChainHead, getDb, listAuditEvents, verifyAuditChain } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Audit log · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'audit:read');
  const url = new URL(request.url);
  const who = url.searchParams.get('who')?.trim().slice(0, 320) || undefined;
  const action = url.searchParams.get('action')?.trim().slice(0, 100) || undefined;
  // "When": whole UTC days, from the start of `from` to the end of `to`; a malformed date is ignored.
  const day = (name: string) => {
    const value = url.searchParams.get(name)?.trim() ?? '';
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : '';
  };
  const from = day('from');
  const to = day('to');
  const toExclusive = to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  const db = getDb();
  const [panel, events, chainHead] = await Promise.all([
    loadPanelViewerFor(db, access),
    listAuditEvents(db, { rfpId: access.rfp.id, actorEmail: who, action, from: from ? `${from}T00:00:00.000Z` : undefined, to: toExclusive, limit: 1000 }),
    getAuditChainHead(db, access.rfp.id),
  ]);
  // Score entries show who, when and which score; the value and rationale only to those the panel rules allow.
  const shown = events.map((e) => panel.redactAuditEvent(e));
  // The chain's head always; the whole chain recomputed (from the raw rows, as the CLI does) only when asked.
  const verification = url.searchParams.get('verify') === '1' ? describeChainVerification(access.rfp.reference, await verifyAuditChain(db, access.rfp.id)) : null;
  return json({ rfp: access.rfp, tabs: rfpTabs(access.rfp.id, access.permissions), events: shown, who: who ?? '', action: action ?? '', from, to, chainHead, verification });
}

function Change({ json: text }: { json: string | null }) {
  if (!text) return <span className="text-base">—</span>;
  return <pre className="wb-pre wb-audit-json">{JSON.stringify(JSON.parse(text), null, 1)}</pre>;
}

export default function AuditLog() {
  const { rfp, tabs, events, who, action, from, to, chainHead, verification } = useLoaderData<typeof loader>();
  // Verifying keeps the filters the page shows.
  const filters = Object.entries({ who, action, from, to }).filter(([, value]) => value !== '');
  const verifyHref = `?${new URLSearchParams([...filters, ['verify', '1']]).toString()}`;
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Audit log</h2>
      <p>
        Every change to this RFP, newest first. The log is append-only: the database refuses to alter or delete an entry. Individual scores and
        rationales in score entries are withheld until the RFP reaches consensus (and from anyone recused from the vendor).
      </p>
      <p>
        Each entry is chained to the one before it by a SHA-256 hash, so an entry changed or removed even by a database
        administrator breaks the chain.{' '}
        {chainHead ? (
          <>
            Chain head: event {chainHead.seq}, {formatDateTime(chainHead.at)}, <code className="wb-hash">{chainHead.hash}</code>.{' '}
          </>
        ) : null}
        <Link to={verifyHref}>Verify the chain</Link> (or <code>npx workbench audit verify {rfp.reference}</code>).
      </p>
      {verification ? (
        <div className={`usa-alert usa-alert--slim ${verification.ok ? 'usa-alert--success' : 'usa-alert--error'}`} role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{verification.line}</p>
          </div>
        </div>
      ) : null}
      <Form method="get" className="usa-form wb-inline-form margin-bottom-2" role="search" aria-label="Filter the audit log">
        <div>
          <label className="usa-label" htmlFor="who">
            Who (email)
          </label>
          <input className="usa-input" id="who" name="who" type="text" defaultValue={who} />
        </div>
        <div>
          <label className="usa-label" htmlFor="action">
            Action (e.g. member.add)
          </label>
          <input className="usa-input" id="action" name="action" type="text" defaultValue={action} />
        </div>
        <div>
          <label className="usa-label" htmlFor="from">
            From (UTC day)
          </label>
          <input className="usa-input" id="from" name="from" type="date" defaultValue={from} />
        </div>
        <div>
          <label className="usa-label" htmlFor="to">
            To (UTC day, inclusive)
          </label>
          <input className="usa-input" id="to" name="to" type="date" defaultValue={to} />
        </div>
        <button type="submit" className="usa-button">
          Filter
        </button>
      </Form>
      <div className="wb-table-wrap">
        <table className="usa-table usa-table--borderless usa-table--compact width-full">
          <caption className="usa-sr-only">Audit events for {rfp.reference}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.actor_email ?? 'system'}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <Change json={e.before_json} />
                </td>
                <td>
                  <Change json={e.after_json} />
                </td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 ? <p>No events match.</p> : null}
    </>
  );
}
