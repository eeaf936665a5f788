/**
 * What every spreadsheet-reading worker shares: one pool of slots (so questionnaire imports and vendor workbooks
 * together never run more parses at once than the limits allow), and finding a worker's plain-JS file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { registerScrapeGauge } from '#app/observability/metrics';
import { UploadRejectedError } from './upload-guard.server';

export interface SlotLimits {
  maxConcurrent: number;
  maxQueued: number;
}

let running = 0;
const waiting: Array<() => void> = [];

registerScrapeGauge({ name: 'workbench_import_jobs_running', help: 'Spreadsheet reads running in worker threads now.', read: () => running });
registerScrapeGauge({ name: 'workbench_import_jobs_waiting', help: 'Spreadsheet reads waiting for a free worker slot.', read: () => waiting.length });

async function acquireSlot(limits: SlotLimits): Promise<void> {
  if (running < limits.maxConcurrent) {
    running++;
    return;
  }
  if (waiting.length >= limits.maxQueued) {
    throw new UploadRejectedError(503, 'busy', 'Too many spreadsheets are being read right now. Wait a minute and upload the file again.');
  }
  // The slot is handed over by releaseSlot without decrementing `running`.
  await new Promise<void>((resolveWait) => waiting.push(resolveWait));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Runs `work` once a slot is free (503 when too many are waiting), and always gives the slot back. */
export async function withWorkerSlot<T>(limits: SlotLimits, work: () => Promise<T>): Promise<T> {
  await acquireSlot(limits);
  try {
    return await work();
  } finally {
    releaseSlot();
  }
}

/**
 * Where a worker file is: `envVar` when an installation puts it elsewhere; beside the calling module under tsx and
 * vitest (`moduleUrl`); in the bundled server build (build/index.js) the source file relative to the working
 * directory, since npm start runs from the project root.
 */
export function resolveWorkerFile(fileName: string, moduleUrl: string, dirFromRoot: string, envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return resolve(fromEnv);
  try {
    const beside = fileURLToPath(new URL(`./${fileName}`, moduleUrl));
    if (existsSync(beside)) return beside;
  } catch {
    // moduleUrl is not a file: URL (unusual bundling); fall through.
  }
  return resolve(process.cwd(), dirFromRoot, fileName);
}

/** A worker's answer: its result, or a terse refusal the caller turns into the officer's message. */
export type WorkerReplyOf<T> = ({ ok: true } & T) | { ok: false; code: string; detail: string; sheet?: string; limit?: number };

export interface IsolatedRun<T, R> {
  workerPath: string;
  /** Said (as a plain error, so the route answers 500) when the worker file is missing: the installation's fault. */
  missingWorker: string;
  workerData: unknown;
  limits: { timeoutMs: number; maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number };
  /** The officer's messages for the two ways a worker is stopped. */
  timedOut: string;
  outOfMemory: string;
  /** Turns a reply (or a crash, reported as the refusal code `unreadable`) into the result or an upload refusal. */
  settle: (reply: WorkerReplyOf<R>) => T | UploadRejectedError;
}

/**
 * Runs one parse in a fresh worker thread with a heap limit, a timeout and no access to the server's stdin, stdout or
 * environment, so a crafted file can cost at most one worker.
 */
export function runIsolatedWorker<T, R>(run: IsolatedRun<T, R>): Promise<T> {
  if (!existsSync(run.workerPath)) return Promise.reject(new Error(run.missingWorker));
  return new Promise<T>((resolvePromise, reject) => {
    let settled = false;
    const worker = new Worker(run.workerPath, {
      workerData: run.workerData,
      resourceLimits: { maxOldGenerationSizeMb: run.limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: run.limits.maxYoungGenerationSizeMb, stackSizeMb: 4 },
      stdin: false,
      stdout: true,
      stderr: true,
      env: {},
      // The worker files are plain JavaScript: none of the parent's loaders (tsx under `npm start` and the CLI) need to boot in
      // each fresh worker, which would cost a few hundred milliseconds per parse.
      execArgv: [],
    });
    // Nothing the worker prints reaches the server's log; drain it so it never backs up.
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (outcome: T | UploadRejectedError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (outcome instanceof UploadRejectedError) reject(outcome);
      else resolvePromise(outcome);
    };
    const timer = setTimeout(() => finish(new UploadRejectedError(422, 'timeout', run.timedOut)), run.limits.timeoutMs);
    worker.on('message', (reply: WorkerReplyOf<R>) => finish(run.settle(reply)));
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(new UploadRejectedError(422, 'too_complex', run.outOfMemory));
      else finish(run.settle({ ok: false, code: 'unreadable', detail: error.message }));
    });
    worker.on('exit', (code) => finish(run.settle({ ok: false, code: 'unreadable', detail: `the reader stopped (exit code ${code})` })));
  });
}
