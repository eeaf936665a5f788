/**
 * The scoring engine's outcome, computed once per change of its inputs and shared by every page, export and app
 * process (issue 13, item 2).
 *
 * Key: the RFP, its `results_version` (bumped by triggers in every writing transaction: migration 12) and the engine
 * options. Each entry also carries the SHA-256 of the engine input it was computed from, and a hit needs that hash to
 * match the input just loaded, so a change the version missed costs a recomputation, never a stale result.
 *
 * What is cached is the engine's own, unredacted outcome: it holds no rationale and no reader's view. Confidentiality
 * is applied per reader afterwards (app/confidentiality/panel.ts), to a fresh copy every time.
 *
 * Two levels: an in-process LRU of serialised outcomes in front of the `results_cache` table. A concurrent compute
 * by two processes is harmless: both store the same outcome for the same input; an older version never replaces a
 * newer one.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { tryComputeResults, type ScoringInput, type ScoringOptions, type ScoringOutcome } from '../../scoring/index';
import type { Database } from '../schema';

type Executor = Kysely<Database> | Transaction<Database>;

/** Outcomes kept per process; a large RFP's outcome is about a megabyte of JSON. */
const LRU_ENTRIES = 32;

interface Entry {
  inputSha256: string;
  payload: string;
}

const lru = new Map<string, Entry>();

/** Hits and misses of this process, for the bench and the tests. */
export const resultsCacheStats = { memoryHits: 0, databaseHits: 0, computed: 0 };

/** Empties this process's LRU (the shared table stays), e.g. for a test that plays a second process. */
export function clearResultsMemoryCache(): void {
  lru.clear();
}

/**
 * `tryComputeResults(input)` for the RFP `rfpId`, from the cache when its inputs have not changed.
 * Returns a fresh object each call: callers may change it.
 */
export async function computeOutcomeCached(db: Executor, rfpId: string, input: ScoringInput): Promise<ScoringOutcome> {
  const variant = stableJson(input.options ?? {});
  const inputSha256 = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const version = await readResultsVersion(db, rfpId);
  if (version === null) return tryComputeResults(input);
  const key = `${rfpId}|${version}|${variant}`;

  const inMemory = lru.get(key);
  if (inMemory && inMemory.inputSha256 === inputSha256) {
    lru.delete(key);
    lru.set(key, inMemory);
    resultsCacheStats.memoryHits += 1;
    return decodeOutcome(inMemory.payload);
  }

  const stored = await db
    .selectFrom('results_cache')
    .select(['payload', 'input_sha256'])
    .where('rfp_id', '=', rfpId)
    .where('variant', '=', variant)
    .where('version', '=', version)
    .executeTakeFirst();
  if (stored && stored.input_sha256 === inputSha256) {
    remember(key, { inputSha256, payload: stored.payload });
    resultsCacheStats.databaseHits += 1;
    return decodeOutcome(stored.payload);
  }

  const outcome = tryComputeResults(input);
  resultsCacheStats.computed += 1;
  const payload = encodeOutcome(outcome);
  remember(key, { inputSha256, payload });
  await db
    .insertInto('results_cache')
    .values({ rfp_id: rfpId, variant, version, input_sha256: inputSha256, payload, computed_at: new Date().toISOString() })
    .onConflict((oc) =>
      oc
        .columns(['rfp_id', 'variant'])
        .doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          input_sha256: eb.ref('excluded.input_sha256'),
          payload: eb.ref('excluded.payload'),
          computed_at: eb.ref('excluded.computed_at'),
        }))
        .where((eb) => eb('results_cache.version', '<=', eb.ref('excluded.version'))),
    )
    .execute();
  return decodeOutcome(payload);
}

async function readResultsVersion(db: Executor, rfpId: string): Promise<number | null> {
  const row = await db.selectFrom('rfp').select('results_version').where('id', '=', rfpId).executeTakeFirst();
  return row ? Number(row.results_version) : null;
}

function remember(key: string, entry: Entry): void {
  lru.delete(key);
  lru.set(key, entry);
  while (lru.size > LRU_ENTRIES) {
    const oldest = lru.keys().next().value;
    if (oldest === undefined) break;
    lru.delete(oldest);
  }
}

/** JSON with sorted keys, so equal options give one variant. */
function stableJson(value: ScoringOptions): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
}

// JSON has no NaN or ±Infinity; the engine's figures may be either, so they travel as tagged strings.
const NON_FINITE: Record<string, number> = { '\u0000NaN': Number.NaN, '\u0000Infinity': Number.POSITIVE_INFINITY, '\u0000-Infinity': Number.NEGATIVE_INFINITY };

export function encodeOutcome(outcome: ScoringOutcome): string {
  return JSON.stringify(outcome, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? `\u0000${String(value)}` : value));
}

export function decodeOutcome(payload: string): ScoringOutcome {
  return JSON.parse(payload, (_key, value: unknown) => (typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value)) as ScoringOutcome;
}
