/**
 * The command-line interface (DESIGN §9). Exit code 0 on success; otherwise one line on stderr and exit 1 when the
 * work was refused (the message says why), or exit 2 when the command was called wrongly (see --help).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { hashPassword, MIN_PASSWORD_LENGTH } from '#db/password';
import { exportPortableByReference } from '#db/portable/export';
import { everythingFor } from '#app/confidentiality/panel';
import { describeImport, importPortableRfp, parsePortableFile } from '#db/portable/import';
import { describeChainVerification } from '#db/audit-chain';
import { recordAudit, SYSTEM_ACTOR, verifyAuditChain } from '#db/queries/audit';
import { getRfpByReference, listAllRfps } from '#db/queries/rfps';
import { listSubmissions } from '#db/queries/vendors';
import { issueVendorWorkbook, vendorWorkbookFileName } from '#app/responses/vendor-workbook-source.server';
import { cliScorecardViewer, loadScorecardData } from '#app/xlsx/scorecard-data.server';
import { exportFileName } from '#app/xlsx/scorecard-layout';
import { writeScorecardWorkbookFile } from '#app/xlsx/scorecard-workbook.server';
import { createUser } from '#db/queries/users';
import { GLOBAL_ROLES } from '#db/schema';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isDatabaseEmpty } from '#db/seed';
import { demoStageFromEnv, loadDemo } from '#app/demo/load-demo.server';
import { mailCommand } from './mail-command';
import { invitePerson } from '#app/accounts/invite.server';
import { mailOrigin } from '#app/mail/origin.server';
import { mailSettingsFromEnv } from '#app/mail/settings.server';
import { backupDatabase, restoreDatabase } from './backup';
import { questionnaireCommand } from './questionnaire-command';
import { UsageError } from './usage-error';

const USAGE = `Usage: workbench <command>
  migrate                                   bring the database up to date
  seed --demo [--stage open|consensus]      load the demo into an empty database
  user create --email E --name N --role R   create an account (password read from stdin)
  user invite --email E --name N --role R   mail the person a single-use link to create their own account
                                            (INVITATION_DAYS days; links start with APP_ORIGIN)
  rfp list [--json]                         list RFPs
  rfp export <reference> --format json|xlsx|vendor-xlsx [--out FILE]   (xlsx: the scorecard workbook)
        [--vendor KEY]                      vendor-xlsx issued to that vendor of the RFP (default: blank, to no vendor)
  rfp import <file.json> [--lead EMAIL]     load a portable RFP file; --lead: an existing officer/admin
  audit verify <reference>|--global [--head HASH]   recompute an RFP's (or the global) audit chain; --head: a
                                            head filed earlier (scorecard, portable file) that must still be in it
  questionnaire preview <file.xlsx|csv> [--json]   what importing the file would make of it (as the page shows it)
        [--sheet S] [--header-row N]        the sheet and header row (default: proposed; 0 = no header row)
        [--map field=column,…]              columns counted from 1, "none" to unmap; fields: key question section
                                            guidance answerType options required references
        [--only column=value|none]          keep only rows whose cell in that column is the value (e.g. 5=x);
                                            none: every row, even when the proposal found an in-scope column
  questionnaire import <reference> <file> [same options] [--on-collision skip|update|new-keys]
                                            import into that draft RFP, all or nothing, audited; keys already in
                                            the RFP are skipped (default), update those questions, or get new keys
  mail list [--json] [--status S] [--limit N]   the mail outbox, newest first (pending, sent, failed)
  backup --out FILE                         a consistent copy of the SQLite database and the evidence files, taken
                                            while the app serves (PostgreSQL: use pg_dump, see the README)
  restore --from FILE [--force]             check a backup (integrity, audit chains, file hashes) and put it in
                                            place of DATABASE_URL; --force replaces an existing database not in use
Exit codes: 0 done, 1 refused (the reason on stderr), 2 usage error
Environment: DATABASE_URL (default file:./data/workbench.sqlite), ATTACHMENTS_DIR, QUESTIONNAIRE_IMPORT_MAX_BYTES, QUESTIONNAIRE_IMPORT_MAX_ROWS`;

/** --email, --name and --role of `user create` and `user invite`. */
const personOptions = z.object({
  email: z.email('--email must be an email address'),
  name: z.string().trim().min(1, '--name is required').max(200, '--name is at most 200 characters'),
  role: z.enum(GLOBAL_ROLES as ['admin', 'officer', 'evaluator', 'viewer'], { error: `--role must be one of ${GLOBAL_ROLES.join(', ')}` }),
});

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function parseCommandLine(argv: string[]) {
  try {
    return parseCommandLineStrictly(argv);
  } catch (error) {
    // node:util's parseArgs refuses unknown options and missing values: the caller's mistake.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseCommandLineStrictly(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      stage: { type: 'string' },
      lead: { type: 'string' },
      global: { type: 'boolean' },
      head: { type: 'string' },
      vendor: { type: 'string' },
      sheet: { type: 'string' },
      'header-row': { type: 'string' },
      map: { type: 'string' },
      only: { type: 'string' },
      'on-collision': { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  // Neither opens the database through the app's handle: a backup only reads a snapshot, and a restore must not
  // create (or migrate) the database it is about to put in place.
  if (command === 'backup') {
    if (!values.out) throw new UsageError('backup needs --out FILE');
    const summary = backupDatabase(values.out);
    console.log(`Wrote ${summary.file}: the database and ${summary.attachments} evidence file(s) (${summary.bytes} bytes).`);
    return;
  }
  if (command === 'restore') {
    if (!values.from) throw new UsageError('restore needs --from FILE');
    const summary = await restoreDatabase(values.from, { force: Boolean(values.force) });
    console.log(
      `Restored ${summary.target}: integrity ok, ${summary.chains} audit chain(s) with ${summary.events} event(s) intact, ${summary.attachments} evidence file(s) in place.`,
    );
    return;
  }
  const handle = openDatabase();
  try {
    const db = handle.db;
    await migrateToLatest(db);
    if (command === 'migrate') {
      console.log(`Database is up to date (${handle.describe}).`);
    } else if (command === 'seed') {
      if (!values.demo) throw new UsageError('seed needs --demo');
      if (!(await isDatabaseEmpty(db))) throw new Error('The database is not empty; the demo is loaded only into an empty database.');
      await loadDemo(db, demoStageFromEnv(values.stage));
      console.log(`Demo loaded. Accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => a.email).join(', ')}`);
    } else if (command === 'user' && (sub === 'create' || sub === 'invite')) {
      const input = personOptions.safeParse(values);
      if (!input.success) throw new UsageError(input.error.issues.map((i) => i.message).join('; '));
      if (sub === 'invite') {
        const origin = mailOrigin(null);
        const sent = await invitePerson(db, SYSTEM_ACTOR, input.data, { origin, validDays: mailSettingsFromEnv().invitationDays, invitedBy: 'An administrator of the workbench' });
        console.log(`Invited ${input.data.role} ${sent.email}: the mail is in the outbox (npx workbench mail list), and the running workbench sends it. The link works once, until ${sent.expiresAt}.`);
        if (!process.env.APP_ORIGIN?.trim()) console.error(`workbench: warning: APP_ORIGIN is not set, so the link starts with ${origin}; set it to the address people open the workbench at.`);
        return;
      }
      const password = await readStdin();
      if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`The password (from stdin) must be at least ${MIN_PASSWORD_LENGTH} characters.`);
      const passwordHash = await hashPassword(password);
      const user = await db.transaction().execute((trx) => createUser(trx, SYSTEM_ACTOR, { ...input.data, passwordHash }));
      console.log(`Created ${user.role} ${user.email}.`);
    } else if (command === 'rfp' && sub === 'list') {
      const rfps = await listAllRfps(db);
      if (values.json) {
        console.log(JSON.stringify(rfps.map((r) => ({ reference: r.reference, title: r.title, department: r.department, status: r.status })), null, 2));
      } else {
        for (const r of rfps) console.log(`${r.reference.padEnd(20)} ${r.status.padEnd(11)} ${r.title}`);
        if (rfps.length === 0) console.log('No RFPs.');
      }
    } else if (command === 'rfp' && sub === 'export') {
      if (!arg) throw new UsageError('rfp export needs a reference');
      const format = values.format ?? 'json';
      if (format === 'json') {
        // The command line's operator holds the database: the file carries everything, and says so when that includes
        // scores still sealed (before consensus).
        const file = await exportPortableByReference(db, arg, everythingFor);
        if (file.confidentiality?.containsSealedScores) {
          console.error(`workbench: warning: ${file.confidentiality.notice}`);
        }
        const text = `${JSON.stringify(file, null, 2)}\n`;
        if (values.out) {
          writeFileSync(values.out, text);
          console.log(`Wrote ${values.out}`);
        } else {
          process.stdout.write(text);
        }
      } else if (format === 'vendor-xlsx') {
        const rfp = await getRfpByReference(db, arg);
        if (!rfp) throw new Error(`No RFP with the reference ${arg}.`);
        const submission = values.vendor ? (await listSubmissions(db, rfp.id)).find((s) => s.vendor_key === values.vendor) : undefined;
        if (values.vendor && !submission) throw new Error(`${arg} has no vendor with the key ${values.vendor}.`);
        const recipient = submission ? { vendorId: submission.vendor_id, vendorKey: submission.vendor_key, name: submission.vendor_name, submissionId: submission.id } : undefined;
        const out = values.out ?? vendorWorkbookFileName(rfp, submission?.vendor_key);
        writeFileSync(out, await issueVendorWorkbook(db, rfp, recipient));
        await recordAudit(db, SYSTEM_ACTOR, {
          rfpId: rfp.id,
          entity: 'rfp',
          entityId: rfp.id,
          action: 'rfp.export',
          after: { format: 'vendor-xlsx', via: 'cli', questionnaireVersion: rfp.questionnaire_version, vendor: submission?.vendor_key ?? null, signed: true },
        });
        console.log(`Wrote ${out}`);
      } else if (format === 'xlsx') {
        const rfp = await getRfpByReference(db, arg);
        if (!rfp) throw new Error(`No RFP with the reference ${arg}.`);
        const data = await loadScorecardData(db, rfp, cliScorecardViewer(rfp.status));
        const out = values.out ?? exportFileName(rfp.reference, 'scorecard', data.generatedAt, 'xlsx');
        await writeScorecardWorkbookFile(data, out);
        await recordAudit(db, SYSTEM_ACTOR, { rfpId: rfp.id, entity: 'rfp', entityId: rfp.id, action: 'rfp.export', after: { format: 'xlsx', via: 'cli' } });
        console.log(`Wrote ${out}`);
      } else {
        throw new UsageError(`Unknown export format "${format}". Supported: json, xlsx, vendor-xlsx`);
      }
    } else if (command === 'rfp' && sub === 'import') {
      if (!arg) throw new UsageError('rfp import needs a file');
      let text: string;
      try {
        text = readFileSync(arg, 'utf8');
      } catch (error) {
        throw new Error(`Cannot read ${arg}: ${error instanceof Error ? error.message : String(error)}`);
      }
      // Validated (shape and cross-references) before anything is written; one transaction after that.
      const summary = await importPortableRfp(db, parsePortableFile(text), { leadEmail: values.lead });
      console.log(describeImport(summary));
    } else if (command === 'audit' && sub === 'verify') {
      if (Boolean(arg) === Boolean(values.global)) throw new UsageError('audit verify needs an RFP reference or --global (not both)');
      const expectHash = values.head?.trim().toLowerCase();
      if (expectHash !== undefined && !/^[0-9a-f]{64}$/.test(expectHash)) throw new UsageError('--head must be a SHA-256 hash (64 hex digits)');
      let rfpId: string | null = null;
      if (arg) {
        const rfp = await getRfpByReference(db, arg);
        if (!rfp) throw new Error(`No RFP with the reference ${arg}.`);
        rfpId = rfp.id;
      }
      const result = await verifyAuditChain(db, rfpId, { expectHash });
      const { ok, line } = describeChainVerification(arg ?? 'global chain', result, expectHash);
      if (!ok) throw new Error(line);
      console.log(line);
    } else if (command === 'mail') {
      process.stdout.write(await mailCommand(db, sub, values));
    } else if (command === 'questionnaire') {
      process.stdout.write(await questionnaireCommand(db, sub, positionals.slice(2), values, (line) => console.error(`workbench: ${line}`)));
    } else {
      throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
    }
  } finally {
    await handle.close();
  }
}

run(process.argv.slice(2)).catch(async (error: unknown) => {
  // A lock refusal from the write's transaction arrives as the 409 Response the pages answer with.
  const message = error instanceof Response ? await error.text() : error instanceof Error ? error.message : String(error);
  console.error(`workbench: ${message.split('\n')[0]}${error instanceof UsageError ? ' (see workbench --help)' : ''}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});

