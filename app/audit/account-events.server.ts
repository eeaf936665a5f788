/**
 * The account events page's view model: the global log's account actions (accounts created, roles changed, disabled,
 * reset, single sign-on, two-step verification, the installation's policy), newest first, as sentences with names,
 * filtered by who did it and paged in the database. Account events hold no evaluation content; they still go through
 * the same sentence code as an RFP's log, so both read alike.
 */
import { countAuditEvents, type Executor, listAuditEvents, loadAuditNames } from '#db/queries/audit';
import { type FieldErrors, type PageInfo, pageInfo, parsePage, parseText } from '#app/utils/list-filters';
import { auditActionsOf, auditNameRefs, describeAuditEvent } from './sentences';

export const ACCOUNT_EVENTS_PAGE_SIZE = 50;

export interface AccountEventsView {
  who: string;
  errors: FieldErrors;
  entries: Array<{ id: number; at: string; sentence: string }>;
  page: PageInfo;
}

export async function loadAccountEventsView(db: Executor, params: URLSearchParams): Promise<AccountEventsView> {
  const errors: FieldErrors = {};
  const requested = parsePage(params, errors);
  const who = parseText(params, 'who', 320).toLowerCase();
  const filter = { actions: auditActionsOf('accounts'), actorEmail: who || undefined };
  const total = await countAuditEvents(db, filter);
  const page = pageInfo(total, ACCOUNT_EVENTS_PAGE_SIZE, requested);
  const events = await listAuditEvents(db, { ...filter, limit: ACCOUNT_EVENTS_PAGE_SIZE, offset: (page.page - 1) * ACCOUNT_EVENTS_PAGE_SIZE });
  const names = await loadAuditNames(db, null, auditNameRefs(events));
  return { who, errors, page, entries: events.map((e) => ({ id: Number(e.id), at: e.at, sentence: describeAuditEvent(e, names) })) };
}
