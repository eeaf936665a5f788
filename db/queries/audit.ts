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
  /** One RFP's events; `null`: only the global log's (events of no RFP: accounts, the vendor registry). */
  rfpId?: string | null;
  actorEmail?: string;
  action?: string;
  /** Any of these actions (an action family); an empty list matches nothing. */
  actions?: readonly string[];
  entity?: string;
  /** Events about this one thing (with `entity`: a vendor's own entries). */
  entityId?: string;
  /** ISO-8601 instant: events at or after it. */
  from?: string;
  /** ISO-8601 instant: events strictly before it. */
  to?: string;
  /** Events with a smaller id than this (the next batch of a newest-first scan). */
  beforeId?: number;
  limit?: number;
  offset?: number;
}

function filteredAuditEvents(db: Executor, filter: AuditFilter) {
  let query = db.selectFrom('audit_event');
  if (filter.rfpId === null) query = query.where('rfp_id', 'is', null);
  else if (filter.rfpId) query = query.where('rfp_id', '=', filter.rfpId);
  if (filter.actorEmail) query = query.where('actor_email', '=', filter.actorEmail.toLowerCase());
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actions) query = filter.actions.length === 0 ? query.where(sql<boolean>`1 = 0`) : query.where('action', 'in', [...filter.actions]);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query;
}

/** Audit events, newest first; filtered inside the query. */
export async function listAuditEvents(db: Executor, filter: AuditFilter = {}): Promise<AuditEvent[]> {
  return filteredAuditEvents(db, filter)
    .select(LISTED_COLUMNS)
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 500)
    .offset(filter.offset ?? 0)
    .execute();
}

/** How many events the filter matches (limit and offset aside). */
export async function countAuditEvents(db: Executor, filter: AuditFilter = {}): Promise<number> {
  const row = await filteredAuditEvents(db, { ...filter, limit: undefined, offset: undefined })
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Who appears in an RFP's log (the actor filter's choices), in email order. */
export async function listAuditActors(db: Executor, rfpId: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_event').select('actor_email').distinct().where('rfp_id', '=', rfpId).where('actor_email', 'is not', null).orderBy('actor_email').execute();
  return rows.map((r) => r.actor_email!);
}

/** The ids of each kind a page of events mentions (app/audit/sentences.ts `auditNameRefs`). */
export interface AuditNameIds {
  userIds: ReadonlySet<string>;
  vendorIds: ReadonlySet<string>;
  submissionIds: ReadonlySet<string>;
  criterionIds: ReadonlySet<string>;
  questionIds: ReadonlySet<string>;
  sectionIds: ReadonlySet<string>;
  attachmentIds: ReadonlySet<string>;
}

export interface AuditNames {
  users: Map<string, { name: string; email: string }>;
  vendors: Map<string, string>;
  submissions: Map<string, string>;
  criteria: Map<string, { key: string; title: string }>;
  questions: Map<string, { key: string; text: string }>;
  sections: Map<string, { key: string; title: string }>;
  attachments: Map<string, { fileName: string; vendor: string }>;
}

/**
 * The names of everything a page of audit events mentions, in ONE query (a union of one select per kind), so a page
 * costs the same whatever its rows mention. Things of the RFP are read only from that RFP; people and vendors are
 * shared by every RFP. An id that no longer exists (a deleted question) is simply absent: the sentence falls back
 * to what the event's own payload says.
 */
export async function loadAuditNames(db: Executor, rfpId: string | null, ids: AuditNameIds): Promise<AuditNames> {
  const names: AuditNames = { users: new Map(), vendors: new Map(), submissions: new Map(), criteria: new Map(), questions: new Map(), sections: new Map(), attachments: new Map() };
  const kind = (name: string) => sql<string>`cast(${sql.lit(name)} as text)`.as('kind');
  const list = (set: ReadonlySet<string>) => [...set];
  const parts = [];
  if (ids.userIds.size > 0) parts.push(db.selectFrom('app_user').select([kind('user'), 'id', 'name as a', 'email as b']).where('id', 'in', list(ids.userIds)));
  if (ids.vendorIds.size > 0) parts.push(db.selectFrom('vendor').select([kind('vendor'), 'id', 'name as a', 'name as b']).where('id', 'in', list(ids.vendorIds)));
  if (rfpId !== null) {
    if (ids.submissionIds.size > 0)
      parts.push(
        db
          .selectFrom('submission')
          .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
          .select([kind('submission'), 'submission.id as id', 'vendor.name as a', 'vendor.name as b'])
          .where('submission.rfp_id', '=', rfpId)
          .where('submission.id', 'in', list(ids.submissionIds)),
      );
    if (ids.criterionIds.size > 0) parts.push(db.selectFrom('criterion').select([kind('criterion'), 'id', 'key as a', 'title as b']).where('rfp_id', '=', rfpId).where('id', 'in', list(ids.criterionIds)));
    if (ids.questionIds.size > 0) parts.push(db.selectFrom('question').select([kind('question'), 'id', 'key as a', 'text as b']).where('rfp_id', '=', rfpId).where('id', 'in', list(ids.questionIds)));
    if (ids.sectionIds.size > 0) parts.push(db.selectFrom('section').select([kind('section'), 'id', 'key as a', 'title as b']).where('rfp_id', '=', rfpId).where('id', 'in', list(ids.sectionIds)));
    if (ids.attachmentIds.size > 0)
      parts.push(
        db
          .selectFrom('attachment')
          .innerJoin('submission', 'submission.id', 'attachment.submission_id')
          .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
          .select([kind('attachment'), 'attachment.id as id', 'attachment.file_name as a', 'vendor.name as b'])
          .where('attachment.rfp_id', '=', rfpId)
          .where('attachment.id', 'in', list(ids.attachmentIds)),
      );
  }
  const [first, ...rest] = parts;
  if (!first) return names;
  const rows = await rest.reduce((query, part) => query.unionAll(part), first).execute();
  for (const { kind: k, id, a, b } of rows) {
    if (k === 'user') names.users.set(id, { name: a, email: b });
    else if (k === 'vendor') names.vendors.set(id, a);
    else if (k === 'submission') names.submissions.set(id, a);
    else if (k === 'criterion') names.criteria.set(id, { key: a, title: b });
    else if (k === 'question') names.questions.set(id, { key: a, text: b });
    else if (k === 'section') names.sections.set(id, { key: a, title: b });
    else if (k === 'attachment') names.attachments.set(id, { fileName: a, vendor: b });
  }
  return names;
}
