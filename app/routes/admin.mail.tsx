/**
 * The mail outbox for administrators: every mail the workbench has sent or is waiting to send, newest first, with its
 * delivery state. Without an SMTP server the mail waits here (pending), so an installation that has not set one up
 * yet still sees what people would have been told. The one exception: a vendor's sign-in code is not shown while it
 * may still work (listOutbox; db/queries/sign-in-codes.ts says why), so this page cannot stand in for the vendor's mailbox.
 */
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { FilterErrorsAlert } from '#app/components/filter-errors';
import { Pager } from '#app/components/pager';
import { countOutboxByStatus, listOutbox } from '#db/queries/mail-outbox';
import type { MailStatus } from '#db/schema';
import { getDb } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';
import { type FieldErrors, LIST_PAGE_SIZE, pageInfo, parseChoice, parsePage } from '#app/utils/list-filters';
import { requireGlobalPermission } from '#app/utils/permissions.server';
import { plural } from '#app/utils/wording';

export const meta: MetaFunction = () => [{ title: 'Mail · AI Vendor Evaluation Workbench' }];

const STATUSES: readonly MailStatus[] = ['pending', 'sent', 'failed'];
const STATUS_LABELS: Record<MailStatus, string> = { pending: 'Waiting', sent: 'Sent', failed: 'Failed' };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'mail:read');
  const params = new URL(request.url).searchParams;
  const errors: FieldErrors = {};
  const status = parseChoice(params, 'status', STATUSES, 'Status', errors);
  const requested = parsePage(params, errors);
  const db = getDb();
  const counts = await countOutboxByStatus(db);
  const total = status ? counts[status] : counts.pending + counts.sent + counts.failed;
  const page = pageInfo(total, LIST_PAGE_SIZE, requested);
  const { entries } = await listOutbox(db, { status: status || undefined, limit: LIST_PAGE_SIZE, offset: (page.page - 1) * LIST_PAGE_SIZE });
  return json({ counts, status, page, errors, smtpConfigured: Boolean(process.env.SMTP_URL?.trim()), entries });
}

export default function Mail() {
  const { counts, status, page, errors, smtpConfigured, entries } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Mail</h1>
      <p className="usa-intro">Every mail the workbench has sent or is waiting to send, newest first.</p>
      {smtpConfigured ? null : (
        <div className="usa-alert usa-alert--warning usa-alert--slim" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              No mail server is set up (<code>SMTP_URL</code>), so nothing is sent: mail waits here until one is. People are not told of their
              assignments until then.
            </p>
          </div>
        </div>
      )}
      <FilterErrorsAlert errors={errors} />
      <p>
        {counts.pending} waiting, {counts.sent} sent, {counts.failed} failed.
      </p>
      <Form method="get" className="usa-form margin-bottom-2" role="search" aria-label="Filter the mail">
        <label className="usa-label" htmlFor="mail-status">
          Status
        </label>
        <select className="usa-select" id="mail-status" name="status" defaultValue={status}>
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <button type="submit" className="usa-button usa-button--outline margin-top-1">
          Show
        </button>
      </Form>
      {entries.length === 0 ? (
        <p>{status ? `No ${STATUS_LABELS[status].toLowerCase()} mail.` : 'No mail yet.'}</p>
      ) : (
        <div className="wb-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked width-full">
            <caption className="usa-sr-only">
              Mail {page.from}–{page.to} of {page.total}
            </caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">To</th>
                <th scope="col">Subject and text</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((m) => (
                <tr key={m.id}>
                  <td data-label="Created">{formatDateTime(m.createdAt)}</td>
                  <td data-label="To">{m.to}</td>
                  <td data-label="Subject and text">
                    <details>
                      <summary>{m.subject}</summary>
                      {m.textWithheld ? <p className="usa-hint">{m.text}</p> : <pre className="wb-mail-text">{m.text}</pre>}
                    </details>
                  </td>
                  <td data-label="Status">
                    <span className={`usa-tag${m.status === 'failed' ? ' bg-secondary-dark' : m.status === 'sent' ? ' bg-green' : ''}`}>{STATUS_LABELS[m.status]}</span>
                    <div className="font-body-2xs">
                      {m.status === 'sent' && m.sentAt ? `at ${formatDateTime(m.sentAt)}` : null}
                      {m.status === 'pending' && m.attempts > 0 ? `${plural(m.attempts, 'attempt')}; next ${formatDateTime(m.nextAttemptAt)}` : null}
                      {m.status === 'failed' ? plural(m.attempts, 'attempt') : null}
                      {m.lastError && m.status !== 'sent' ? <div>Last error: {m.lastError}</div> : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager info={page} label="Pages of the mail outbox" />
    </>
  );
}
