/**
 * `npm test`: the whole suite, in the order a failure is cheapest to find.
 *   typecheck → lint → build → unit + integration on SQLite → integration on a throwaway PostgreSQL
 *   → end-to-end in Debian's Chromium.
 * Installs missing Debian packages when it can (root with apt), otherwise says what to install.
 * Fails if any suite fails or runs no test: nothing passes by being skipped.
 * `--node24` (CI) then runs the unit and integration suites a second time under Node 24 (tests/support/node24.ts);
 * `--node24-only` (`npm run test:node24`) runs just that pass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE24_VERSION, prepareNode24Checkout } from './support/node24';
import { findPostgresBin, withMigratedTemplate } from './support/postgres-cluster';

const root = join(import.meta.dirname, '..');
const results = join(root, 'test-results');
const totals = { passed: 0, failed: 0 };

function heading(text: string) {
  console.log(`\n=== ${text} ===`);
}

function run(command: string, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.log(`\n${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    finish(1);
  }
}

function finish(code: number): never {
  console.log(`\nnpm test: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

/** Debian packages the suites need, by the file that shows each is installed. */
const SYSTEM_PACKAGES: Array<{ pkg: string; present: () => boolean }> = [
  { pkg: 'chromium', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { pkg: 'postgresql', present: () => findPostgresBin() !== null },
  // The vendor workbook round trip (tests/integration/xlsx) re-saves and prints workbooks with LibreOffice.
  { pkg: 'libreoffice-calc', present: () => existsSync('/usr/bin/soffice') || existsSync('/usr/bin/libreoffice') },
  // A second, independent xlsx reader for the workbook tests (Debian's python3, not a pyenv one).
  { pkg: 'python3-openpyxl', present: () => spawnSync('/usr/bin/python3', ['-c', 'import openpyxl']).status === 0 },
  // Renders PDFs to images when tests look at printed pages.
  { pkg: 'poppler-utils', present: () => existsSync('/usr/bin/pdftoppm') },
];

function ensureSystemPackages(): void {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canInstall) {
    console.error(`The test suite needs these Debian packages: ${missing.join(' ')}.\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing Debian packages the test suite needs: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { DEBIAN_FRONTEND: 'noninteractive' });
}

/** Runs vitest projects and adds their counts; a project that ran no test fails the run. */
function vitest(label: string, projects: string[], env: Record<string, string> = {}, extra: string[] = [], cwd = root): void {
  heading(label);
  const report = join(results, `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`);
  rmSync(report, { force: true });
  const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra];
  const result = spawnSync('npx', args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed = json.numPassedTests;
    failed = json.numFailedTests;
  }
  totals.passed += passed;
  totals.failed += failed;
  if (result.status !== 0) {
    console.log(`\n${label}: failed.`);
    finish(1);
  }
  if (passed === 0) {
    console.log(`\n${label}: ran no test. A suite that runs nothing is a failure, not a pass.`);
    finish(1);
  }
}

async function withPostgres(fn: (baseUrl: string) => void): Promise<void> {
  heading('Starting a throwaway PostgreSQL cluster');
  await withMigratedTemplate((adminUrl) => fn(adminUrl));
}

/** The unit and integration suites again, on a scratch copy installed and built under Node 24; counts join the totals. */
async function node24Pass(): Promise<void> {
  heading(`Installing the app under Node ${NODE24_VERSION}`);
  const started = Date.now();
  const checkout = prepareNode24Checkout(root);
  vitest(`Node 24: unit and integration tests on SQLite`, ['unit', 'integration'], { ...checkout.env, TEST_DATABASE: 'sqlite' }, [], checkout.dir);
  await withPostgres((adminUrl) =>
    vitest(
      `Node 24: integration tests on PostgreSQL`,
      ['integration'],
      { ...checkout.env, TEST_DATABASE: 'postgres', TEST_POSTGRES_ADMIN_URL: adminUrl },
      [],
      checkout.dir,
    ),
  );
  console.log(`\nThe Node ${NODE24_VERSION} pass took ${Math.round((Date.now() - started) / 1000)} s.`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const node24Only = args.includes('--node24-only');
  mkdirSync(results, { recursive: true });
  heading('System packages');
  ensureSystemPackages();
  console.log(`Installed: ${SYSTEM_PACKAGES.map((p) => p.pkg).join(', ')}.`);
  if (!node24Only) {
    heading('Typecheck');
    run('npx', ['tsc', '--noEmit']);
    heading('Lint');
    run('npx', ['eslint', '--max-warnings=0', '.']);
    heading('Build');
    run('npx', ['remix', 'build']);
    vitest('Unit and integration tests on SQLite', ['unit', 'integration'], { TEST_DATABASE: 'sqlite' });
    await withPostgres((adminUrl) =>
      vitest('Integration tests on PostgreSQL', ['integration'], { TEST_DATABASE: 'postgres', TEST_POSTGRES_ADMIN_URL: adminUrl }),
    );
    vitest('End-to-end tests in Chromium', ['e2e'], { TEST_DATABASE: 'sqlite' }, ['--no-file-parallelism']);
  }
  if (node24Only || args.includes('--node24')) await node24Pass();
  finish(totals.failed === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  finish(1);
});
