/**
 * The audit log's hash chain: what makes a rewritten log detectable, even by someone who can bypass the triggers.
 *
 * Each RFP's events form one chain, and the events without an RFP (accounts, vendors in the registry) form the global
 * chain. Event n stores `seq` = n, the hash of event n − 1 (`prev_hash`, null for the first) and its own `hash`: SHA-256
 * over a canonical serialisation of every stored field plus `prev_hash` and a secret random `salt` (so the hash of a
 * score entry shown redacted cannot be used to guess its value). Changing, removing or re-ordering an event
 * breaks the link to it; rewriting the whole chain changes its head, which the scorecard and the portable file carry.
 *
 * The hash covers the chain position (`seq`), not the database's `id`: the id is only known after the insert, and the
 * position is what a reader relies on. Pure functions only — the database side is in queries/audit.ts.
 */
import { createHash } from 'node:crypto';

/** The fields an event's hash covers, exactly as stored. */
export interface ChainedFields {
  rfp_id: string | null;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  entity: string;
  entity_id: string | null;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string | null;
  /** Random per event, secret: see AuditEventTable.salt. */
  salt: string | null;
}

/**
 * Names the serialisation, so a future change of it is a new version rather than a silent break.
 * Frozen: migration 2026-12-02-02-audit-chain computes the same bytes for the events it backfills.
 */
const CHAIN_FORMAT = 'ai-vendor-workbench/audit-event/v1';

/** The canonical bytes: a JSON array in a fixed order (no key order to depend on, strings escaped unambiguously). */
export function canonicalAuditEvent(e: ChainedFields): string {
  return JSON.stringify([
    CHAIN_FORMAT,
    e.rfp_id,
    e.seq,
    e.at,
    e.actor_id,
    e.actor_email,
    e.entity,
    e.entity_id,
    e.action,
    e.before_json,
    e.after_json,
    e.reason,
    e.prev_hash,
    e.salt,
  ]);
}

/** Lower-case hex SHA-256 of the event's canonical serialisation. */
export function auditEventHash(e: ChainedFields): string {
  return createHash('sha256').update(canonicalAuditEvent(e), 'utf8').digest('hex');
}

/** The key of the chain an event belongs to: its RFP, or '' for the global chain. Same expression as the unique index. */
export function chainKey(rfpId: string | null): string {
  return rfpId ?? '';
}

/** The last event of a chain: what the scorecard and the portable file carry. */
export interface ChainHead {
  seq: number;
  hash: string;
  at: string;
}

/** One stored row as verification reads it: the chain columns may be missing on a row a DBA inserted by hand. */
export interface StoredChainRow extends Omit<ChainedFields, 'seq'> {
  id: number;
  seq: number | null;
  hash: string | null;
}

export type ChainBreak =
  | 'hash mismatch'
  | 'prev link mismatch'
  | 'missing seq'
  | 'duplicate seq'
  | 'not chained';

export interface BrokenLink {
  kind: ChainBreak;
  /** The event at which the chain stops holding (for a missing seq: the first event after the gap). */
  event: { id: number; seq: number | null; at: string; action: string };
  /** What is wrong, in a sentence. */
  detail: string;
}

/**
 * Checks a chain incrementally, one row at a time in `seq` order (then id), so a long log is verified page by page.
 * Stops at the first broken link.
 */
export class ChainVerifier {
  private previous: { seq: number; hash: string } | null = null;
  private last: ChainHead | null = null;
  private events = 0;
  broken: BrokenLink | null = null;

  /** Returns false once the chain is broken (further rows are ignored). */
  add(row: StoredChainRow): boolean {
    if (this.broken) return false;
    const event = { id: Number(row.id), seq: row.seq === null ? null : Number(row.seq), at: row.at, action: row.action };
    const fail = (kind: ChainBreak, detail: string) => {
      this.broken = { kind, event, detail };
      return false;
    };
    if (event.seq === null || row.hash === null) return fail('not chained', 'the event has no place in the chain (no seq or hash): it was inserted outside the application');
    const expected = (this.previous?.seq ?? 0) + 1;
    if (event.seq < expected) return fail('duplicate seq', `seq ${event.seq} appears more than once`);
    if (event.seq > expected) {
      const missing = event.seq - expected === 1 ? `seq ${expected} is missing` : `seq ${expected}–${event.seq - 1} are missing`;
      return fail('missing seq', `${missing}: events before this one were removed`);
    }
    const prevHash = this.previous?.hash ?? null;
    if (row.prev_hash !== prevHash) {
      return fail('prev link mismatch', `its prev_hash ${short(row.prev_hash)} is not the hash of seq ${expected - 1} (${short(prevHash)})`);
    }
    const recomputed = auditEventHash({ ...row, seq: event.seq });
    if (recomputed !== row.hash) {
      return fail('hash mismatch', `its stored fields no longer match its hash (stored ${short(row.hash)}, recomputed ${short(recomputed)}): the event was altered`);
    }
    this.previous = { seq: event.seq, hash: row.hash };
    this.last = { seq: event.seq, hash: row.hash, at: row.at };
    this.events++;
    return true;
  }

  /** Events verified so far (all of them when the chain is intact). */
  get count(): number {
    return this.events;
  }

  get head(): ChainHead | null {
    return this.last;
  }
}

function short(hash: string | null): string {
  return hash === null ? 'none' : hash.slice(0, 12);
}

/** What `workbench audit verify` says about a verified chain: one line, and whether it holds. */
export function describeChainVerification(
  chain: string,
  result: { count: number; head: ChainHead | null; broken: BrokenLink | null; expectedHeadFound?: boolean },
  expectHash?: string,
): { ok: boolean; line: string } {
  const { broken, head } = result;
  if (broken) {
    const e = broken.event;
    return {
      ok: false,
      line:
        `${chain}: chain broken at seq ${e.seq ?? '(none)'} (event id ${e.id}, ${e.at}, ${e.action}): ${broken.kind} — ${broken.detail}. ` +
        `${result.count} event${result.count === 1 ? '' : 's'} before it verify.`,
    };
  }
  const intact = `${result.count} event${result.count === 1 ? '' : 's'}, chain intact, head ${head ? `seq ${head.seq} ${head.hash} (${head.at})` : 'none (no events)'}`;
  if (expectHash !== undefined && !result.expectedHeadFound) {
    return {
      ok: false,
      line: `${chain}: ${intact}, but the filed head ${expectHash} is not in the chain: the log was rewritten, or events were removed, after that head was filed.`,
    };
  }
  return { ok: true, line: `${chain}: ${intact}${expectHash !== undefined ? `; the filed head ${expectHash.slice(0, 12)}… is in the chain` : ''}.` };
}
