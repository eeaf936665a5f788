import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { loadAccountEventsView } from '#app/audit/account-events.server';
import { AuditSentenceTable } from '#app/components/audit-sentence-table';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { Pager } from '#app/components/pager';
import { getDb } from '#app/utils/db.server';
import { requireGlobalPermission } from '#app/utils/permissions.server';

export const meta: MetaFunction = () => [{ title: 'Account events · Users · AI Vendor Evaluation Workbench' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireGlobalPermission(request, 'users:manage');
  return json(await loadAccountEventsView(getDb(), new URL(request.url).searchParams));
}

export default function AccountEvents() {
  const view = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ to: '/admin/users', label: 'Users' }]} current="Account events" />
      <h1>Account events</h1>
      <p className="usa-intro">Every account created, changed, disabled or reset, every single sign-on refused or linked, and every change of two-step verification.</p>
      <Form method="get" className="usa-search usa-search--small margin-bottom-2" role="search">
        <label className="usa-sr-only" htmlFor="who">
          Done by (email)
        </label>
        <input className="usa-input" id="who" name="who" type="search" defaultValue={view.who} placeholder="Done by (email)" />
        <button className="usa-button" type="submit">
          <span className="usa-search__submit-text">Filter</span>
        </button>
      </Form>
      <p>{view.page.total === 0 ? 'No account events match.' : `${view.page.total} ${view.page.total === 1 ? 'event' : 'events'}, newest first.`}</p>
      {view.entries.length > 0 ? (
        <AuditSentenceTable entries={view.entries} caption="Account events" />
      ) : null}
      <Pager info={view.page} label="Pages of account events" />
    </>
  );
}
