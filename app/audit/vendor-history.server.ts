/**
 * A vendor registry entry's history: the registry's own audit events for it (registered, edited, a duplicate merged
 * into it), newest first, in the same sentences as the audit log, paged in the database.
 *
 * Only events of no RFP are read (`rfp_id` null). An RFP's events about this vendor — its responses, a merge moving
 * one of them — stay in that RFP's log, behind its panel redaction and membership: the registry page is read by
 * officers who are not on every RFP. For the same reason an entry's reason is not shown (an import's names the RFP it
 * came from); the sentences name only people and vendors, and a merge says how many responses moved, which the page's
 * Responses list counts anyway.
 */
import { countAuditEvents, type Executor, listAuditEvents } from '#db/queries/audit';
import { type FieldErrors, type PageInfo, pageInfo, parsePage } from '#app/utils/list-filters';
import { describeAuditEntries } from './log-view.server';

export const VENDOR_HISTORY_PAGE_SIZE = 25;
/** The address's parameter for the history's page (the page's other parameters are the merge's). */
export const VENDOR_HISTORY_PAGE_PARAM = 'history';

export interface VendorHistoryView {
  entries: Array<{ id: number; at: string; sentence: string }>;
  page: PageInfo;
  errors: FieldErrors;
}

export async function loadVendorHistory(db: Executor, vendorId: string, params: URLSearchParams): Promise<VendorHistoryView> {
  const errors: FieldErrors = {};
  const requested = parsePage(params, errors, VENDOR_HISTORY_PAGE_PARAM);
  const filter = { rfpId: null, entity: 'vendor', entityId: vendorId };
  const total = await countAuditEvents(db, filter);
  const page = pageInfo(total, VENDOR_HISTORY_PAGE_SIZE, requested);
  const events = await listAuditEvents(db, { ...filter, limit: VENDOR_HISTORY_PAGE_SIZE, offset: (page.page - 1) * VENDOR_HISTORY_PAGE_SIZE });
  const entries = await describeAuditEntries(db, null, events);
  return { errors, page, entries: entries.map((e) => ({ id: e.id, at: e.at, sentence: e.sentence })) };
}
