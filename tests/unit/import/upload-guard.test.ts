import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS, guardUpload, readZipDirectory, resolveUploadLimits, UploadRejectedError } from '#app/import/upload-guard.server';
import { HOSTILE_CASES } from '#fixtures/questionnaire-import/hostile';
import { buildMinimalWorkbook, buildSampleQuestionnaire, sampleQuestionnaireCsv } from '#fixtures/questionnaire-import/workbooks';

/** Cases only the worker can catch: the directory is honest-looking, the data is not. */
const WORKER_ONLY = new Set(['zip-bomb-lying-header.xlsx', 'corrupt-data.xlsx', 'malformed-xml.xlsx']);

function refusal(run: () => unknown): UploadRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof UploadRejectedError) return error;
    throw error;
  }
  throw new Error('expected the upload to be refused');
}

const limits = DEFAULT_UPLOAD_LIMITS;
const text = (s: string) => new TextEncoder().encode(s);

describe('guardUpload on the hostile corpus', () => {
  it.each(HOSTILE_CASES.filter((c) => !WORKER_ONLY.has(c.fileName)).map((c) => [c.fileName, c] as const))(
    'refuses %s before any parser runs',
    async (_name, item) => {
      const bytes = await item.build();
      const error = refusal(() => guardUpload(bytes, item.fileName, limits));
      expect({ status: error.status, code: error.code }).toEqual({ status: item.status, code: item.code });
      // Every message names the file and says what to do.
      expect(error.message).toContain(item.fileName);
      expect(error.message).toMatch(/upload|Upload/);
    },
  );

  it.each(HOSTILE_CASES.filter((c) => WORKER_ONLY.has(c.fileName)).map((c) => [c.fileName, c] as const))('lets %s through to the worker', async (_name, item) => {
    expect(guardUpload(await item.build(), item.fileName, limits).kind).toBe('xlsx');
  });
});

describe('guardUpload on good files', () => {
  it('accepts an exceljs workbook, hyperlinks included, and returns its ZIP entries', async () => {
    const bytes = await buildSampleQuestionnaire();
    const guarded = guardUpload(bytes, 'questionnaire.xlsx', limits);
    expect(guarded.kind).toBe('xlsx');
    if (guarded.kind !== 'xlsx') return;
    const names = guarded.entries.map((e) => e.name);
    expect(names).toContain('xl/workbook.xml');
    expect(names).toContain('[Content_Types].xml');
    for (const entry of guarded.entries) expect(entry.dataOffset + entry.compressedSize).toBeLessThanOrEqual(bytes.length);
  });

  it('accepts UTF-8 CSV with or without a BOM, whatever it is called, unless it is called a workbook', () => {
    expect(guardUpload(text(sampleQuestionnaireCsv()), 'bank.csv', limits)).toEqual({ kind: 'csv' });
    expect(guardUpload(text('Key,Question\nQ-1,Déjà vu — “quoted”?\n'), 'bank.txt', limits)).toEqual({ kind: 'csv' });
    expect(refusal(() => guardUpload(text('Key,Question\n'), 'bank.xlsm', limits)).status).toBe(415);
  });

  it('judges type by the bytes: a workbook named .csv is still a workbook', async () => {
    expect(guardUpload(await buildMinimalWorkbook(), 'renamed.csv', limits).kind).toBe('xlsx');
  });
});

describe('limits', () => {
  afterEach(() => {
    delete process.env.QUESTIONNAIRE_IMPORT_MAX_BYTES;
  });

  it('applies the size cap before looking at the contents', () => {
    const error = refusal(() => guardUpload(new Uint8Array(2_048).fill(0xd0), 'x.xlsx', { ...limits, maxBytes: 1_024 }));
    expect(error.status).toBe(413);
    expect(error.message).toBe('“x.xlsx” is 2 KB; the limit is 1 KB. Remove images and unused sheets, or split the questionnaire into smaller files, and upload again.');
  });

  it('takes the cap from the caller, else the environment, else 10 MB', () => {
    expect(resolveUploadLimits().maxBytes).toBe(10 * 1024 * 1024);
    process.env.QUESTIONNAIRE_IMPORT_MAX_BYTES = '2000000';
    expect(resolveUploadLimits().maxBytes).toBe(2_000_000);
    expect(resolveUploadLimits(5).maxBytes).toBe(5);
    process.env.QUESTIONNAIRE_IMPORT_MAX_BYTES = 'lots';
    expect(resolveUploadLimits().maxBytes).toBe(10 * 1024 * 1024);
  });

  it('checks bomb limits from the directory alone, so lower limits bite on ordinary files', async () => {
    const bytes = await buildMinimalWorkbook();
    expect(refusal(() => readZipDirectory(bytes, 'w.xlsx', { ...limits, maxZipEntries: 3 })).code).toBe('too_many_entries');
    expect(refusal(() => readZipDirectory(bytes, 'w.xlsx', { ...limits, maxUncompressedBytes: 1_000 })).code).toBe('zip_bomb');
    expect(refusal(() => readZipDirectory(bytes, 'w.xlsx', { ...limits, ratioCheckAboveBytes: 100, maxCompressionRatio: 1.5 })).code).toBe('zip_bomb');
  });

  it('refuses a ZIP with bytes appended after its directory (another parser could read it differently)', async () => {
    const bytes = await buildMinimalWorkbook();
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes);
    expect(refusal(() => guardUpload(padded, 'w.xlsx', limits)).code).toBe('corrupt');
  });

  it('keeps control characters and long names out of messages', () => {
    const error = refusal(() => guardUpload(text('%PDF-1.7'), `evil\r\nname${'x'.repeat(200)}.xlsx`, limits));
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain('…');
  });
});
