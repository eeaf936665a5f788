/**
 * Scorecard export benchmark: `npx tsx tests/bench/scorecard-export.ts` (also part of `npm run bench`).
 *
 * An evaluation of 25 vendors × 400 questions × 60 criteria × 12 evaluators (18,000 scores with rationales, 10,000
 * answers of a few hundred characters, 3,000 audit events) is written to a SQLite file, then measured in child processes,
 * so each figure is the child's own:
 * - **memory**: a fresh process opens the database and exports once; its peak resident set (getrusage maxRSS, which
 *   includes Node, tsx and the open database) and the V8 heap sampled every 5 ms while it works. Target ≤ 300 MB.
 * - **time**: another process exports several times after a warm-up and reports medians of
 *   (a) the whole export — database reads, the engine with its 10,000-draw Monte Carlo, the workbook — target ≤ 3 s;
 *   (b) writing the workbook from data already in memory; and
 *   (c) a bare exceljs streaming write of the very same cells (read back from the export: same values, same formulas,
 *       shared strings, no styles, no text guard, no row heights) — target: (b) ≤ 1.5 × (c).
 *   Runs are interleaved, each after a garbage collection (the child runs with --expose-gc).
 * `runScorecardExportBench()` returns the rows; run directly, it prints them and exits 1 when a target is missed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { loadScorecardData, type ScorecardViewer } from '#app/xlsx/scorecard-data.server';
import { PanelViewer } from '#app/confidentiality/panel';
import { buildScorecardWorkbook, writeScorecardWorkbook } from '#app/xlsx/scorecard-workbook.server';
import { openDatabase } from '#db/client';
import { newId, nowIso } from '#db/ids';
import { migrateToLatest } from '#db/migrate';
import { appendAuditEvents } from '#db/queries/audit';
import { mulberry32 } from '#scoring/index';
import { createEvaluation, syntheticEvaluationSpec } from '#tests/support/evaluation-factory';

const root = join(import.meta.dirname, '..', '..');
const thisFile = fileURLToPath(import.meta.url);
export const SCORECARD_BENCH_SIZE = { vendors: 25, questions: 400, criteria: 60, evaluators: 12, auditEvents: 3_000 };
const TARGET_MS = 3_000;
const TARGET_MB = 300;
const TARGET_RATIO = 1.5;
const RUNS = 5;
const VIEWER: ScorecardViewer = { name: 'Bench Lead', email: 'lead@city.example', canReadResponses: true, canReadAudit: true, panel: PanelViewer.oversight('consensus') };

export interface ScorecardBenchRow {
  name: string;
  value: string;
  target: string;
  ok: boolean | null;
}

// ---------------------------------------------------------------------------------------------------------------------
// The evaluation

async function insertChunked(db: ReturnType<typeof openDatabase>['db'], table: 'question' | 'answer', rows: unknown[], columns: number) {
  const size = Math.max(1, Math.floor(5000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

const WORDS = 'the vendor provides model cards bias testing across language groups incident response within four hours data stays in region audit logs retained seven years human review of every escalation accessible interface conforming to WCAG 2.1 AA'.split(' ');

function prose(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)] as string);
  return `${out.join(' ')}.`;
}

/** Creates the benchmark's evaluation in a new SQLite file and returns its path and the RFP id. */
export async function createBenchDatabase(dir: string): Promise<{ file: string; rfpId: string }> {
  const file = join(dir, 'scorecard-bench.sqlite');
  const handle = openDatabase(`file:${file}`);
  try {
    await migrateToLatest(handle.db);
    const size = SCORECARD_BENCH_SIZE;
    const created = await createEvaluation(handle.db, syntheticEvaluationSpec({ vendors: size.vendors, criteria: size.criteria, evaluators: size.evaluators }, 11));
    const random = mulberry32(5);
    const now = nowIso();
    const scored = created.criteria.filter((c) => c.kind === 'scored');
    const questions = Array.from({ length: size.questions }, (_, i) => {
      const criterion = scored[i % scored.length]!;
      return {
        id: newId(),
        rfp_id: created.rfpId,
        criterion_id: criterion.id,
        key: `Q-${String(i + 1).padStart(3, '0')}`,
        text: `Describe how the system ${prose(random, 12)}`,
        guidance: null,
        strong_answer: null,
        answer_type: 'text',
        options_json: '[]',
        required: 1,
        references_json: '[]',
        position: i,
        created_at: now,
      };
    });
    await insertChunked(handle.db, 'question', questions, 13);
    const answers = created.vendors.flatMap((v) =>
      questions.map((q) => ({
        id: newId(),
        rfp_id: created.rfpId,
        submission_id: v.submissionId,
        question_id: q.id,
        value_json: JSON.stringify(prose(random, 40 + Math.floor(random() * 60))),
        source: 'import',
        updated_by: null,
        updated_at: now,
      })),
    );
    await insertChunked(handle.db, 'answer', answers, 8);
    const events = Array.from({ length: size.auditEvents }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      actor_id: created.lead.id,
      actor_email: created.lead.email,
      rfp_id: created.rfpId,
      entity: 'answer',
      entity_id: newId(),
      action: 'answer.save',
      before_json: JSON.stringify({ value: prose(random, 15) }),
      after_json: JSON.stringify({ value: prose(random, 20) }),
      reason: null,
    }));
    await appendAuditEvents(handle.db, events);
    return { file, rfpId: created.rfpId };
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Child processes

