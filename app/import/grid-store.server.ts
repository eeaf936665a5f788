/**
 * Keeping a parsed upload: the worker's grid is packed once when the file is uploaded and stored with the pending upload
 * (the database is the truth, so any app process can show the preview), and a small per-process cache of unpacked grids
 * by upload id saves unpacking it again for each mapping change.
 *
 * Packing and unpacking never hold the event loop for long: the grid is written as JSON lines of at most
 * `ROWS_PER_LINE` rows, each stringified or parsed between yields, and gzip runs on libuv's thread pool.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { SheetGrid, WorkbookGrid } from './import-types.server';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** About 1–2 ms of JSON work per line for a wide questionnaire. */
const ROWS_PER_LINE = 500;

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The grid as gzip-compressed JSON lines: the workbook without its rows, then `{ sheet, rows }` chunks in order. */
export async function packGrid(grid: WorkbookGrid): Promise<Uint8Array> {
  const lines = [JSON.stringify({ ...grid, sheets: grid.sheets.map((s) => ({ ...s, rows: [] })) })];
  for (const [sheet, { rows }] of grid.sheets.entries()) {
    for (let i = 0; i < rows.length; i += ROWS_PER_LINE) {
      lines.push(JSON.stringify({ sheet, rows: rows.slice(i, i + ROWS_PER_LINE) }));
      await yieldToEventLoop();
    }
  }
  return new Uint8Array(await gzipAsync(lines.join('\n'), { level: 6 }));
}

export async function unpackGrid(packed: Uint8Array): Promise<WorkbookGrid> {
  const text = (await gunzipAsync(packed)).toString('utf8');
  let start = 0;
  let grid: WorkbookGrid | null = null;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = JSON.parse(text.slice(start, end)) as WorkbookGrid | { sheet: number; rows: SheetGrid['rows'] };
    start = end + 1;
    if (grid === null) {
      grid = line as WorkbookGrid;
    } else {
      const chunk = line as { sheet: number; rows: SheetGrid['rows'] };
      const sheet = grid.sheets[chunk.sheet];
      if (!sheet) throw new Error('The stored grid is damaged: a chunk names a sheet it does not have.');
      for (const row of chunk.rows) sheet.rows.push(row);
      await yieldToEventLoop();
    }
  }
  if (grid === null) throw new Error('The stored grid is empty.');
  return grid;
}

/** Unpacked grids by upload id. A grid never changes once stored, so an entry is never stale; it only ages out. */
const CACHE_ENTRIES = 8;
const cache = new Map<string, WorkbookGrid>();

export function cachedGrid(uploadId: string): WorkbookGrid | undefined {
  const grid = cache.get(uploadId);
  if (grid) {
    // Most recently used last.
    cache.delete(uploadId);
    cache.set(uploadId, grid);
  }
  return grid;
}

export function cacheGrid(uploadId: string, grid: WorkbookGrid): void {
  cache.delete(uploadId);
  cache.set(uploadId, grid);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
}

export function forgetGrid(uploadId: string): void {
  cache.delete(uploadId);
}
