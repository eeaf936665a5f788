/**
 * LibreOffice headless, as a vendor or a city reader without Excel would open and re-save a workbook.
 * Each call gets a profile of its own, so parallel test files never share (and lock) one.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/** Converts (or re-saves, for xlsx → xlsx) `file` into `outdir` and returns the new file's path. */
export async function libreOfficeConvert(file: string, format: 'xlsx' | 'pdf' | 'csv', outdir: string): Promise<string> {
  if (!SOFFICE) throw new Error('This test needs LibreOffice Calc: apt-get install libreoffice-calc');
  const profile = join(tmpdir(), `lo-profile-${randomBytes(6).toString('hex')}`);
  mkdirSync(outdir, { recursive: true });
  try {
    await run(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', format, '--outdir', outdir, file], { timeout: 120_000 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const out = join(outdir, basename(file).replace(/\.[^.]+$/, `.${format}`));
  if (!existsSync(out)) throw new Error(`LibreOffice did not write ${out}`);
  return out;
}