/** A stream that counts and drops what it is given (the export goes to a socket or a file in real use). */
function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

async function exportOnce(db: ReturnType<typeof openDatabase>['db'], rfpId: string): Promise<number> {
  const rfp = await db.selectFrom('rfp').selectAll().where('id', '=', rfpId).executeTakeFirstOrThrow();
  const data = await loadScorecardData(db, rfp, VIEWER);
  const sink = nullSink();
  await writeScorecardWorkbook(data, sink);
  return sink.bytes;
}

type CellValue = ExcelJS.CellValue;

/** Every sheet's cells as exceljs reads them back: the "same cells" the bare write writes. */
async function readCells(bytes: Buffer): Promise<Array<{ name: string; rows: CellValue[][] }>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const rows: CellValue[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const values: CellValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        values[c - 1] = cell.value;
      });
      rows[n - 1] = values;
    });
    return { name: sheet.name, rows };
  });
}

async function bareWrite(cells: Array<{ name: string; rows: CellValue[][] }>): Promise<number> {
  const sink = nullSink();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: false });
  for (const { name, rows } of cells) {
    const sheet = workbook.addWorksheet(name);
    for (let n = 0; n < rows.length; n++) sheet.addRow(rows[n] ?? []).commit();
    sheet.commit();
  }
  await workbook.commit();
  return sink.bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function childMemory(file: string, rfpId: string): Promise<object> {
  const handle = openDatabase(`file:${file}`);
  let heapPeak = 0;
  let rssPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
  };
  const before = process.memoryUsage().rss;
  const timer = setInterval(sample, 5);
  const start = performance.now();
  const bytes = await exportOnce(handle.db, rfpId);
  const ms = performance.now() - start;
  clearInterval(timer);
  sample();
  await handle.close();
  return { ms, bytes, rssBeforeMb: before / 2 ** 20, rssPeakSampledMb: rssPeak / 2 ** 20, heapPeakMb: heapPeak / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function childTiming(file: string, rfpId: string): Promise<object> {
  const handle = openDatabase(`file:${file}`);
  const db = handle.db;
  const rfp = await db.selectFrom('rfp').selectAll().where('id', '=', rfpId).executeTakeFirstOrThrow();
  // Warm-up, and the cells the bare write repeats.
  const warmData = await loadScorecardData(db, rfp, VIEWER);
  const exported = await buildScorecardWorkbook(warmData);
  const cells = await readCells(exported);
  await bareWrite(cells);
  const full: number[] = [];
  const writeOnly: number[] = [];
  const bare: number[] = [];
  let bareBytes = 0;
  // Each run starts from a collected heap, so one measurement does not pay for the previous one's garbage.
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  for (let i = 0; i < RUNS; i++) {
    gc();
    let start = performance.now();
    await exportOnce(db, rfpId);
    full.push(performance.now() - start);
    gc();
    start = performance.now();
    await writeScorecardWorkbook(warmData, nullSink());
    writeOnly.push(performance.now() - start);
    gc();
    start = performance.now();
    bareBytes = await bareWrite(cells);
    bare.push(performance.now() - start);
  }
  await handle.close();
  const cellCount = cells.reduce((sum, s) => sum + s.rows.reduce((n, r) => n + (r ? r.filter((v) => v !== undefined && v !== null).length : 0), 0), 0);
  return { fullMs: median(full), writeMs: median(writeOnly), bareMs: median(bare), bytes: exported.length, bareBytes, cells: cellCount, sheets: cells.map((s) => `${s.name} ${s.rows.length}`) };
}

function runChild(mode: 'memory' | 'timing', file: string, rfpId: string): Promise<Record<string, number | string[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), thisFile, '--child', mode, file, rfpId], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`bench child (${mode}) exited with ${code}: ${out}`));
      else resolve(JSON.parse(line) as Record<string, number | string[]>);
    });
  });
}

