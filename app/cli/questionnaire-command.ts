/**
 * `workbench questionnaire preview|import`: the questionnaire import for administrators who script it. The same code
 * path as the page (parse once in the worker, propose, preview the stored grid, save exactly that preview) and the
 * same limits (QUESTIONNAIRE_IMPORT_MAX_BYTES, QUESTIONNAIRE_IMPORT_MAX_ROWS, the worker's caps).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { IMPORT_FIELDS, type ImportField } from '#app/import/import-fields';
import {
  type CollisionChoice,
  IMPORT_MAX_BYTES,
  type ImportMapping,
  type ImportPlan,
  inspectGrid,
  parseUpload,
  previewGrid,
  type PreviewResult,
  previousImports,
  saveImport,
  type GridInspection,
} from '#app/import/questionnaire-import.server';
import { questionnaireLock } from '#app/rfp/locks.server';
import { SYSTEM_ACTOR } from '#db/queries/audit';
import { listQuestionKeys } from '#db/queries/questionnaire';
import { getRfpByReference } from '#db/queries/rfps';
import type { Database } from '#db/schema';
import { UsageError } from './usage-error';


export interface QuestionnaireOptions {
  sheet?: string;
  'header-row'?: string;
  map?: string;
  only?: string;
  'on-collision'?: string;
  json?: boolean;
}

/** Runs `questionnaire preview <file>` or `questionnaire import <reference> <file>`; returns what to print on stdout. */
export async function questionnaireCommand(db: Kysely<Database>, sub: string | undefined, args: string[], options: QuestionnaireOptions, warn: (line: string) => void): Promise<string> {
  if (sub === 'preview') {
    if (args.length !== 1) throw new UsageError('questionnaire preview needs one file');
    const { fileName, inspection, plan, preview } = await previewFile(args[0]!, options, []);
    return options.json ? `${JSON.stringify(previewJson(inspection, plan, preview), null, 2)}\n` : summary(fileName, inspection, plan, preview);
  }
  if (sub === 'import') {
    if (args.length !== 2) throw new UsageError('questionnaire import needs an RFP reference and a file');
    const [reference, file] = args as [string, string];
    const rfp = await getRfpByReference(db, reference);
    if (!rfp) throw new Error(`No RFP with the reference ${reference}.`);
    // Said before the file is read; the lock inside the write's transaction is the one that counts.
    const locked = questionnaireLock(rfp);
    if (locked) throw new Error(locked);
    const { fileName, bytes, sha256, grid, plan, preview } = await previewFile(file, options, await listQuestionKeys(db, rfp.id));
    const earlier = await previousImports(db, rfp.id, sha256);
    if (earlier.length > 0) warn(`note: ${fileName} (the same content) was already imported into ${rfp.reference} on ${earlier[earlier.length - 1]!.createdAt.slice(0, 10)}.`);
    const outcome = await saveImport(db, rfp, SYSTEM_ACTOR, { fileName, size: bytes.byteLength, sha256, grid }, plan, { maxBytes: IMPORT_MAX_BYTES, expected: preview.fingerprint });
    const collided = preview.collisions.length > 0 ? `; ${preview.collisions.length} key(s) already in the RFP ${outcomeWord(plan.onCollision)}` : '';
    return `Imported ${outcome.created} new question(s) into ${rfp.reference} (${outcome.sections} new section(s)), updated ${outcome.updated}, skipped ${outcome.skipped} row(s)${collided}.\n`;
  }
  throw new UsageError(`Unknown command "questionnaire ${sub ?? ''}". Use questionnaire preview or questionnaire import.`);
}

async function previewFile(path: string, options: QuestionnaireOptions, existing: Array<{ id: string; key: string; text: string }>) {
  const headerRow = options['header-row'] === undefined ? undefined : parseHeaderRow(options['header-row']);
  const onCollision = parseCollision(options['on-collision']);
  const overrides = options.map === undefined ? {} : parseMap(options.map);
  const filter = options.only === undefined ? undefined : parseOnly(options.only);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fileName = basename(path);
  const { grid, sha256 } = await parseUpload(bytes, fileName, { maxBytes: IMPORT_MAX_BYTES });
  const inspection = inspectGrid(grid, fileName, { sheet: options.sheet, headerRow });
  const columns = { ...inspection.proposed.columns };
  for (const [field, column] of Object.entries(overrides) as Array<[ImportField, number | null]>) {
    if (column === null) delete columns[field];
    else columns[field] = column;
  }
  // --only replaces the proposal's filter (an assessable/in-scope column it found); --only none drops it.
  const { filter: proposedFilter, ...proposed } = inspection.proposed;
  const chosenFilter = filter === undefined ? proposedFilter : (filter ?? undefined);
  const mapping: ImportMapping = { ...proposed, columns, ...(chosenFilter ? { filter: chosenFilter } : {}) };
  const plan: ImportPlan = { sheets: [mapping], onCollision };
  const preview = await previewGrid(grid, fileName, plan, existing, { maxBytes: IMPORT_MAX_BYTES });
  return { fileName, bytes, sha256, grid, inspection, plan, preview };
}

