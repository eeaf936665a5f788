/**
 * The results page's weight at 25 vendors × 60 criteria × 12 evaluators (issue 13, "light pages"): the bytes of the
 * server-rendered HTML and of the loader's JSON (`?_data=routes/rfps.$rfpId.results`) a lead receives, uncompressed,
 * against 400 KB and 150 KB; and one criterion's drill-down (every vendor's individual scores and rationales), which
 * the page loads on demand, for information. Run by `npm run bench` (tests/bench/run.ts, after it has built the
 * server), or alone with `npx tsx tests/bench/results-page-weight.ts` after `npx remix build`.
 */
import { pathToFileURL } from 'node:url';
import { openDatabase } from '#db/client';
import { hashPassword } from '#db/password';
import { createEvaluation, syntheticEvaluationSpec } from '#tests/support/evaluation-factory';
import { startTestServer, Visitor } from '#tests/support/server';
import type { Figure } from './load';

export const PAGE_WEIGHT_SIZE = { vendors: 25, criteria: 60, evaluators: 12 };
const KB = 1024;
export const HTML_TARGET_KB = 400;
export const DATA_TARGET_KB = 150;

export interface WeightRow {
  name: string;
  kb: number;
  targetKb: number | null;
  ok: boolean | null;
}

async function bytesOf(visitor: Visitor, path: string): Promise<number> {
  const response = await visitor.get(path);
  const body = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return body.byteLength;
}

function row(name: string, bytes: number, targetKb: number | null): WeightRow {
  const kb = bytes / KB;
  return { name, kb, targetKb, ok: targetKb === null ? null : kb <= targetKb };
}

/** Weighs the results page of `rfpId` as `lead` (signed in) sees it; `criterionId`: one scored criterion. */
export async function weighResultsPage(lead: Visitor, rfpId: string, criterionId: string): Promise<WeightRow[]> {
  const size = `${PAGE_WEIGHT_SIZE.vendors} × ${PAGE_WEIGHT_SIZE.criteria} × ${PAGE_WEIGHT_SIZE.evaluators}`;
  const html = await bytesOf(lead, `/rfps/${rfpId}/results`);
  const data = await bytesOf(lead, `/rfps/${rfpId}/results?_data=${encodeURIComponent('routes/rfps.$rfpId.results')}`);
  const drill = await bytesOf(lead, `/rfps/${rfpId}/results/criterion/${criterionId}`);
  return [
    row(`results page HTML, ${size}`, html, HTML_TARGET_KB),
    row(`results page loader JSON, ${size}`, data, DATA_TARGET_KB),
    row(`  one criterion's drill-down on demand (25 vendors × 12 scores and rationales)`, drill, null),
  ];
}

export function formatWeightRows(rows: readonly WeightRow[]): string {
  const header = ['page weight (uncompressed)', 'KiB', 'target KiB', ''];
  const lines = rows.map((r) => [r.name, r.kb.toFixed(0), r.targetKb === null ? 'for information' : `≤ ${r.targetKb}`, r.ok === null ? '' : r.ok ? 'ok' : 'HEAVY']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}

/** Alone: a fresh server and SQLite file with the synthetic 25 × 60 × 12 evaluation (status consensus). */
export async function runResultsPageWeightBench(): Promise<WeightRow[]> {
  process.env.TEST_DATABASE = 'sqlite';
  const server = await startTestServer();
  try {
    const handle = openDatabase(server.databaseUrl);
    let created: Awaited<ReturnType<typeof createEvaluation>>;
    try {
      created = await createEvaluation(handle.db, { ...syntheticEvaluationSpec(PAGE_WEIGHT_SIZE, 7), passwordHash: await hashPassword('demo-password') });
    } finally {
      await handle.close();
    }
    const lead = new Visitor(server.baseUrl);
    await lead.login(created.lead.email);
    const criterion = created.criteria.find((c) => c.key === 'C-2') ?? created.criteria[0];
    if (!criterion) throw new Error('The synthetic evaluation has no criteria.');
    return await weighResultsPage(lead, created.rfpId, criterion.id);
  } finally {
    await server.stop();
  }
}

/** Measures and prints the table; answers the figures in the shape of `npm run bench -- --json` (tests/bench/load.ts). */
export async function reportResultsPageWeight(): Promise<Figure[]> {
  const rows = await runResultsPageWeightBench();
  console.log('');
  console.log(formatWeightRows(rows));
  return rows.map((r) => ({ name: r.name.trim(), value: Math.round(r.kb), unit: 'KiB', target: r.targetKb === null ? null : `≤ ${r.targetKb} KiB`, ok: r.ok }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  reportResultsPageWeight()
    .then((figures) => {
      if (figures.some((f) => f.ok === false)) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