/** Builds the evaluation, measures in child processes, returns the rows. */
export async function runScorecardExportBench(): Promise<ScorecardBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-scorecard-bench-'));
  try {
    const { file, rfpId } = await createBenchDatabase(dir);
    const memory = await runChild('memory', file, rfpId);
    const timing = await runChild('timing', file, rfpId);
    const s = SCORECARD_BENCH_SIZE;
    const size = `${s.vendors} vendors × ${s.questions} questions × ${s.criteria} criteria × ${s.evaluators} evaluators`;
    const fullMs = timing.fullMs as number;
    const writeMs = timing.writeMs as number;
    const bareMs = timing.bareMs as number;
    const maxRss = memory.maxRssMb as number;
    const ratio = writeMs / bareMs;
    return [
      { name: `scorecard export, ${size}: database → engine → workbook (median of ${RUNS})`, value: `${fullMs.toFixed(0)} ms`, target: `≤ ${TARGET_MS} ms`, ok: fullMs <= TARGET_MS },
      {
        name: '  peak memory of a process doing one export (maxRSS, incl. Node, tsx, SQLite)',
        value: `${maxRss.toFixed(0)} MB`,
        target: `≤ ${TARGET_MB} MB`,
        ok: maxRss <= TARGET_MB,
      },
      {
        name: '  V8 heap peak / RSS before → sampled peak during that export',
        value: `${(memory.heapPeakMb as number).toFixed(0)} MB / ${(memory.rssBeforeMb as number).toFixed(0)} → ${(memory.rssPeakSampledMb as number).toFixed(0)} MB`,
        target: 'for information',
        ok: null,
      },
      { name: '  writing the workbook from data in memory (median)', value: `${writeMs.toFixed(0)} ms`, target: 'for information', ok: null },
      {
        name: `  bare exceljs streaming write of the same ${Number(timing.cells).toLocaleString('en-US')} cells (median)`,
        value: `${bareMs.toFixed(0)} ms`,
        target: 'for information',
        ok: null,
      },
      { name: '  workbook writing ÷ bare write', value: `${ratio.toFixed(2)} ×`, target: `≤ ${TARGET_RATIO} ×`, ok: ratio <= TARGET_RATIO },
      {
        name: '  whole export ÷ bare write (database reads and engine included)',
        value: `${(fullMs / bareMs).toFixed(2)} ×`,
        target: 'for information',
        ok: null,
      },
      {
        name: '  file size (scorecard / bare)',
        value: `${((timing.bytes as number) / 2 ** 20).toFixed(1)} / ${((timing.bareBytes as number) / 2 ** 20).toFixed(1)} MB`,
        target: 'for information',
        ok: null,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatScorecardBench(rows: readonly ScorecardBenchRow[]): string {
  const widths = [Math.max(...rows.map((r) => r.name.length)), Math.max(...rows.map((r) => r.value.length)), Math.max(...rows.map((r) => r.target.length))];
  return rows
    .map((r) => `${r.name.padEnd(widths[0]!)}  ${r.value.padStart(widths[1]!)}  ${r.target.padEnd(widths[2]!)}  ${r.ok === null ? '' : r.ok ? 'ok' : 'MISSED'}`.trimEnd())
    .join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, mode, file, rfpId] = args as [string, string, string, string];
    const result = mode === 'memory' ? await childMemory(file, rfpId) : await childTiming(file, rfpId);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log('Measuring the scorecard export (building a 25 × 400 × 60 × 12 evaluation first)…');
  const rows = await runScorecardExportBench();
  console.log(formatScorecardBench(rows));
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
