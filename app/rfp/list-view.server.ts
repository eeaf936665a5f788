/**
 * The RFP list's view model: the filters from the address (bad values are said beside their field, not dropped in
 * silence), one page of the RFPs the user may see, and the choices the filter form offers.
 */
import { hasVisibleRfps, listDepartmentsVisibleTo, type RfpListEntry, type RoleFilter, searchRfpsVisibleTo } from '#db/queries/rfp-list';
import type { Executor } from '#db/queries/audit';
import { RFP_STATUSES, type RfpStatus } from '#db/schema';
import { type FieldErrors, type PageInfo, parseChoice, parseDayRange, parseText } from '#app/utils/list-filters';
import { readListPage } from '#app/utils/list-page.server';

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
  const query = {
    q: filters.q || undefined,
    status: filters.status || undefined,
    department: filters.department || undefined,
    role: filters.role || undefined,
    dueFrom: range.fromIso,
    dueTo: range.toExclusiveIso,
  };
  const [{ items: rfps, page }, departments, anyVisible] = await Promise.all([
    readListPage(params, errors, (window) => searchRfpsVisibleTo(db, user, { ...query, ...window })),
    listDepartmentsVisibleTo(db, user),
    hasVisibleRfps(db, user),
  ]);
  return { filters, errors, rfps, page, anyVisible, departments, roles };
}
