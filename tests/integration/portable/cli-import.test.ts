/**
 * `npx workbench rfp import <file.json> [--lead EMAIL]` through the real CLI process (app/cli/bin.js), on the run's
 * dialect: a bad file is refused with one line naming the JSON path, a good one is imported with a one-line summary,
 * and the same file again is refused because the reference exists.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingFor } from '#app/confidentiality/panel';
import { exportPortableByReference } from '#db/portable/export';
import { type PortableRfpFile, portableRfpFileSchema } from '#db/portable/schema';
import { createEvaluation } from '#tests/support/evaluation-factory';
import { runCli } from '#tests/support/cli';
import { createServerDatabaseUrl, createTestDatabase } from '#tests/support/db';
import { closeDatabase, expectSameContent } from './helpers';

describe('workbench rfp import', () => {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  let file: PortableRfpFile;
  let lead: string;
  const dir = mkdtempSync(join(tmpdir(), 'wb-portable-'));
  const cli = (args: string[], input?: string) => runCli(databaseUrl, args, input);
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };
  const expectOneLineError = (result: Awaited<ReturnType<typeof cli>>, pattern: RegExp | string) => {
    expect(result.status, result.stdout).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    if (typeof pattern === 'string') expect(result.stderr).toContain(pattern);
    else expect(result.stderr).toMatch(pattern);
  };

  beforeAll(async () => {
    ({ url: databaseUrl, cleanup } = await createServerDatabaseUrl());
    // The file comes from another installation (a test database of the same dialect).
    const source = await createTestDatabase();
    try {
      const evaluation = await createEvaluation(source.db);
      file = await exportPortableByReference(source.db, evaluation.reference, everythingFor);
      lead = evaluation.lead.email;
    } finally {
      await closeDatabase(source);
    }
  });
  afterAll(async () => {
    await cleanup();
  });

  it('refuses bad files with one line naming the JSON path, then imports, then refuses the same reference', async () => {
    const created = await cli(['user', 'create', '--email', lead, '--name', 'Lena Lead', '--role', 'officer'], 'a-long-enough-password\n');
    expect(created.status, created.stderr).toBe(0);

    expectOneLineError(await cli(['rfp', 'import', write('not-json.json', '{ "format": ')]), 'The file is not JSON');
    expectOneLineError(await cli(['rfp', 'import', write('v2.json', { ...file, version: 2 })]), 'Not a valid portable RFP file: $.version: Invalid input: expected 1');
    const badStatus = structuredClone(file) as { submissions: Array<{ status: string }> };
    badStatus.submissions[1]!.status = 'lost';
    expectOneLineError(await cli(['rfp', 'import', write('status.json', badStatus)]), '$.submissions[1].status: Invalid option');
    const unknownQuestion = structuredClone(file);
    unknownQuestion.submissions[0]!.answers['RAI-99'] = 'Yes';
    expectOneLineError(await cli(['rfp', 'import', write('unknown.json', unknownQuestion)]), '$.submissions[0].answers["RAI-99"]: answers question RAI-99, which is not in the questionnaire');
    expectOneLineError(await cli(['rfp', 'import', join(dir, 'missing.json')]), /Cannot read .*missing\.json/);
    // Calling it wrongly is a usage error: exit 2, one line.
    const noFile = await cli(['rfp', 'import']);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr.trim().split('\n')).toHaveLength(1);
    expect(noFile.stderr).toMatch(/rfp import needs a file/);
    expect(JSON.parse((await cli(['rfp', 'list', '--json'])).stdout)).toEqual([]);

    const path = write('good.json', file);
    const imported = await cli(['rfp', 'import', path]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout.trim().split('\n')).toHaveLength(1);
    expect(imported.stdout).toContain(`Imported ${file.rfp.reference} (consensus): 5 sections, 13 criteria`);
    expect(imported.stdout).toContain(`lead ${lead}`);
    expect(imported.stdout).toMatch(/4 accounts created disabled \(.*\): an admin must enable them and reset their passwords/);
    expect(imported.stdout).toContain('results recomputed: same as the file');

    const exported = await cli(['rfp', 'export', file.rfp.reference, '--format', 'json']);
    expect(exported.status, exported.stderr).toBe(0);
    expectSameContent(file, portableRfpFileSchema.parse(JSON.parse(exported.stdout)));

    expectOneLineError(await cli(['rfp', 'import', path]), `An RFP with the reference ${file.rfp.reference} already exists here`);
    expectOneLineError(await cli(['rfp', 'import', path, '--lead', 'nobody@city.example']), `already exists here`);
    // Each run of the CLI starts tsx and migrates: about two seconds apiece.
  }, 120_000);
});
