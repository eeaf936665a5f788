/**
 * The RFP list's search: text, status, department, the reader's role, a range of deadlines, and pages — all inside
 * the query, scoped to the RFPs the user may see (members; every RFP for an admin) so no caller can forget the scope.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database, MemberRole, RfpStatus } from '../schema';
import type { Executor } from './audit';
import type { RfpListItem } from './rfps';
import { containsText } from './text-search';

export interface RfpListEntry extends RfpListItem {
  proposals_due_at: string | null;
  evaluation_due_at: string | null;
}

/** `none`: RFPs the reader is not a member of (only an admin sees any). */
export type RoleFilter = MemberRole | 'none';

export interface RfpListFilter {
  /** Contained in the title, the reference or the department, ignoring case. */
  q?: string;
  status?: RfpStatus;
  department?: string;
  role?: RoleFilter;
  /** ISO instants: an RFP whose proposals or evaluation are due at or after `dueFrom` and before `dueTo`. */
  dueFrom?: string;
  dueTo?: string;
  limit: number;
  offset: number;
}

interface Viewer {
  id: string;
  role: string;
}

function visibleRfps(db: Executor, user: Viewer) {
  const base = db.selectFrom('rfp').leftJoin('rfp_member', (join) => join.onRef('rfp_member.rfp_id', '=', 'rfp.id').on('rfp_member.user_id', '=', user.id));
  return user.role === 'admin' ? base : base.where('rfp_member.user_id', '=', user.id);
}

type Eb = ExpressionBuilder<Database & { rfp_member: Database['rfp_member'] }, 'rfp' | 'rfp_member'>;

function dueWithin(eb: Eb, column: 'rfp.proposals_due_at' | 'rfp.evaluation_due_at', from?: string, to?: string) {
  const bounds = [eb(column, 'is not', null)];
  if (from) bounds.push(eb(column, '>=', from));
  if (to) bounds.push(eb(column, '<', to));
  return eb.and(bounds);
}

function filtered(db: Executor, user: Viewer, filter: RfpListFilter) {
  let query = visibleRfps(db, user);
  if (filter.q) {
    const text = filter.q;
    query = query.where((eb) => eb.or([containsText('rfp.title', text), containsText('rfp.reference', text), containsText('rfp.department', text)]));
  }
  if (filter.status) query = query.where('rfp.status', '=', filter.status);
  if (filter.department) query = query.where('rfp.department', '=', filter.department);
  if (filter.role === 'none') query = query.where('rfp_member.role', 'is', null);
  else if (filter.role) query = query.where('rfp_member.role', '=', filter.role);
  if (filter.dueFrom || filter.dueTo) {
    const { dueFrom, dueTo } = filter;
    query = query.where((eb) => eb.or([dueWithin(eb, 'rfp.proposals_due_at', dueFrom, dueTo), dueWithin(eb, 'rfp.evaluation_due_at', dueFrom, dueTo)]));
  }
  return query;
}

/** One page of the RFPs the user may see that match, most recently changed first, and how many match in all. */
export async function searchRfpsVisibleTo(db: Executor, user: Viewer, filter: RfpListFilter): Promise<{ items: RfpListEntry[]; total: number }> {
  const [items, count] = await Promise.all([
    filtered(db, user, filter)
      .select(['rfp.id', 'rfp.reference', 'rfp.title', 'rfp.department', 'rfp.status', 'rfp.updated_at', 'rfp.proposals_due_at', 'rfp.evaluation_due_at', 'rfp_member.role as my_role'])
      .orderBy('rfp.updated_at', 'desc')
      .orderBy('rfp.reference')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    filtered(db, user, filter)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** The departments of the RFPs the user may see, for the department filter. */
export async function listDepartmentsVisibleTo(db: Executor, user: Viewer): Promise<string[]> {
  const rows = await visibleRfps(db, user).select('rfp.department').distinct().orderBy('rfp.department').execute();
  return rows.map((r) => r.department);
}

/** Whether the user may see any RFP at all (the empty list's message differs from "nothing matches"). */
export async function hasVisibleRfps(db: Executor, user: Viewer): Promise<boolean> {
  return (await visibleRfps(db, user).select('rfp.id').limit(1).executeTakeFirst()) !== undefined;
}
