/**
 * The audit log page's view model: the filters from the address, one page of entries as sentences, and the
 * choices the filter form offers.
 *
 * Every entry goes through the reader's panel-confidentiality redaction BEFORE it becomes a sentence or is searched,
 * so neither the sentence nor the text search can reveal what the redaction withholds: a withheld rationale is not in
 * the text searched, and an entry is not found by it.
 *
 * Without a text search the database filters and pages. With one, the entries the other filters leave are read in
 * batches, newest first, each batch redacted, put in words (its names read in one query) and matched; the page is cut
 * from the matches, so the count and the pages are exact.
 */
import type { PanelViewer } from '#app/confidentiality/panel';
import { countAuditEvents, type Executor, listAuditActors, listAuditEvents, loadAuditNames } from '#db/queries/audit';
import type { AuditEvent } from '#db/schema';
import { type DayRange, type FieldErrors, type PageInfo, pageInfo, parseChoice, parseDayRange, parsePage, parseText } from '#app/utils/list-filters';
import { AUDIT_ENTITY_LABELS, AUDIT_FAMILIES, type AuditFamily, auditActionsOf, auditNameRefs, auditSearchText, describeAuditEvent, normaliseForSearch } from './sentences';

export const AUDIT_PAGE_SIZE = 50;
/** How many entries a text search reads per query. */
const SEARCH_BATCH = 500;

export interface AuditLogFilters {
  q: string;
  who: string;
  family: AuditFamily | '';
  entity: string;
  /** One exact action (links from elsewhere, e.g. `?action=scoresheet.submit`). */
  action: string;
  from: string;
  to: string;
}

export interface AuditLogEntry {
  id: number;
  at: string;
  actorEmail: string | null;
  entity: string;
  action: string;
  sentence: string;
  reason: string | null;
  beforeJson: string | null;
  afterJson: string | null;
}

export interface AuditLogView {
  filters: AuditLogFilters;
  errors: FieldErrors;
  entries: AuditLogEntry[];
  page: PageInfo;
  choices: { actors: string[]; families: typeof AUDIT_FAMILIES; entities: Array<{ value: string; label: string }> };
}

export function parseAuditLogQuery(params: URLSearchParams, zone?: string): { filters: AuditLogFilters; range: DayRange; page: number; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const family = parseChoice(
    params,
    'family',
    AUDIT_FAMILIES.map((f) => f.id),
    'The kind of action',
    errors,
  );
  const entity = parseChoice(params, 'entity', Object.keys(AUDIT_ENTITY_LABELS), 'What it is about', errors);
  const range = parseDayRange(params, 'from', 'to', errors, undefined, zone);
  const page = parsePage(params, errors);
  const filters: AuditLogFilters = {
    q: parseText(params, 'q'),
    who: parseText(params, 'who', 320).toLowerCase(),
    family,
    entity,
    action: parseText(params, 'action', 100),
    from: range.from,
    to: range.to,
  };
  return { filters, range, page, errors };
}

/** The query the database runs for these filters (everything but the text). */
function databaseFilter(rfpId: string, filters: AuditLogFilters, range: DayRange) {
  return {
    rfpId,
    actorEmail: filters.who || undefined,
    action: filters.action || undefined,
    actions: filters.family ? auditActionsOf(filters.family) : undefined,
    entity: filters.entity || undefined,
    from: range.fromIso,
    to: range.toExclusiveIso,
  };
}

/** One batch of raw events as the reader may see them, in words. */
async function describeBatch(db: Executor, rfpId: string, panel: PanelViewer, events: AuditEvent[]): Promise<AuditLogEntry[]> {
  return describeAuditEntries(db, rfpId, events.map((e) => panel.redactAuditEvent(e)));
}

/**
 * Events already fit for the reader (an RFP's through its panel redaction) as the log's entries, their names read
 * in one query. `rfpId` null: events of no RFP (the registry, accounts), which name only people and vendors.
 */
export async function describeAuditEntries(db: Executor, rfpId: string | null, shown: AuditEvent[]): Promise<AuditLogEntry[]> {
  const names = await loadAuditNames(db, rfpId, auditNameRefs(shown));
  return shown.map((e) => ({
    id: Number(e.id),
    at: e.at,
    actorEmail: e.actor_email,
    entity: e.entity,
    action: e.action,
    sentence: describeAuditEvent(e, names),
    reason: e.reason,
    beforeJson: e.before_json,
    afterJson: e.after_json,
  }));
}

/** `zone`: the days of the date filter (default: the installation's, as the page shows every time). */
export async function loadAuditLogView(db: Executor, rfpId: string, panel: PanelViewer, params: URLSearchParams, zone?: string): Promise<AuditLogView> {
  const { filters, range, page: requested, errors } = parseAuditLogQuery(params, zone);
  const filter = databaseFilter(rfpId, filters, range);
  const actors = await listAuditActors(db, rfpId);
  const choices = {
    actors,
    families: AUDIT_FAMILIES,
    entities: Object.entries(AUDIT_ENTITY_LABELS)
      // Accounts and the vendor registry are shared by every RFP: their entries are in the global log, not an RFP's.
      .filter(([entity]) => entity !== 'user' && entity !== 'vendor' && entity !== 'setting')
      .map(([value, label]) => ({ value, label })),
  };

  if (filters.q === '') {
    const total = await countAuditEvents(db, filter);
    const page = pageInfo(total, AUDIT_PAGE_SIZE, requested);
    const events = await listAuditEvents(db, { ...filter, limit: AUDIT_PAGE_SIZE, offset: (page.page - 1) * AUDIT_PAGE_SIZE });
    return { filters, errors, entries: await describeBatch(db, rfpId, panel, events), page, choices };
  }

  const needle = normaliseForSearch(filters.q);
  const matches: AuditLogEntry[] = [];
  let total = 0;
  const wantFrom = (requested - 1) * AUDIT_PAGE_SIZE;
  let beforeId: number | undefined;
  for (;;) {
    const batch = await listAuditEvents(db, { ...filter, beforeId, limit: SEARCH_BATCH });
    if (batch.length === 0) break;
    for (const entry of await describeBatch(db, rfpId, panel, batch)) {
      const redacted = { actor_email: entry.actorEmail, reason: entry.reason, action: entry.action, before_json: entry.beforeJson, after_json: entry.afterJson };
      if (!auditSearchText(redacted, entry.sentence).includes(needle)) continue;
      // Keep the asked page's matches, and the last page's in case the asked page is past the end.
      if (total >= wantFrom && total < wantFrom + AUDIT_PAGE_SIZE) matches.push(entry);
      total += 1;
    }
    if (batch.length < SEARCH_BATCH) break;
    beforeId = Number(batch[batch.length - 1]!.id);
  }
  const page = pageInfo(total, AUDIT_PAGE_SIZE, requested);
  if (page.page !== requested) {
    // Past the end: show the last page (a second pass is rare: a stale link after the log was filtered down).
    return loadAuditLogView(db, rfpId, panel, withPage(params, page.page), zone);
  }
  return { filters, errors, entries: matches, page, choices };
}

function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const copy = new URLSearchParams(params);
  copy.set('page', String(page));
  return copy;
}

