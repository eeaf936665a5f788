/**
 * Starts the real server (`app/server/start.ts`, the same as `npm start`) on a free port with the demo
 * loaded into a fresh database, so tests go through every middleware, exactly as a browser would.
 * Needs a build: `npm test` builds first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServerDatabaseUrl } from './db';
import { openDatabase } from '#db/client';

const root = join(import.meta.dirname, '..', '..');

export interface TestServer {
  baseUrl: string;
  databaseUrl: string;
  /** The server process, e.g. to read its memory from /proc. */
  pid: number;
  output: () => string;
  /** `kill -9` of the server and every process it started (tsx runs the app in a child process): no clean-up runs. */
  killHard(): Promise<void>;
  /** Sends the server a signal and resolves with its exit code once it has exited. */
  signal(signal: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

/** The pid and all its descendants, read from /proc (Linux). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we read.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/**
 * `sharedDatabaseUrl` starts a second app process on another server's database (it migrates nothing new and loads no
 * demo, since the database is not empty); stopping it leaves the database to its owner.
 */
export async function startTestServer(env: Record<string, string> = {}, sharedDatabaseUrl?: string): Promise<TestServer> {
  if (!existsSync(join(root, 'build', 'index.js'))) throw new Error('No build: run `npx remix build` (npm test does it).');
  const database = sharedDatabaseUrl ? { url: sharedDatabaseUrl, cleanup: async () => {} } : await createServerDatabaseUrl();
  // TEST_SERVER_NODE_FLAGS: node flags for the app process, e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile it.
  const nodeFlags = (process.env.TEST_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), ...nodeFlags, join(root, 'app', 'server', 'start.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SKIP_BUILD: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      // Most tests start from the demo as vendors have answered, before any evaluator is assigned.
      DEMO_STAGE: 'open',
      // Dates read the same on any developer's machine; a test of another zone sets its own.
      TIME_ZONE: 'UTC',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    // Generous: on a machine shared by several suites, loading the demo (argon2 hashes, the panel's scores) can take a minute.
    const timer = setTimeout(() => reject(new Error(`Server did not start in 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${output}`));
    });
  });
  return {
    baseUrl,
    databaseUrl: database.url,
    pid: child.pid!,
    output: () => output,
    killHard: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      for (const pid of processTree(child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await exited;
    },
    signal: (signal) => {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await database.cleanup();
    },
  };
}

/** A tiny cookie-keeping HTTP client for one signed-in person (every cookie the app sets, by name; paths ignored). */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0]!;
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      if (/Max-Age=0/i.test(setCookie)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** A same-origin form post, as the browser sends it. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.baseUrl, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async login(email: string, password = 'demo-password'): Promise<void> {
    const response = await this.post('/login', { email, password });
    if (response.status !== 302) throw new Error(`Login as ${email} failed with ${response.status}`);
  }

  /** `wb_session=<token>`, or '' when signed out. */
  get sessionCookie(): string {
    const token = this.cookies.get('wb_session');
    return token ? `wb_session=${token}` : '';
  }

  /** Forgets one cookie (a test that plays a second browser, or a cookie the server should have cleared). */
  dropCookie(name: string): void {
    this.cookies.delete(name);
  }
}

/** The demo RFP and its first vendor submission, e.g. to upload evidence to. */
export async function demoRfpAndSubmission(databaseUrl: string): Promise<{ rfpId: string; submissionId: string }> {
  const handle = openDatabase(databaseUrl);
  try {
    const rfp = await handle.db.selectFrom('rfp').select('id').where('reference', '=', 'DEMO-311-GENAI').executeTakeFirstOrThrow();
    const submission = await handle.db.selectFrom('submission').select('id').where('rfp_id', '=', rfp.id).executeTakeFirstOrThrow();
    return { rfpId: rfp.id, submissionId: submission.id };
  } finally {
    await handle.close();
  }
}
