/**
 * Throughput as ratios, measured in one run (`npm run bench -- load`): the real server (build/, started as `npm start`
 * starts it) on a SQLite file and on a PostgreSQL database, loaded by virtual users in this process over loopback
 * (fetch with keep-alive), each phase bounded by a duration and a request count.
 *
 * Per database:
 * - the baseline: `/healthz` requests per second with 50 concurrent clients (a route that asks the database one
 *   trivial question), p50/p99;
 * - 50 concurrent viewers of the demo RFP's results page (the server-rendered HTML a browser opens), spread over the
 *   lead, the leadership reader, the admin and the three demo evaluators, each with a session of their own; pages/s,
 *   the ratio to the baseline (target ≥ 0.25), p50/p99;
 * - 12 concurrent evaluators saving scores: an RFP in evaluation with 12 assigned, attested evaluators; each signs in
 *   and scores one vendor on their own scoresheet, criterion after criterion, as the scoring screen does with
 *   JavaScript on — the form post (same-origin, `?_data=`, the version the screen showed), then the data the browser
 *   reloads after it. One save is that whole round; saves/s, the ratio (≥ 0.5 on SQLite, ≥ 0.35 on PostgreSQL), p50/p99.
 *
 * PostgreSQL: TEST_POSTGRES_ADMIN_URL when set (with TEST_POSTGRES_TEMPLATE, a migrated template database), otherwise
 * a throwaway cluster like the test runner's, stopped afterwards.
 */
