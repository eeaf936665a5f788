import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../ids';
import type { AuditEvent, Database } from '../schema';

export type Executor = Kysely<Database> | Transaction<Database>;

/** Who did something. `null` id for the system (CLI, demo seed). */
export interface Actor {
  id: string | null;
  email: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, email: 'system' };

export interface AuditInput {
  rfpId?: string | null;
  entity: string;
  entityId?: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Appends one event to the audit log. Call it with the same transaction as the change it records,
 * so the change and its record land together or not at all. The table refuses UPDATE and DELETE.
 */
export async function recordAudit(db: Executor, actor: Actor, input: AuditInput): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      at: nowIso(),
      actor_id: actor.id,
      actor_email: actor.email,
      rfp_id: input.rfpId ?? null,
      entity: input.entity,
      entity_id: input.entityId ?? null,
      action: input.action,
      before_json: input.before === undefined ? null : JSON.stringify(input.before),
      after_json: input.after === undefined ? null : JSON.stringify(input.after),
      reason: input.reason ?? null,
    })
    .execute();
}

export interface AuditFilter {
  rfpId?: string;
  actorEmail?: string;
  action?: string;
  /** ISO-8601 instant: events at or after it. */
  from?: string;
  /** ISO-8601 instant: events strictly before it. */
  to?: string;
  limit?: number;
}

/** Audit events, newest first; filtered inside the query. */
export async function listAuditEvents(db: Executor, filter: AuditFilter = {}): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_event').selectAll();
  if (filter.rfpId) query = query.where('rfp_id', '=', filter.rfpId);
  if (filter.actorEmail) query = query.where('actor_email', '=', filter.actorEmail.toLowerCase());
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  return query
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
}
