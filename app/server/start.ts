/**
 * `npm start`: builds if the build is missing or older than the sources, migrates, loads the demo into
 * an empty database (unless SEED_DEMO=false), then serves on PORT.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { MIN_PASSWORD_LENGTH } from '#db/password-policy';
import { countUsers } from '#db/queries/users';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isDatabaseEmpty } from '#db/seed';
import { authSettingsFromEnv } from '#app/auth/oidc-settings.server';
import { demoStageFromEnv, loadDemo } from '#app/demo/load-demo.server';
import { mailOrigin } from '#app/mail/origin.server';
import { schedulerSettingsFromEnv, startScheduler } from '#app/mail/scheduler.server';
import { startMailSender } from '#app/mail/sender.server';
import { mailSettingsFromEnv } from '#app/mail/settings.server';
import { installationTimeZone } from '#app/utils/time-zone';
import { closeDatabase } from '#app/utils/db.server';
import { createApp } from './app';
import { installGracefulShutdown, shutdownTimeoutFromEnv } from './shutdown';

process.env.NODE_ENV ??= 'production';
const root = resolve(import.meta.dirname, '..', '..');
const buildFile = join(root, 'build', 'index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfNeeded(): void {
  const sources = Math.max(newestMtime(join(root, 'app')), newestMtime(join(root, 'db')), newestMtime(join(root, 'scoring')));
  if (existsSync(buildFile) && statSync(buildFile).mtimeMs >= sources) return;
  console.log('Building the app (first start or sources changed)…');
  execFileSync(process.execPath, [join(root, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

async function prepareDatabase(): Promise<{ where: string; noAccount: boolean }> {
  const handle = openDatabase();
  try {
    await migrateToLatest(handle.db);
    const seedDemoData = (process.env.SEED_DEMO ?? 'true') !== 'false';
    if (seedDemoData && (await isDatabaseEmpty(handle.db))) {
      await loadDemo(handle.db, demoStageFromEnv());
      console.log('Loaded the demo (RFP DEMO-311-GENAI). Demo accounts, all with the password "%s":', DEMO_PASSWORD);
      for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(28)} ${account.role}`);
    }
    return { where: handle.describe, noAccount: (await countUsers(handle.db)) === 0 };
  } finally {
    await handle.close();
  }
}

const FIRST_ADMIN_HELP = [
  `No account exists yet. Create the first administrator from this directory (the password, at least ${MIN_PASSWORD_LENGTH} characters, is read from stdin):`,
  '  echo "$PASSWORD" | npx workbench user create --email you@city.gov --name "Your Name" --role admin',
  'then sign in at {origin}/login and create the other accounts on the Users page.',
].join('\n');

async function main(): Promise<void> {
  // A bad TIME_ZONE stops the start here, before any page could show a deadline in the wrong zone.
  const timeZone = installationTimeZone();
  // Likewise a bad SMTP_URL or a missing MAIL_FROM: mails would otherwise fail one by one, later.
  const mailSettings = mailSettingsFromEnv();
  const schedulerSettings = schedulerSettingsFromEnv(process.env, mailOrigin(null));
  // And single sign-on settings that cannot work (an unknown role in OIDC_ROLE_MAP, AUTH_LOCAL=false without a provider).
  authSettingsFromEnv();
  if (process.env.SKIP_BUILD !== 'true') buildIfNeeded();
  const { where, noAccount } = await prepareDatabase();
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild;
  let isShuttingDown = () => false;
  const app = createApp({
    build,
    publicDir: join(root, 'public'),
    appOrigin: process.env.APP_ORIGIN,
    trustProxy: process.env.TRUST_PROXY,
    metricsToken: process.env.METRICS_TOKEN || undefined,
    isShuttingDown: () => isShuttingDown(),
  });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const server = app.listen(port, host, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    // A production start (SEED_DEMO=false) on a new database has no account, and nobody could sign in: say how to make
    // one, in the same write as the line that says the server is up (whoever waits for that line sees both).
    const help = noAccount ? `\n${FIRST_ADMIN_HELP.replace('{origin}', process.env.APP_ORIGIN ?? `http://localhost:${actualPort}`)}` : '';
    console.log(`AI Vendor Evaluation Workbench on ${where}, dates in ${timeZone}, serving http://localhost:${actualPort}${help}`);
  });
  // The outbox's sender loop (app/mail/sender.server.ts), on its own connection. Without SMTP_URL it sends nothing;
  // a demo or development start prints each new mail to the log instead (a production one leaves it to the Mail page).
  const mailDb = openDatabase();
  const printWithoutSmtp = process.env.NODE_ENV === 'development' || (process.env.SEED_DEMO ?? 'true') !== 'false';
  const mailSender = startMailSender({ db: mailDb.db, settings: mailSettings, printWithoutSmtp });
  const scheduler = startScheduler(mailDb.db, schedulerSettings);
  ({ isShuttingDown } = installGracefulShutdown(server, {
    timeoutMs: shutdownTimeoutFromEnv(),
    closeDatabase: async () => {
      await Promise.all([mailSender.stop(), scheduler.stop()]);
      await mailDb.close();
      await closeDatabase();
    },
  }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