import { strict as assert } from 'node:assert';
import { openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { createEvaluation } from '#tests/support/evaluation-factory';
import { TEMPLATE_DATABASE, withMigratedTemplate } from '#tests/support/postgres-cluster';
import { startTestServer, type TestServer, Visitor } from '#tests/support/server';

/** One figure of the bench, as `--json FILE` writes it; `baseline`/`ratio` are for the printed table. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target: string | null;
  ok: boolean | null;
  baseline?: { name: string; value: number; unit: string } | null;
  ratio?: number | null;
}

type Dialect = 'sqlite' | 'postgres';

const VIEWERS = 50;
const EVALUATORS = 12;
const CRITERIA_PER_SHEET = 12;
/** Each phase: a short warm-up, then measured until the duration or the request count is reached, whichever first. */
const WARMUP_MS = 1_000;
const PHASE_MS = 6_000;
const PHASE_MAX_REQUESTS = 20_000;
const TARGETS: Record<Dialect, { results: number; saves: number }> = {
  sqlite: { results: 0.25, saves: 0.5 },
  postgres: { results: 0.25, saves: 0.35 },
};

interface PhaseResult {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? NaN;
}

/**
 * Runs `users` virtual users, each repeating `task(user)` back to back: a warm-up of WARMUP_MS, then a window of
 * PHASE_MS (closed early after PHASE_MAX_REQUESTS). Throughput counts the tasks that complete inside the window,
 * whenever they started, so slow pages are not undercounted; latencies are those tasks' times. A failed task fails
 * the bench: a figure made of error pages would be meaningless.
 */
async function phase(users: number, task: (user: number) => Promise<void>): Promise<PhaseResult> {
  const start = performance.now() + WARMUP_MS;
  let ends = start + PHASE_MS;
  const times: number[] = [];
  const loop = async (user: number) => {
    while (performance.now() < ends) {
      const t0 = performance.now();
      await task(user);
      const t1 = performance.now();
      if (t1 >= start && t1 <= ends) {
        times.push(t1 - t0);
        if (times.length >= PHASE_MAX_REQUESTS) ends = t1;
      }
    }
  };
  await Promise.all(Array.from({ length: users }, (_, u) => loop(u)));
  const sorted = times.sort((a, b) => a - b);
  return { count: sorted.length, perSecond: (sorted.length / (ends - start)) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function expectOk(response: Response, what: string): Promise<void> {
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}`);
}

interface Scoring {
  rfpId: string;
  evaluators: Array<{ email: string; submissionId: string; criterionIds: string[] }>;
}

/** An RFP in evaluation: 12 assigned, attested evaluators, 4 vendors, 12 scored criteria, no score yet. */
async function createScoringRfp(databaseUrl: string): Promise<Scoring> {
  const handle = openDatabase(databaseUrl);
  try {
    const criteria = Array.from({ length: CRITERIA_PER_SHEET }, (_, c) => ({ key: `C-${c + 1}`, title: `Criterion ${c + 1}`, kind: 'scored' as const, points: 5 }));
    const created = await createEvaluation(handle.db, {
      reference: 'LOAD-SCORING',
      status: 'evaluation',
      sections: [
        { key: 'quality', title: 'Quality', criteria: criteria.slice(0, 6) },
        { key: 'delivery', title: 'Delivery', criteria: criteria.slice(6) },
      ],
      vendors: ['Alpha', 'Beta', 'Gamma', 'Delta'].map((name) => ({ name: `${name} Systems` })),
      evaluators: Array.from({ length: EVALUATORS }, (_, e) => ({ name: `Load Evaluator ${e + 1}` })),
      score: () => null,
      sheet: () => null,
      passwordHash: await hashPassword('demo-password'),
    });
    return {
      rfpId: created.rfpId,
      evaluators: created.evaluators.map((e, i) => ({
        email: e.email,
        submissionId: created.vendors[i % created.vendors.length]!.submissionId,
        criterionIds: created.criteria.map((c) => c.id),
      })),
    };
  } finally {
    await handle.close();
  }
}

async function demoRfpId(databaseUrl: string): Promise<string> {
  const handle = openDatabase(databaseUrl);
  try {
    const rfp = await handle.db.selectFrom('rfp').select('id').where('reference', '!=', 'LOAD-SCORING').executeTakeFirstOrThrow();
    return rfp.id;
  } finally {
    await handle.close();
  }
}

const EVALUATE_ROUTE = 'routes/rfps.$rfpId.evaluate.$submissionId';

/**
 * One evaluator's scoring screen, driven as the browser drives it: Remix posts the form to the action with
 * `?_data=<route>`, reads the redirect from `X-Remix-Redirect`, then loads the data of the redirect's routes (root and
 * the scoring screen) in parallel.
 */
class ScoringClient {
  private readonly visitor: Visitor;
  private readonly versions = new Map<string, number>();
  private next = 0;
  private round = 0;
  constructor(
    baseUrl: string,
    private readonly rfpId: string,
    private readonly sheet: Scoring['evaluators'][number],
  ) {
    this.visitor = new Visitor(baseUrl);
  }

  get page(): string {
    return `/rfps/${this.rfpId}/evaluate/${this.sheet.submissionId}`;
  }

  async open(): Promise<void> {
    await this.visitor.login(this.sheet.email);
    const response = await this.visitor.get(`${this.page}?_data=${encodeURIComponent(EVALUATE_ROUTE)}`);
    if (response.status !== 200) throw new Error(`The scoring screen answered ${response.status}`);
    const data = (await response.json()) as { readOnlyBecause: string | null; sections: Array<{ criteria: Array<{ id: string; score: { version: number } | null }> }> };
    if (data.readOnlyBecause) throw new Error(`The scoring screen is read-only: ${data.readOnlyBecause}`);
    for (const c of data.sections.flatMap((s) => s.criteria)) this.versions.set(c.id, c.score?.version ?? 0);
    assert.equal(this.versions.size, this.sheet.criterionIds.length, 'every criterion is on the scoring screen');
  }

  async save(): Promise<void> {
    const ids = this.sheet.criterionIds;
    const index = this.next;
    this.next = (index + 1) % ids.length;
    if (this.next === 0) this.round++;
    const criterionId = ids[index]!;
    const version = this.versions.get(criterionId) ?? 0;
    const response = await this.visitor.post(`${this.page}?_data=${encodeURIComponent(EVALUATE_ROUTE)}`, {
      intent: 'score',
      criterionId,
      version: String(version),
      value: String((this.round + index) % 6),
      rationale: `Round ${this.round}: the response shows the evidence the rubric asks for at this level, with references.`,
      next: ids[this.next]!,
    });
    const redirectTo = response.headers.get('x-remix-redirect');
    const body = await response.text();
    if (response.status !== 204 || !redirectTo) throw new Error(`A score save answered ${response.status}: ${body.slice(0, 300)}`);
    await this.reload(redirectTo);
    this.versions.set(criterionId, version + 1);
  }

  private async reload(path: string): Promise<void> {
    const url = new URL(path, this.visitor.baseUrl);
    const routes = ['root', EVALUATE_ROUTE];
    await Promise.all(
      routes.map(async (route) => {
        url.searchParams.set('_data', route);
        const response = await this.visitor.get(`${url.pathname}${url.search}`);
        await expectOk(response, `The reload of ${route} after a save`);
      }),
    );
  }
}

/** One measured phase: what it is, its unit, and its target as a share of the same run's /healthz (none for /healthz). */
interface PhaseSpec {
  name: string;
  unit: string;
  /** `${label},` is appended for the latency rows' names. */
  short: string;
  target: number | null;
  users: number;
  task: (user: number) => Promise<void>;
  /** Sessions and data the phase needs, made before it is timed. */
  prepare?: () => Promise<void>;
}

/** Runs the phases one after the other on one server; the first is the baseline every other phase is divided by. */
async function runPhases(label: string, specs: readonly PhaseSpec[]): Promise<Figure[]> {
  const measured: Array<{ spec: PhaseSpec; result: PhaseResult }> = [];
  for (const spec of specs) {
    await spec.prepare?.();
    measured.push({ spec, result: await phase(spec.users, spec.task) });
  }
  const healthz = measured[0]!.result;
  const baseline = { name: measured[0]!.spec.name, value: healthz.perSecond, unit: measured[0]!.spec.unit };
  return measured.flatMap(({ spec, result }, index): Figure[] => {
    const isBaseline = index === 0;
    const ratio = result.perSecond / healthz.perSecond;
    const latency = (p: 'p50' | 'p99'): Figure => ({
      name: `${spec.short}, ${label}, ${p}`,
      value: result[p],
      unit: 'ms',
      target: null,
      ok: null,
      baseline: isBaseline ? null : { name: `healthz ${p}`, value: healthz[p], unit: 'ms' },
      ratio: null,
    });
    return [
      {
        name: spec.name,
        value: result.perSecond,
        unit: spec.unit,
        target: spec.target === null ? null : `≥ ${spec.target} × healthz`,
        ok: spec.target === null ? null : ratio >= spec.target,
        baseline: isBaseline ? null : baseline,
        ratio: isBaseline ? null : ratio,
      },
      latency('p50'),
      latency('p99'),
    ];
  });
}

async function measureServer(dialect: Dialect, server: TestServer): Promise<Figure[]> {
  const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const base = server.baseUrl;
  const target = TARGETS[dialect];

  // Results page viewers: the demo RFP at consensus, people who may read results, one session each.
  const readers = ['officer@city.example', 'leader@city.example', 'admin@city.example', 'evaluator1@city.example', 'evaluator2@city.example', 'evaluator3@city.example'];
  const viewers: Visitor[] = [];
  let resultsPath = '';
  // Evaluators saving scores, each on their own sheet.
  let clients: ScoringClient[] = [];

  return runPhases(label, [
    {
      // The same server, no session, the cheapest database round trip.
      name: `/healthz, ${VIEWERS} concurrent, ${label}`,
      short: '/healthz',
      unit: 'req/s',
      target: null,
      users: VIEWERS,
      task: async () => expectOk(await fetch(`${base}/healthz`), '/healthz'),
    },
    {
      name: `results page, ${VIEWERS} viewers of the demo RFP, ${label}`,
      short: 'results page',
      unit: 'pages/s',
      target: target.results,
      users: VIEWERS,
      prepare: async () => {
        resultsPath = `/rfps/${await demoRfpId(server.databaseUrl)}/results`;
        for (let v = 0; v < VIEWERS; v++) {
          const visitor = new Visitor(base);
          await visitor.login(readers[v % readers.length]!);
          viewers.push(visitor);
        }
      },
      task: async (v) => expectOk(await viewers[v]!.get(resultsPath), 'The results page'),
    },
    {
      name: `score saves, ${EVALUATORS} evaluators on their own sheets, ${label}`,
      short: 'score saves',
      unit: 'saves/s',
      target: target.saves,
      users: EVALUATORS,
      prepare: async () => {
        const scoring = await createScoringRfp(server.databaseUrl);
        clients = scoring.evaluators.map((sheet) => new ScoringClient(base, scoring.rfpId, sheet));
        for (const client of clients) await client.open();
      },
      task: (e) => clients[e]!.save(),
    },
  ]);
}

async function withPostgresAdmin<T>(fn: (adminUrl: string, template: string) => Promise<T>): Promise<T> {
  const given = process.env.TEST_POSTGRES_ADMIN_URL;
  if (given) return fn(given, process.env.TEST_POSTGRES_TEMPLATE ?? TEMPLATE_DATABASE);
  return withMigratedTemplate(fn);
}

async function onServer(dialect: Dialect, env: Record<string, string>): Promise<Figure[]> {
  const saved = { TEST_DATABASE: process.env.TEST_DATABASE, TEST_POSTGRES_ADMIN_URL: process.env.TEST_POSTGRES_ADMIN_URL, TEST_POSTGRES_TEMPLATE: process.env.TEST_POSTGRES_TEMPLATE };
  Object.assign(process.env, { TEST_DATABASE: dialect, ...env });
  try {
    // The demo at consensus: its results page is complete; login throttling is per failure, never reached here.
    const server = await startTestServer({ DEMO_STAGE: 'consensus' });
    try {
      return await measureServer(dialect, server);
    } finally {
      await server.stop();
    }
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The load figures on SQLite, then on PostgreSQL. The server must be built (run.ts builds it). */
export async function runLoadBench(log: (line: string) => void = console.log): Promise<Figure[]> {
  log(`  SQLite: /healthz, ${VIEWERS} results-page viewers, ${EVALUATORS} evaluators saving scores…`);
  const sqlite = await onServer('sqlite', {});
  log('  PostgreSQL: the same…');
  const postgres = await withPostgresAdmin((adminUrl, template) => onServer('postgres', { TEST_POSTGRES_ADMIN_URL: adminUrl, TEST_POSTGRES_TEMPLATE: template }));
  return [...sqlite, ...postgres];
}
