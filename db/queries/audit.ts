import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { auditEventHash, type BrokenLink, type ChainedFields, type ChainHead, ChainVerifier, chainKey } from '../audit-chain';
import { nowIso } from '../ids';
import type { AuditEvent, Database } from '../schema';
import { insertInBatches } from './batch';

/** What listings read: every column but the salt, which never leaves the server. */
const LISTED_COLUMNS = ['id', 'seq', 'rfp_id', 'at', 'actor_id', 'actor_email', 'entity', 'entity_id', 'action', 'before_json', 'after_json', 'reason', 'prev_hash', 'hash'] as const;
/** What verification reads: the salt too, since the hash covers it. */
const CHAIN_COLUMNS = [...LISTED_COLUMNS, 'salt'] as const;

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

/** One event as the application records it: everything but its place in the chain. */
export type UnchainedAuditEvent = Omit<ChainedFields, 'seq' | 'prev_hash' | 'salt'>;

/**
 * Appends one event to the audit log. Call it with the same transaction as the change it records,
 * so the change and its record land together or not at all. The table refuses UPDATE and DELETE, and each event is
 * chained to the one before it in its RFP's chain (see db/audit-chain.ts).
 */
export async function recordAudit(db: Executor, actor: Actor, input: AuditInput): Promise<void> {
  await appendAuditEvents(db, [unchainedEvent(actor, input)]);
}

/** Records several events in order, in a few statements however many there are (one import's per-answer records). */
export async function recordAuditEvents(db: Executor, actor: Actor, inputs: readonly AuditInput[]): Promise<void> {
  await appendAuditEvents(
    db,
    inputs.map((input) => unchainedEvent(actor, input)),
  );
}

function unchainedEvent(actor: Actor, input: AuditInput): UnchainedAuditEvent {
  return {
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
  };
}

/**
 * Appends events in the order given, each chained to the last event of its chain. Reading a chain's head and
 * inserting after it happen in one transaction (a new one when `db` is not already one) while holding the chain's
 * lock, so concurrent writers queue instead of forking the chain; the unique (chain, seq) index refuses a fork anyway.
 */
export async function appendAuditEvents(db: Executor, events: readonly UnchainedAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAuditEvents(trx, events));
    return;
  }
  const byChain = new Map<string, UnchainedAuditEvent[]>();
  for (const e of events) {
    const key = chainKey(e.rfp_id);
    const list = byChain.get(key) ?? [];
    list.push(e);
    byChain.set(key, list);
  }
  // Chains are locked in one order by everyone, so two transactions that write to the same two chains cannot deadlock.
  for (const key of [...byChain.keys()].sort()) {
    await lockChain(db, key);
    const head = await readChainHead(db, key);
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? null;
    const rows = byChain.get(key)!.map((e) => {
      const fields: ChainedFields = { ...e, seq: ++seq, prev_hash: prevHash, salt: randomBytes(16).toString('hex') };
      prevHash = auditEventHash(fields);
      return { ...fields, hash: prevHash };
    });
    await insertInBatches(db, 'audit_event', rows);
  }
}

/**
 * Holds the chain until the transaction ends. PostgreSQL: a transaction-scoped advisory lock on a 64-bit key derived
 * from the chain. SQLite needs none: one connection runs one transaction at a time, and every transaction begins
 * IMMEDIATE (db/client.ts), holding the database's write lock against other processes from its first statement.
 */
async function lockChain(trx: Executor, key: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  const lockKey = createHash('sha256').update(`audit_event chain ${key}`).digest().readBigInt64BE(0);
  await sql`select pg_advisory_xact_lock(${lockKey.toString()}::bigint)`.execute(trx);
}

/** The same expression as the unique index `audit_event_chain_seq_uq`, so the index answers "the last event of a chain". */
const chainOf = sql<string>`coalesce(rfp_id, '')`;

async function readChainHead(db: Executor, key: string): Promise<ChainHead | null> {
  const row = await db
    .selectFrom('audit_event')
    .select(['seq', 'hash', 'at'])
    .where(chainOf, '=', key)
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.seq === null || row.hash === null) return null;
  return { seq: Number(row.seq), hash: row.hash, at: row.at };
}

/** The last event of an RFP's chain (`null`: the global chain), or null when the chain is empty. Not verified. */
export async function getAuditChainHead(db: Executor, rfpId: string | null): Promise<ChainHead | null> {
  return readChainHead(db, chainKey(rfpId));
}

export interface ChainVerification {
  /** Events checked and found intact (all of them when `broken` is null). */
  count: number;
  /** The last intact event. */
  head: ChainHead | null;
  broken: BrokenLink | null;
  /** When an expected head was given: whether an intact event of the chain has that hash. */
  expectedHeadFound?: boolean;
}

/**
 * Recomputes a chain from the raw stored rows (never a redacted view), oldest first, page by page, and names the first
 * broken link. `expectHash`: the head filed earlier (scorecard, portable file) — it must still be in the chain, which
 * catches events removed from the end and a chain rewritten from scratch.
 */
export async function verifyAuditChain(db: Executor, rfpId: string | null, options: { expectHash?: string } = {}): Promise<ChainVerification> {
  const key = chainKey(rfpId);
  const verifier = new ChainVerifier();
  const expected = options.expectHash?.toLowerCase();
  let expectedHeadFound = false;
  const pageSize = 2000;
  // Rows without a seq (inserted by hand) come first, so they are reported rather than skipped.
  const unchained = await db.selectFrom('audit_event').select(CHAIN_COLUMNS).where(chainOf, '=', key).where('seq', 'is', null).orderBy('id').limit(1).execute();
  for (const row of unchained) verifier.add(row);
  let after: { seq: number; id: number } | null = null;
  while (!verifier.broken) {
    let query = db.selectFrom('audit_event').select(CHAIN_COLUMNS).where(chainOf, '=', key).where('seq', 'is not', null);
    if (after) {
      const { seq, id } = after;
      query = query.where((eb) => eb.or([eb('seq', '>', seq), eb.and([eb('seq', '=', seq), eb('id', '>', id)])]));
    }
    const page = await query.orderBy('seq').orderBy('id').limit(pageSize).execute();
    for (const row of page) {
      if (!verifier.add(row)) break;
      if (expected !== undefined && row.hash === expected) expectedHeadFound = true;
    }
    if (page.length < pageSize) break;
    const last = page[page.length - 1]!;
    after = { seq: Number(last.seq), id: Number(last.id) };
  }
  return { count: verifier.count, head: verifier.head, broken: verifier.broken, ...(expected === undefined ? {} : { expectedHeadFound }) };
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
  let query = db.selectFrom('audit_event').select(LISTED_COLUMNS);
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
