/**
 * `npm run bench`: one table, measured in one run on this machine.
 *
 * 1. The scoring engine (tests/bench/scoring-engine.ts): full results for 25 vendors × 60 criteria × 12 evaluators and
 *    100 × 200 × 30, Monte Carlo with 10,000 draws.
 * 2. The results page loader through HTTP: the real server (build/, the same process `npm start` runs) on a fresh
 *    SQLite file holding a synthetic evaluation of 25 vendors × 60 criteria × 12 evaluators (18,000 scores with
 *    rationales, status consensus so every drill-down is included), a signed-in lead, 30 timed GETs of the loader's
 *    data (`?_data=routes/rfps.$rfpId.results`) after a warm-up; p50 and p95 against 150 ms. The full HTML page is
 *    timed too, for information.
 * 3. The engine's share of that page time: `computeResults` on the very input the loader builds, from the same database.
 * 4. The Excel scorecard export (tests/bench/scorecard-export.ts): 25 vendors × 400 questions × 60 criteria × 12
 *    evaluators, time, peak memory and the ratio to a bare exceljs streaming write of the same cells.
 * 5. The questionnaire import (tests/bench/questionnaire-import.ts): a ~1 MB, 15-sheet workbook with whole-column
 *    validations and ~1,000 formulas — the old exceljs read against the direct OOXML reader (main thread and worker),
 *    upload → first preview, a mapping change on the stored grid, five uploads at once.
 * 6. Confirming a 1,500-question import (tests/bench/questionnaire-confirm.ts): the longest event-loop stall while the
 *    stored grid is previewed and saved, new and as updates, against 100 ms (not judged when the idle loop already stalls).
 *
 * 7. Throughput as ratios (tests/bench/load.ts): /healthz, 50 results-page viewers and 12 evaluators saving scores on
 *    the same server, on SQLite and on PostgreSQL, each against the /healthz throughput of the same run.
 * 8. The largest questionnaire import (5,000 questions) while another person polls the server
 *    (tests/bench/import-under-use.ts): their slowest answer against 200 ms, and against the idle server of the same run
 *    (measured before part 7, with parts 1–6).
 *
 * `npm run bench -- load` runs only part 7; `npm run bench -- --json FILE` also writes every figure to FILE as
 * `[{ "name", "value", "unit", "target", "ok" }]`.
 * Figures are printed, not asserted: the exit code is 1 when a target is missed, so a slow machine is visible.
 * BENCH_SKIP_BUILD=true skips `remix build` (otherwise the server is built first, so the bench measures the sources).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { loadScoringBundle } from '#db/queries/scoring-input';
import { computeResults } from '#scoring/index';
import { createEvaluation, syntheticEvaluationSpec } from '#tests/support/evaluation-factory';
import { startTestServer, Visitor } from '#tests/support/server';
import { type Figure, runLoadBench } from './load';
import { type BenchRow, runScoringBench } from './scoring-engine';
import { formatConfirmBench, runQuestionnaireConfirmBench, STALL_TARGET_MS } from './questionnaire-confirm';
import { formatQuestionnaireImportBench, runQuestionnaireImportBench } from './questionnaire-import';
import { runImportUnderUseBench } from './import-under-use';
import { formatScorecardBench, runScorecardExportBench } from './scorecard-export';
import { reportResultsPageWeight } from './results-page-weight';

const root = join(import.meta.dirname, '..', '..');
const SIZE = { vendors: 25, criteria: 60, evaluators: 12 };
const REQUESTS = 30;
const WARMUP = 5;
const PAGE_TARGET_MS = 150;

interface Row {
  name: string;
  /** Median (p50). */
  p50: number;
  p95: number | null;
  min: number;
  max: number;
  runs: number;
  target: string;
  ok: boolean | null;
}

function percentile(sorted: readonly number[], p: number): number {
  // Nearest-rank percentile: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function summarise(name: string, times: number[], target: number | null, targetText?: string): Row {
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  return {
    name,
    p50,
    p95,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    runs: sorted.length,
    target: targetText ?? (target === null ? '—' : `p50, p95 ≤ ${target}`),
    ok: target === null ? null : p50 <= target && p95 <= target,
  };
}

function fromEngine(r: BenchRow): Row {
  return { name: r.name, p50: r.medianMs, p95: null, min: r.minMs, max: r.maxMs, runs: r.runs, target: `median ≤ ${r.targetMs}`, ok: r.ok };
}

