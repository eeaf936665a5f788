import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portableRfpFileSchema } from '#db/portable/schema';
import { createServerDatabaseUrl } from '#tests/support/db';

const root = join(import.meta.dirname, '..', '..');

describe('workbench CLI', () => {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  const cli = (args: string[], input?: string) =>
    spawnSync(process.execPath, [join(root, 'app', 'cli', 'bin.js'), ...args], {
      cwd: root,
      input,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });

  beforeAll(async () => {
    ({ url: databaseUrl, cleanup } = await createServerDatabaseUrl());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('migrates, loads the demo once, creates an admin from stdin, lists and exports', () => {
    expect(cli(['migrate']).status).toBe(0);
    const seeded = cli(['seed', '--demo']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const again = cli(['seed', '--demo']);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/not empty/);

    const created = cli(['user', 'create', '--email', 'First.Admin@City.example', '--name', 'First Admin', '--role', 'admin'], 'a-long-enough-password\n');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created admin first.admin@city.example/);
    const weak = cli(['user', 'create', '--email', 'x@city.example', '--name', 'X', '--role', 'admin'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters/);
    const badRole = cli(['user', 'create', '--email', 'y@city.example', '--name', 'Y', '--role', 'king'], 'a-long-enough-password\n');
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toMatch(/--role must be one of/);

    const list = cli(['rfp', 'list', '--json']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ reference: 'DEMO-311-GENAI', status: 'consensus' }),
    ]);

    const exported = cli(['rfp', 'export', 'DEMO-311-GENAI', '--format', 'json']);
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

    const missing = cli(['rfp', 'export', 'NOPE', '--format', 'json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No RFP with the reference NOPE/);
    expect(cli(['frobnicate']).status).toBe(1);
  }, 180_000);
});
