/**
 * Every audit action the code can record reads as a sentence: the test scans app/ and db/ for every literal shaped
 * like an action (`'entity.verb'`, in quotes or a template, `` `${level}.move` `` included) and fails on one that has
 * no entry in AUDIT_ACTIONS — so a new action added anywhere cannot reach the audit log as a bare code.
 *
 * A literal of that shape that is not an action must be one of the kinds listed here (a table.column reference, a file
 * name) or named in NOT_ACTIONS, so the scan cannot quietly skip a new one either.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_FAMILIES, describeAuditEvent, EMPTY_NAME_BOOK } from '#app/audit/sentences';

const root = join(import.meta.dirname, '..', '..', '..');

/** Dotted literals in the code that are not audit actions, and why. */
const NOT_ACTIONS: Record<string, string> = {
  'options.sheet': 'an import option path',
  'plan.sheets': 'an import plan path',
  'results.ranking': 'a results key',
  'viewer.panel': 'a property path',
  'n.a': 'the "n.a" answer spelling',
  'event.submitter': 'a DOM property a comment names in backquotes',
  'account.password_changed': 'the kind of a mail in the outbox (the change itself is audited as user.password_change)',
  'account.vendor_invitation': 'the kind of a mail in the outbox (the invitation is audited as invitation.create and portal.invite_contact)',
  'vendor.rfp_invitation': 'the kind of a mail in the outbox (the invitation is audited as portal.invite_contact)',
  'vendor.submission_receipt': 'the kind of a mail in the outbox (the submission is audited as portal.submit or portal.withdraw)',
  'vendor.qa_addendum': 'the kind of a mail in the outbox (the publication is audited as qa.publish)',
  'account.invitation': 'the kind of a mail in the outbox (the invitation itself is audited as invitation.create)',
  'account.password_reset': 'the kind of a mail in the outbox (the request itself is audited as user.password_reset_request)',
  'account.sign_in_code': 'the kind of a mail in the outbox (a sign-in is not audited, with a mailed code as with an authenticator code)',
  // Kinds of notification (app/mail/notification-kinds.ts): what a mail or an in-app notice is about, not audit actions.
  'assignment.created': 'a notification kind a comment names',
  'reminder.due': 'a notification kind',
  'reminder.lead': 'a notification kind',
  'reminder.overdue': 'a notification kind',
  'sheet.reopened': 'a notification kind',
  'sheet.submitted': 'a notification kind',
  // PostgreSQL's upsert names the row it would have inserted `excluded` (db/queries/results-cache.ts).
  'excluded.computed_at': 'an upsert column reference',
  'excluded.payload': 'an upsert column reference',
  'excluded.version': 'an upsert column reference',
};
const FILE_EXTENSIONS = /\.(csv|js|mjs|cjs|ts|tsx|json|xml|xlsx|xls|txt|pdf|docx|md|png|svg|ico|html|css|rels)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** table → its columns, read from db/schema.ts (`export interface XTable { col: … }`, `x: XTable` in Database). */
function schemaColumns(): Map<string, Set<string>> {
  const schema = readFileSync(join(root, 'db', 'schema.ts'), 'utf8');
  const interfaces = new Map<string, Set<string>>();
  for (const match of schema.matchAll(/export interface (\w+Table) \{([\s\S]*?)\n\}/g)) {
    interfaces.set(match[1]!, new Set([...match[2]!.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]!)));
  }
  const database = /export interface Database \{([\s\S]*?)\n\}/.exec(schema)![1]!;
  const tables = new Map<string, Set<string>>();
  for (const match of database.matchAll(/^\s+(\w+): (\w+Table);/gm)) tables.set(match[1]!, interfaces.get(match[2]!) ?? new Set());
  return tables;
}

interface Found {
  action: string;
  where: string;
  /** The file's table aliases (`'submission as k'`): `k.rfp_id` is a column reference. */
  aliases: ReadonlyMap<string, string>;
}

/** Every action-shaped literal in the code, with where it is. Templates `${x}.verb` are expanded below. */
function scan(): { literals: Found[]; templates: Array<{ verb: string; where: string; file: string }> } {
  const literals: Found[] = [];
  const templates: Array<{ verb: string; where: string; file: string }> = [];
  for (const file of [...sourceFiles(join(root, 'app')), ...sourceFiles(join(root, 'db'))]) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    const aliases = new Map([...text.matchAll(/'([a-z_]+) as ([a-z_]+)'/g)].map((m) => [m[2]!, m[1]!]));
    for (const match of text.matchAll(/(['"`])([a-z][a-z_]*\.[a-z][a-z_]*)\1/g)) literals.push({ action: match[2]!, where, aliases });
    for (const match of text.matchAll(/`\$\{\w+\}\.([a-z][a-z_]*)`/g)) templates.push({ verb: match[1]!, where, file: text });
  }
  return { literals, templates };
}

describe('audit sentences cover every action', () => {
  const columns = schemaColumns();
  const isColumnReference = (literal: string, aliases: ReadonlyMap<string, string>) => {
    const [table, column] = literal.split('.') as [string, string];
    return columns.get(aliases.get(table) ?? table)?.has(column) ?? false;
  };

  it('finds the actions it knows are recorded (the scan works)', () => {
    const found = new Set(scan().literals.map((l) => l.action));
    for (const known of ['rfp.status', 'score.create', 'consensus.record', 'user.password_reset', 'answer.import', 'rfp.export']) expect(found.has(known), known).toBe(true);
    const templateVerbs = new Set(scan().templates.map((t) => t.verb));
    expect(templateVerbs.has('move')).toBe(true);
  });

  it('has a sentence for every action literal in app/ and db/', () => {
    const { literals } = scan();
    const missing = literals.filter(
      ({ action, aliases }) => !(action in AUDIT_ACTIONS) && !isColumnReference(action, aliases) && !FILE_EXTENSIONS.test(action) && !(action in NOT_ACTIONS),
    );
    expect(
      missing.map((m) => `${m.action} (${m.where}): add a sentence to app/audit/sentences.ts, or list it in NOT_ACTIONS if it is no action`),
    ).toEqual([]);
  });

  it('has a sentence for every entity a `${level}.verb` template can make', () => {
    const problems: string[] = [];
    for (const { verb, where, file } of scan().templates) {
      // The entities the template's file records `.create` for are the levels it is called with.
      const levels = [...new Set([...file.matchAll(/'([a-z_]+)\.create'/g)].map((m) => m[1]!))];
      if (levels.length === 0) problems.push(`${where}: \`\${…}.${verb}\` — no '<entity>.create' beside it to tell which entities it records`);
      for (const level of levels) if (!(`${level}.${verb}` in AUDIT_ACTIONS)) problems.push(`${level}.${verb} (${where}): add a sentence to app/audit/sentences.ts`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every action a family the filter lists, and a sentence that ends as one, even with no names at all', () => {
    const families = new Set(AUDIT_FAMILIES.map((f) => f.id));
    for (const [action, spec] of Object.entries(AUDIT_ACTIONS)) {
      expect(families.has(spec.family), action).toBe(true);
      const sentence = describeAuditEvent(
        { actor_id: null, actor_email: 'system', entity: action.split('.')[0]!, entity_id: null, action, before_json: null, after_json: null, reason: null },
        EMPTY_NAME_BOOK,
      );
      expect(sentence, action).toMatch(/^The system\b.+[.]$/);
      expect(sentence, action).not.toMatch(/undefined|null|\[object/);
    }
  });
});