async function timedGet(visitor: Visitor, path: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const response = await visitor.get(path);
  const body = await response.arrayBuffer();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return { ms, bytes: body.byteLength };
}

function format(rows: readonly Row[]): string {
  const header = ['scenario', 'p50/median ms', 'p95 ms', 'min ms', 'max ms', 'runs', 'target ms', ''];
  const lines = rows.map((r) => [
    r.name,
    r.p50.toFixed(1),
    r.p95 === null ? '—' : r.p95.toFixed(1),
    r.min.toFixed(1),
    r.max.toFixed(1),
    String(r.runs),
    r.target,
    r.ok === null ? '' : r.ok ? 'ok' : 'SLOW',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}

function buildServer(): void {
  if (process.env.BENCH_SKIP_BUILD === 'true') return;
  execFileSync(process.execPath, [join(root, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js'), 'build'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

async function benchResultsPage(): Promise<{ rows: Row[]; notes: string[] }> {
  // The real server on a fresh SQLite file (never PostgreSQL here: the target is for the embedded default).
  process.env.TEST_DATABASE = 'sqlite';
  const server = await startTestServer();
  try {
    const handle = openDatabase(server.databaseUrl);
    let rfpId: string;
    let leadEmail: string;
    let engineTimes: number[];
    let scoreCount: number;
    try {
      const spec = syntheticEvaluationSpec(SIZE, 7);
      const created = await createEvaluation(handle.db, { ...spec, passwordHash: await hashPassword('demo-password') });
      rfpId = created.rfpId;
      leadEmail = created.lead.email;
      scoreCount = created.scoreCount;
      // The engine on exactly the input the loader builds.
      const rfp = await handle.db.selectFrom('rfp').selectAll().where('id', '=', rfpId).executeTakeFirstOrThrow();
      const bundle = await loadScoringBundle(handle.db, rfp);
      for (let i = 0; i < WARMUP; i++) computeResults(bundle.input);
      engineTimes = Array.from({ length: REQUESTS }, () => {
        const start = performance.now();
        computeResults(bundle.input);
        return performance.now() - start;
      });
    } finally {
      await handle.close();
    }

    const lead = new Visitor(server.baseUrl);
    await lead.login(leadEmail);
    const dataPath = `/rfps/${rfpId}/results?_data=routes/rfps.$rfpId.results`;
    for (let i = 0; i < WARMUP; i++) await timedGet(lead, dataPath);
    const data: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await timedGet(lead, dataPath);
      data.push(r.ms);
      bytes = r.bytes;
    }
    const htmlPath = `/rfps/${rfpId}/results`;
    await timedGet(lead, htmlPath);
    const html: number[] = [];
    let htmlBytes = 0;
    for (let i = 0; i < 10; i++) {
      const r = await timedGet(lead, htmlPath);
      html.push(r.ms);
      htmlBytes = r.bytes;
    }

    const size = `${SIZE.vendors} × ${SIZE.criteria} × ${SIZE.evaluators}`;
    const pageRow = summarise(`results page loader over HTTP, ${size}, SQLite (?_data)`, data, PAGE_TARGET_MS);
    const engineRow = summarise(`  computeResults on the loader's input (${size})`, engineTimes, null);
    const share = engineRow.p50 / pageRow.p50;
    engineRow.target = `share of page p50: ${(share * 100).toFixed(1)}% (< 50%)`;
    engineRow.ok = share < 0.5;
    const htmlRow = summarise(`results page HTML (server-rendered), ${size}`, html, null, 'for information');
    return {
      rows: [pageRow, engineRow, htmlRow],
      notes: [
        `${scoreCount.toLocaleString('en-US')} scores, each with a rationale in the database; above 3,000 scores the drill-downs carry scores and rationales are read one criterion at a time.`,
        `Loader data ${(bytes / 1024).toFixed(0)} KiB, HTML ${(htmlBytes / 1024).toFixed(0)} KiB (uncompressed sizes; the server sends them gzipped).`,
      ],
    };
  } finally {
    await server.stop();
  }
}

/** The throughput table: each figure with the baseline of the same run, the ratio to it, the target. */
function formatLoad(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'baseline (same run)', 'ratio', 'target', ''];
  const number = (value: number, unit: string) => `${value.toFixed(unit === 'ms' ? 1 : 0)} ${unit}`;
  const lines = figures.map((f) => [
    f.name,
    number(f.value, f.unit),
    f.baseline ? `${number(f.baseline.value, f.baseline.unit)}` : '—',
    f.ratio === null || f.ratio === undefined ? '—' : f.ratio.toFixed(2),
    f.target ?? '—',
    f.ok === null ? '' : f.ok ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}

/** A figure from a printed value such as "412 ms" or "1.42 ×": its leading number and the unit after it. */
function figureFromText(row: { name: string; value: string; target: string; ok: boolean | null }): Figure | null {
  const match = /^\s*(-?[\d,]+(?:\.\d+)?)\s*(\S*)/.exec(row.value);
  if (!match) return null;
  return { name: row.name.trim(), value: Number(match[1]!.replace(/,/g, '')), unit: match[2] ?? '', target: row.target || null, ok: row.ok };
}

function figuresOfRows(rows: readonly Row[]): Figure[] {
  return rows.flatMap((r) => {
    const target = r.target === '—' ? null : r.target;
    const p50: Figure = { name: `${r.name.trim()} (p50)`, value: r.p50, unit: 'ms', target, ok: r.ok };
    return r.p95 === null ? [p50] : [p50, { name: `${r.name.trim()} (p95)`, value: r.p95, unit: 'ms', target, ok: r.ok }];
  });
}

/** `--json FILE` and `load` from the command line (after `npm run bench --`). */
function parseArgs(args: readonly string[]): { loadOnly: boolean; jsonFile: string | null } {
  let jsonFile: string | null = null;
  let loadOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') {
      jsonFile = args[++i] ?? null;
      if (!jsonFile) throw new Error('--json needs a file name: npm run bench -- --json figures.json');
    } else if (arg === 'load') {
      loadOnly = true;
    } else {
      throw new Error(`Unknown argument "${arg}". Usage: npm run bench [-- [load] [--json FILE]]`);
    }
  }
  return { loadOnly, jsonFile };
}

async function main(): Promise<void> {
  const { loadOnly, jsonFile } = parseArgs(process.argv.slice(2));
  console.log('Building the server…');
  buildServer();
  const figures: Figure[] = [];
  if (!loadOnly) {
    console.log('Measuring the scoring engine…');
    const engine = runScoringBench().map(fromEngine);
    console.log('Measuring the results page (starting the server, loading 25 × 60 × 12)…');
    const page = await benchResultsPage();
    const rows = [...engine, ...page.rows];
    console.log('Measuring the scorecard export (25 × 400 × 60 × 12, in child processes; see tests/bench/scorecard-export.ts)…');
    const scorecard = await runScorecardExportBench();
    console.log('Measuring the questionnaire import (a ~1 MB, 15-sheet workbook; the old exceljs read for comparison)…');
    const questionnaireImport = await runQuestionnaireImportBench();
    console.log('Measuring the event loop while 1,500 imported questions are confirmed…');
    const confirm = await runQuestionnaireConfirmBench();
    console.log('Measuring another person\'s requests while 5,000 questions are imported…');
    const underUse = await runImportUnderUseBench();
    console.log('');
    console.log(format(rows));
    for (const note of page.notes) console.log(note);
    console.log('');
    console.log(formatScorecardBench(scorecard));
    console.log('');
    console.log(formatQuestionnaireImportBench(questionnaireImport));
    console.log('');
    console.log(formatConfirmBench(confirm));
    console.log('');
    console.log(formatLoad(underUse));
    figures.push(...(await reportResultsPageWeight()));
    figures.push(
      ...figuresOfRows(rows),
      ...[...scorecard, ...questionnaireImport].flatMap((r) => figureFromText(r) ?? []),
      ...confirm.map((r) => ({ name: `${r.name}: longest event-loop stall`, value: r.longestStallMs, unit: 'ms', target: r.ok === null ? null : `≤ ${STALL_TARGET_MS} ms`, ok: r.ok })),
      ...underUse,
    );
  }
  console.log('Measuring throughput (tests/bench/load.ts)…');
  const load = await runLoadBench();
  console.log('');
  console.log(formatLoad(load));
  figures.push(...load);
  if (jsonFile) {
    writeFileSync(jsonFile, `${JSON.stringify(figures.map(({ name, value, unit, target, ok }) => ({ name, value, unit, target, ok })), null, 2)}\n`);
    console.log(`\n${figures.length} figures written to ${jsonFile}.`);
  }
  if (figures.some((f) => f.ok === false)) process.exitCode = 1;
}
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