function parseHeaderRow(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) throw new UsageError('--header-row must be a row number (0 when the sheet has no header row)');
  return value;
}

function parseCollision(raw: string | undefined): CollisionChoice {
  if (raw === undefined) return 'skip';
  const value = raw.trim().toLowerCase().replace(/-/g, '_');
  if (value === 'skip' || value === 'update' || value === 'new_keys') return value;
  throw new UsageError('--on-collision must be skip, update or new-keys');
}

/** `key=1,question=3,section=none`: columns numbered from 1; `none` (or 0) leaves a field unmapped. */
function parseMap(raw: string): Partial<Record<ImportField, number | null>> {
  const out: Partial<Record<ImportField, number | null>> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z]+)\s*=\s*(\S*)$/.exec(part);
    const field = IMPORT_FIELDS.find((f) => f.toLowerCase() === match?.[1]?.toLowerCase());
    if (!match || !field) throw new UsageError(`--map: “${part}” is not field=column; the fields are ${IMPORT_FIELDS.join(', ')}`);
    const value = match[2]!.toLowerCase();
    if (value === 'none' || value === '0' || value === '') out[field] = null;
    else if (/^\d+$/.test(value)) out[field] = Number(value);
    else throw new UsageError(`--map: the column of ${field} must be a number counted from 1 (or none)`);
  }
  return out;
}

/** `column=value`: keep only rows whose cell in that column (counted from 1) is the value; `none`: keep every row. */
function parseOnly(raw: string): { column: number; value: string } | null {
  if (raw.trim().toLowerCase() === 'none') return null;
  const match = /^\s*(\d+)\s*=(.*)$/.exec(raw);
  if (!match || Number(match[1]) < 1 || match[2]!.trim() === '') throw new UsageError('--only must be column=value, the column a number counted from 1 (e.g. --only 5=x), or none');
  return { column: Number(match[1]), value: match[2]!.trim() };
}

function outcomeWord(choice: ImportPlan['onCollision']): string {
  return choice === 'update' ? 'were updated' : choice === 'new_keys' ? 'were added with new keys' : 'were skipped';
}

/** The preview as JSON: the shape scripts rely on (issue 11, item 8). */
export function previewJson(inspection: GridInspection, plan: ImportPlan, preview: PreviewResult) {
  const mapping = plan.sheets[0]!;
  return {
    sheet: mapping.sheet,
    headerRow: mapping.headerRow,
    mapping: Object.fromEntries(IMPORT_FIELDS.map((field) => [field, mapping.columns[field] ?? null])),
    sheets: inspection.sheets.map((s) => ({ name: s.name, rows: s.rowCount })),
    sections: preview.sections.map((s) => ({
      title: s.title,
      questions: s.questions.map((q) => ({ key: q.key, text: q.text, answerType: q.answerType, options: q.options })),
    })),
    skipped: preview.skipped.map((s) => ({ row: s.row, reason: s.reason })),
    warnings: [...inspection.warnings, ...preview.warnings],
    /** The row filter in force (the proposal's or --only's), or null. */
    only: mapping.filter ?? null,
  };
}

function summary(fileName: string, inspection: GridInspection, plan: ImportPlan, preview: PreviewResult): string {
  const mapping = plan.sheets[0]!;
  const questions = preview.sections.reduce((n, s) => n + s.questions.length, 0);
  const lines = [
    `${fileName}: sheet “${mapping.sheet}”, header row ${mapping.headerRow}${mapping.filter ? `, only rows where column ${mapping.filter.column} is “${mapping.filter.value}”` : ''}`,
    `Sheets: ${inspection.sheets.map((s) => `${s.name} (${s.rowCount} rows${s.hidden ? ', hidden' : ''})`).join(', ')}`,
    `Columns: ${IMPORT_FIELDS.map((f) => `${f}=${mapping.columns[f] ?? '-'}`).join(' ')}`,
    `${questions} question(s) in ${preview.sections.length} section(s); ${preview.skipped.length} row(s) skipped.`,
  ];
  for (const section of preview.sections) {
    lines.push('', `${section.title} (${section.questions.length})`);
    for (const q of section.questions) {
      const options = q.options.length > 0 ? ` [${q.options.map((o) => o.label).join(' / ')}]` : '';
      const text = q.text.replace(/\s+/g, ' ');
      lines.push(`  ${q.key.padEnd(14)} ${q.answerType.padEnd(12)} ${text.length > 90 ? `${text.slice(0, 89)}…` : text}${options}`);
    }
  }
  if (preview.skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const s of preview.skipped) lines.push(`  row ${s.row}: ${s.reason}`);
  }
  const warnings = [...inspection.warnings, ...preview.warnings];
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings) lines.push(`  ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
