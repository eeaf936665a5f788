import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { portableRfpFileSchema } from '#db/portable/schema';
import { getRfpByReference } from '#db/queries/rfps';
import { listSubmissions } from '#db/queries/vendors';
import { workbookSigningSecret } from '#app/responses/workbook-signing.server';
import { parseVendorWorkbook } from '#app/xlsx/vendor-response-import.server';
import { verifyIssue } from '#app/xlsx/vendor-workbook-signature.server';
import { asDatabaseAdministrator } from '#tests/support/audit-tamper';
import { runCli } from '#tests/support/cli';
import { createServerDatabaseUrl } from '#tests/support/db';

describe('workbench CLI', () => {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  const cli = (args: string[], input?: string, env?: Record<string, string>) => runCli(databaseUrl, args, input, env);

  beforeAll(async () => {
    ({ url: databaseUrl, cleanup } = await createServerDatabaseUrl());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('migrates, loads the demo once, creates an admin from stdin, lists and exports', async () => {
    expect((await cli(['migrate'])).status).toBe(0);
    const seeded = await cli(['seed', '--demo']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const again = await cli(['seed', '--demo']);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/not empty/);

    const created = await cli(['user', 'create', '--email', 'First.Admin@City.example', '--name', 'First Admin', '--role', 'admin'], 'a-long-enough-password\n');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created admin first.admin@city.example/);
    const weak = await cli(['user', 'create', '--email', 'x@city.example', '--name', 'X', '--role', 'admin'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters/);
    const badRole = await cli(['user', 'create', '--email', 'y@city.example', '--name', 'Y', '--role', 'king'], 'a-long-enough-password\n');
    // A usage mistake exits 2, a refusal 1.
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of/);

    // An invitation instead of a typed password: the mail waits in the outbox with a link to this installation.
    const invited = await cli(['user', 'invite', '--email', 'Ines.Invitee@City.example', '--name', 'Ines Invitee', '--role', 'evaluator'], undefined, { APP_ORIGIN: 'https://workbench.city.example/' });
    expect(invited.status, invited.stderr).toBe(0);
    expect(invited.stdout).toMatch(/Invited evaluator ines.invitee@city.example/);
    const outbox = JSON.parse((await cli(['mail', 'list', '--json'])).stdout) as Array<{ to: string; subject: string; text: string; status: string }>;
    const mail = outbox.find((m) => m.to === 'ines.invitee@city.example');
    expect(mail).toMatchObject({ status: 'pending', subject: 'An administrator of the workbench invited you to the AI Vendor Evaluation Workbench' });
    expect(mail?.text).toMatch(/https:\/\/workbench\.city\.example\/invitation\/[A-Za-z0-9_-]{43}/);
    const taken = await cli(['user', 'invite', '--email', 'first.admin@city.example', '--name', 'Again', '--role', 'admin']);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/already exists/);

    const list = await cli(['rfp', 'list', '--json']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ reference: 'DEMO-311-GENAI', status: 'consensus' }),
    ]);

    const exported = await cli(['rfp', 'export', 'DEMO-311-GENAI', '--format', 'json']);
    expect(exported.status, exported.stderr).toBe(0);
    const file = portableRfpFileSchema.parse(JSON.parse(exported.stdout));
    expect(file.rfp.reference).toBe('DEMO-311-GENAI');
    expect(file.vendors.map((v) => v.name).sort()).toEqual(['BudgetBot LLC', 'Civic Answers Inc.', 'OmniSight Analytics', 'QuickServe AI']);
    expect(file.evaluators.map((e) => e.email).sort()).toEqual(['evaluator1@city.example', 'evaluator2@city.example', 'evaluator3@city.example']);
    expect(file.audit.some((e) => e.action === 'rfp.create')).toBe(true);
    // The demo questionnaire travels whole: sections, criteria with rubrics, questions with their options.
    const criteria = file.sections.flatMap((s) => s.criteria);
    expect(criteria.flatMap((c) => c.questions).length).toBeGreaterThanOrEqual(40);
    expect(criteria.filter((c) => c.kind === 'price')).toHaveLength(1);
    expect(criteria.filter((c) => c.kind === 'pass_fail').length).toBeGreaterThanOrEqual(2);
    expect(criteria.reduce((sum, c) => sum + c.points, 0)).toBe(100);
    expect(criteria.find((c) => c.kind === 'scored')!.rubric.map((r) => r.level)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(file.rfp.riskTier).toBe('II');

    const missing = await cli(['rfp', 'export', 'NOPE', '--format', 'json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No RFP with the reference NOPE/);
    expect((await cli(['frobnicate'])).status).toBe(2);
  }, 180_000);

  it('exports the vendor workbook blank or issued to one vendor, signed with the key the app uses', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wb-cli-vendor-'));
    const handle = openDatabase(databaseUrl);
    try {
      const rfp = (await getRfpByReference(handle.db, 'DEMO-311-GENAI'))!;
      const vendor = (await listSubmissions(handle.db, rfp.id))[0]!;
      const secret = await workbookSigningSecret(handle.db, {});
      const issued = await cli(['rfp', 'export', 'DEMO-311-GENAI', '--format', 'vendor-xlsx', '--vendor', vendor.vendor_key, '--out', join(out, 'issued.xlsx')]);
      expect(issued.status, issued.stderr).toBe(0);
      const blank = await cli(['rfp', 'export', 'DEMO-311-GENAI', '--format', 'vendor-xlsx', '--out', join(out, 'blank.xlsx')]);
      expect(blank.status, blank.stderr).toBe(0);
      for (const [file, expected] of [['issued.xlsx', { id: vendor.vendor_id, key: vendor.vendor_key, name: vendor.vendor_name }], ['blank.xlsx', null]] as const) {
        const { signed } = await parseVendorWorkbook(new Uint8Array(readFileSync(join(out, file))), file);
        expect(signed?.issue).toMatchObject({ rfpId: rfp.id, vendor: expected });
        expect(verifyIssue(signed!.issue!, signed!.signature!, secret)).toBe(true);
      }
      const unknown = await cli(['rfp', 'export', 'DEMO-311-GENAI', '--format', 'vendor-xlsx', '--vendor', 'no-such-vendor', '--out', join(out, 'x.xlsx')]);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toMatch(/DEMO-311-GENAI has no vendor with the key no-such-vendor/);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('audit verify: an intact chain and its head, then the first event a DBA altered, and a filed head that is gone', async () => {
    const REF = 'DEMO-311-GENAI';
    const handle = openDatabase(databaseUrl);
    try {
      await migrateToLatest(handle.db);
      if (!(await getRfpByReference(handle.db, REF))) expect((await cli(['seed', '--demo'])).status).toBe(0);
      const intact = await cli(['audit', 'verify', REF]);
      expect(intact.status, intact.stderr).toBe(0);
      const [, count, head] = /^DEMO-311-GENAI: (\d+) events, chain intact, head seq \d+ ([0-9a-f]{64})/.exec(intact.stdout) ?? [];
      expect(Number(count)).toBeGreaterThan(5);

      // The portable file carries that head, and a filed head is checked against the chain.
      const exported = portableRfpFileSchema.parse(JSON.parse((await cli(['rfp', 'export', REF, '--format', 'json'])).stdout));
      expect(exported.auditChain).toMatchObject({ head: { hash: head }, count: Number(count) });
      expect((await cli(['audit', 'verify', REF, '--head', head!])).stdout).toMatch(/chain intact.*; the filed head [0-9a-f]{12}… is in the chain\.$/m);

      const rfp = (await getRfpByReference(handle.db, REF))!;
      const target = await handle.db.selectFrom('audit_event').select(['id', 'seq', 'action', 'at']).where('rfp_id', '=', rfp.id).where('seq', '=', 3).executeTakeFirstOrThrow();
      await asDatabaseAdministrator(handle.db, (trx) => trx.updateTable('audit_event').set({ after_json: '{"forged":true}' }).where('id', '=', target.id).execute());
      const broken = await cli(['audit', 'verify', REF]);
      expect(broken.status).toBe(1);
      expect(broken.stderr.trim().split('\n')).toHaveLength(1);
      expect(broken.stderr).toContain(`${REF}: chain broken at seq 3 (event id ${target.id}, ${target.at}, ${target.action}): hash mismatch`);
      expect(broken.stderr).toMatch(/2 events before it verify/);

      const gone = await cli(['audit', 'verify', '--global', '--head', 'a'.repeat(64)]);
      expect(gone.status).toBe(1);
      expect(gone.stderr).toMatch(/^workbench: global chain: \d+ events, chain intact, head .*but the filed head a{64} is not in the chain/);
      expect((await cli(['audit', 'verify', REF, '--global'])).stderr).toMatch(/needs an RFP reference or --global \(not both\)/);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
