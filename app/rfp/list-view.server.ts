/**
 * The RFP list's view model: the filters from the address (bad values are said beside their field, not dropped in
 * silence), one page of the RFPs the user may see, and the choices the filter form offers.
 */
import { hasVisibleRfps, listDepartmentsVisibleTo, type RfpListEntry, type RoleFilter, searchRfpsVisibleTo } from '#db/queries/rfp-list';
import type { Executor } from '#db/queries/audit';
import { RFP_STATUSES, type RfpStatus } from '#db/schema';
import { type FieldErrors, LIST_PAGE_SIZE, type PageInfo, pageInfo, parseChoice, parseDayRange, parsePage, parseText } from '#app/utils/list-filters';

export interface RfpListFilters {
  q: string;
  status: RfpStatus | '';
  department: string;
  role: RoleFilter | '';
  dueFrom: string;
  dueTo: string;
}

export interface RfpListView {
  filters: RfpListFilters;
  errors: FieldErrors;
  rfps: RfpListEntry[];
  page: PageInfo;
  /** Whether the user may see any RFP at all, whatever the filters. */
  anyVisible: boolean;
  departments: string[];
  /** The role choices: "not a member" only for an admin, the one who can see RFPs without being in them. */
  roles: RoleFilter[];
}

/** `zone`: the days of the due-date filter (default: the installation's, as deadlines are shown). */
export async function loadRfpListView(db: Executor, user: { id: string; role: string }, params: URLSearchParams, zone?: string): Promise<RfpListView> {
  const errors: FieldErrors = {};
  const roles: RoleFilter[] = user.role === 'admin' ? ['lead', 'evaluator', 'observer', 'none'] : ['lead', 'evaluator', 'observer'];
  const range = parseDayRange(params, 'dueFrom', 'dueTo', errors, { from: '“Due from”', to: '“Due until”' }, zone);
  const filters: RfpListFilters = {
    q: parseText(params, 'q'),
    status: parseChoice(params, 'status', RFP_STATUSES, 'The status', errors),
    department: parseText(params, 'department'),
    role: parseChoice(params, 'role', roles, 'Your role', errors),
    dueFrom: range.from,
    dueTo: range.to,
  };
  const requested = parsePage(params, errors);
  const query = {
    q: filters.q || undefined,
    status: filters.status || undefined,
    department: filters.department || undefined,
    role: filters.role || undefined,
    dueFrom: range.fromIso,
    dueTo: range.toExclusiveIso,
  };
  const [first, departments, anyVisible] = await Promise.all([
    searchRfpsVisibleTo(db, user, { ...query, limit: LIST_PAGE_SIZE, offset: (requested - 1) * LIST_PAGE_SIZE }),
    listDepartmentsVisibleTo(db, user),
    hasVisibleRfps(db, user),
  ]);
  const page = pageInfo(first.total, LIST_PAGE_SIZE, requested);
  // A page past the end (a stale link after RFPs were filtered down) shows the last page.
  const rfps = page.page === requested ? first.items : (await searchRfpsVisibleTo(db, user, { ...query, limit: LIST_PAGE_SIZE, offset: (page.page - 1) * LIST_PAGE_SIZE })).items;
  return { filters, errors, rfps, page, anyVisible, departments, roles };
}
