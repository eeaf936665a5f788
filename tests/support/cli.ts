/** Runs `npx workbench` (app/cli/bin.js) against a database, as a user would from a shell. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Asynchronous, not spawnSync: an event loop blocked for minutes makes vitest's worker miss its own RPC replies.
 * `input` is written to stdin (the CLI reads passwords there); stdin is always closed.
 */
export function runCli(databaseUrl: string, args: string[], input?: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [join(root, 'app', 'cli', 'bin.js'), ...args], { cwd: root, env: { ...process.env, ...env, DATABASE_URL: databaseUrl }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}
