/**
 * A throwaway PostgreSQL cluster on a loopback port, for the integration suite's second run.
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';

export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresCluster {
  url: (database: string) => string;
  stop(): void;
}

function userIdOf(name: string): { uid: number; gid: number } | null {
  const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return { uid: Number(result.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (Debian package: postgresql).');
  const dir = mkdtempSync(join(tmpdir(), 'wb-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args;
    execFileSync(asRoot ? 'runuser' : cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (asRoot) {
    const owner = userIdOf('postgres');
    if (!owner) throw new Error('Running as root but there is no "postgres" user to run the server (install the postgresql package).');
    chownSync(dir, owner.uid, owner.gid);
  }
  const port = await freePort();
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-instructions']);
  run(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The template database each test clones (CREATE DATABASE … TEMPLATE, which is fast); tests read its name from TEST_POSTGRES_TEMPLATE, defaulting to this. */
export const TEMPLATE_DATABASE = 'wb_template';

/**
 * A throwaway cluster with one database migrated to the latest schema, {@link TEMPLATE_DATABASE}: `fn` gets the
 * cluster's admin URL and the template's name; the cluster is stopped afterwards, whatever `fn` did.
 */
export async function withMigratedTemplate<T>(fn: (adminUrl: string, template: string) => T | Promise<T>): Promise<T> {
  const cluster = await startPostgresCluster();
  try {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
    await admin.end();
    const handle = openDatabase(cluster.url(TEMPLATE_DATABASE));
    await migrateToLatest(handle.db);
    await handle.close();
    return await fn(cluster.url('postgres'), TEMPLATE_DATABASE);
  } finally {
    cluster.stop();
  }
}
