/**
 * What every spreadsheet-reading worker shares: one pool of slots (so questionnaire imports and vendor workbooks
 * together never run more parses at once than the limits allow), and finding a worker's plain-JS file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UploadRejectedError } from './upload-guard.server';

export interface SlotLimits {
  maxConcurrent: number;
  maxQueued: number;
}

let running = 0;
const waiting: Array<() => void> = [];

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
