import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { FilterErrorsAlert } from '#app/components/filter-errors';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { loadAuditLogView } from '#app/audit/log-view.server';
import { SelectField, TextField } from '#app/components/form-fields';
import { Pager } from '#app/components/pager';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { describeChainVerification, getAuditChainHead, getDb, verifyAuditChain } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { describeTimeZone, installationTimeZone } from '#app/utils/time-zone';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Audit log · ${data?.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'audit:read');
  const url = new URL(request.url);
  const db = getDb();
  const panel = await loadPanelViewerFor(db, access);
  // Score entries show who, when and which score; the value and rationale only to those the panel rules allow — in
  // the sentences and in what the text search looks at alike (app/audit/log-view.server.ts).
  const [view, chainHead] = await Promise.all([loadAuditLogView(db, access.rfp.id, panel, url.searchParams), getAuditChainHead(db, access.rfp.id)]);
  // The chain's head always; the whole chain recomputed (from the raw rows, as the CLI does) only when asked.
  const verification = url.searchParams.get('verify') === '1' ? describeChainVerification(access.rfp.reference, await verifyAuditChain(db, access.rfp.id)) : null;
  const status = Object.keys(view.errors).length > 0 ? 400 : 200;
  return json({ rfp: access.rfp, tabs: rfpTabs(access.rfp.id, access.permissions), view, chainHead, verification, zoneName: describeTimeZone(installationTimeZone()) }, { status });
}

function Change({ label, json: text }: { label: string; json: string | null }) {
  if (!text) return null;
  return (
    <>
      <p className="margin-y-05 text-bold">{label}</p>
      <pre className="wb-pre wb-audit-json">{JSON.stringify(JSON.parse(text), null, 1)}</pre>
    </>
  );
}

export default function AuditLog() {
  const { rfp, tabs, view, chainHead, verification, zoneName } = useLoaderData<typeof loader>();
  const { filters, errors, entries, page, choices } = view;
  // Verifying keeps the filters the page shows.
  const kept = Object.entries(filters).filter(([, value]) => value !== '');
  const verifyHref = `?${new URLSearchParams([...kept, ['verify', '1']]).toString()}`;
  const filtered = kept.length > 0;
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
      <FilterErrorsAlert errors={errors} />
      <Form method="get" className="usa-form maxw-none margin-bottom-2" role="search" aria-label="Search and filter the audit log">
        <div className="grid-row grid-gap-2">
          <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
            <TextField name="q" label="Contains" hint="A vendor, criterion, question, person, file or reason" defaultValue={filters.q} errors={errors.q} maxLength={200} />
          </div>
          <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
            <SelectField
              name="who"
              label="Who"
              placeholder="Anyone"
              options={[...new Set([...choices.actors, ...(filters.who ? [filters.who] : [])])].map((email) => ({ value: email, label: email }))}
              defaultValue={filters.who}
              errors={errors.who}
            />
          </div>
          <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
            <SelectField name="family" label="Kind of action" placeholder="Any" options={choices.families.map((f) => ({ value: f.id, label: f.label }))} defaultValue={filters.family} errors={errors.family} />
          </div>
          <div className="grid-col-12 tablet:grid-col-6 desktop:grid-col-4">
            <SelectField name="entity" label="About" placeholder="Anything" options={choices.entities} defaultValue={filters.entity} errors={errors.entity} />
          </div>
          <div className="grid-col-6 desktop:grid-col-2">
            <TextField name="from" type="date" label="From" defaultValue={filters.from} errors={errors.from} />
          </div>
          <div className="grid-col-6 desktop:grid-col-2">
            <TextField name="to" type="date" label="To" defaultValue={filters.to} errors={errors.to} />
          </div>
        </div>
        <p className="usa-hint margin-top-1">Days run midnight to midnight in {zoneName}, the time zone every time here is shown in.</p>
        {filters.action ? <input type="hidden" name="action" value={filters.action} /> : null}
        <div className="display-flex flex-align-center flex-wrap margin-top-2">
          <button type="submit" className="usa-button">
            Search
          </button>
          {filtered ? (
            <Link to="?" className="usa-link margin-left-1">
              Clear the filters
            </Link>
          ) : null}
        </div>
      </Form>
      <p role="status" id="audit-count">
        {page.total === 0
          ? filtered
            ? 'No entries match these filters.'
            : 'No entries yet.'
          : `${page.total === 1 ? '1 entry' : `${page.total.toLocaleString('en-US')} entries`}${filtered ? ' match' : ''}${page.pages > 1 ? `; showing ${page.from}–${page.to}` : ''}.`}
        {filters.action ? (
          <>
            {' '}
            Only <code>{filters.action}</code> entries.
          </>
        ) : null}
      </p>
      {entries.length > 0 ? (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked width-full wb-audit-table">
            <caption className="usa-sr-only">Audit entries for {rfp.reference}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Reason</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td data-label="When">
                    {formatDateTime(e.at)}
                  </td>
                  <th scope="row" data-label="What happened" className="text-normal">
                    {e.sentence}
                  </th>
                  <td data-label="Reason">{e.reason ?? '—'}</td>
                  <td data-label="Details">
                    <details>
                      <summary>
                        <code>{e.action}</code>
                        {e.actorEmail ? <span className="usa-sr-only">, by {e.actorEmail}</span> : null}
                      </summary>
                      <p className="margin-y-05">By {e.actorEmail ?? 'system'}</p>
                      <Change label="Before" json={e.beforeJson} />
                      <Change label="After" json={e.afterJson} />
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager info={page} label="Pages of the audit log" />
    </>
  );
}
