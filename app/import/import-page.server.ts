import type { Kysely } from 'kysely';
import { getPendingUpload, type PendingUpload, savePendingUploadPlan } from '#db/queries/pending-uploads';
import { listQuestionKeys } from '#db/queries/questionnaire';
import type { Database } from '#db/schema';
import { type ImportPlan, importPlanSchema, type WorkbookGrid } from './import-types.server';
import type { CollisionChoice } from './import-page-fields';
import { planFromForm, type ProposeSheet } from './import-page-plan.server';
import { mappingViews, type PreviewView, previewView, type SheetChoice, sheetChoices, type SheetMappingView, viewParams } from './import-page-view.server';
import { proposeForSheet, proposeForWorkbook } from './mapping.server';
import { IMPORT_MAX_BYTES, loadUploadGrid, previewGrid, previousImports, saveImport, sha256Of, UploadRejectedError } from './questionnaire-import.server';

/**
 * The questionnaire import page's server side, so the route only guards, calls one of these and renders: loading the
 * page (the stored workbook, the plan last stored with the upload or else the proposal, its preview), storing the plan
 * the officer's "Update the preview" form describes, and confirming the import of that plan.
 *
 * The plan lives with the pending upload (POST, then redirect to GET), so a reload or the back button never loses the
 * officer's choices, and confirming imports exactly the plan whose preview the page showed (its fingerprint is checked).
 */

export interface ImportPageModel {
  status: number;
  /** Why the page cannot show a preview (expired upload, a mapping that does not fit); shown in the error summary. */
  problem: string | null;
  upload: { id: string; fileName: string; size: number } | null;
  /** Said when a file with the same content was imported into this RFP before (recognised by its SHA-256). */
  alreadyImported: string | null;
  mapping: { warnings: string[]; sheets: SheetChoice[]; forms: SheetMappingView[] } | null;
  preview: (PreviewView & { fingerprint: string }) | null;
  onCollision: CollisionChoice;
}

const EXPIRED = 'That upload has expired or is not yours. Upload the file again.';

const emptyPage = (problem: string | null, status = 200): ImportPageModel => ({
  status,
  problem,
  upload: null,
  alreadyImported: null,
  mapping: null,
  preview: null,
  onCollision: 'skip',
});

/** Proposes one sheet's mapping: M's proposal, for the header row and layout the officer chose when they chose one. */
export const proposeSheet: ProposeSheet = (sheet, { headerRow, orientation }) =>
  headerRow === undefined ? proposeForSheet(sheet) : proposeForSheet(sheet, headerRow, orientation ?? 'rows');

interface Loaded {
  upload: PendingUpload;
  grid: WorkbookGrid;
  /** The plan last stored with the upload, or the proposal when there is none (or it no longer fits the file). */
  plan: ImportPlan;
  /** The workbook's proposal (ranking every sheet), worked out only when asked for: confirming a stored plan needs none. */
  proposal: () => ReturnType<typeof proposeForWorkbook>;
  stored: boolean;
}

async function loadUpload(db: Kysely<Database>, rfp: { id: string }, user: { id: string }, uploadId: string): Promise<Loaded | null> {
  const upload = await getPendingUpload(db, { id: uploadId, rfpId: rfp.id, userId: user.id });
  if (!upload) return null;
  const grid = await loadUploadGrid(db, upload, { maxBytes: IMPORT_MAX_BYTES });
  let proposed: ReturnType<typeof proposeForWorkbook> | undefined;
  const proposal = () => (proposed ??= proposeForWorkbook(grid.sheets));
  const stored = storedPlan(upload.plan_json, grid);
  return {
    upload,
    grid,
    proposal,
    plan: stored ?? { sheets: [{ ...proposal().mapping, sheet: proposal().sheetName }], onCollision: 'skip' },
    stored: stored !== null,
  };
}

/** The stored plan, when it is still a valid plan over this grid's sheets. */
function storedPlan(json: string | null, grid: WorkbookGrid): ImportPlan | null {
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = importPlanSchema.safeParse(value);
  if (!parsed.success) return null;
  const names = new Set(grid.sheets.map((s) => s.name));
  return parsed.data.sheets.every((s) => names.has(s.sheet)) ? parsed.data : null;
}

function intList(values: string[]): number[] {
  return values.map(Number).filter((n) => Number.isInteger(n) && n >= 0);
}

function alreadyImportedMessage(
  reference: string,
  earlier: Array<{ createdAt: string; actorEmail: string | null; created: number; updated: number }>,
): string | null {
  if (earlier.length === 0) return null;
  const times = earlier.map(
    (e) =>
      `on ${e.createdAt.slice(0, 10)}${e.actorEmail ? ` by ${e.actorEmail}` : ''} (${e.created} questions added${e.updated ? `, ${e.updated} updated` : ''})`,
  );
  return `This file was already imported into ${reference}: ${times.join(
    '; ',
  )}. Its keys are in the RFP now, so its rows collide with them: choose what happens to them under “Keys already in the RFP”.`;
}

export async function loadImportPage(
  db: Kysely<Database>,
  rfp: { id: string; reference: string },
  user: { id: string },
  query: URLSearchParams,
): Promise<ImportPageModel> {
  const uploadId = query.get('upload');
  if (!uploadId) return emptyPage(null);
  let loaded: Loaded | null;
  try {
    loaded = await loadUpload(db, rfp, user, uploadId);
  } catch (error) {
    if (error instanceof UploadRejectedError) return emptyPage(error.message, error.status);
    throw error;
  }
  if (!loaded) return emptyPage(EXPIRED);
  const { upload, grid, plan } = loaded;
  const proposal = loaded.proposal();
  const earlier = upload.sha256 ? await previousImports(db, rfp.id, upload.sha256) : [];
  const model: ImportPageModel = {
    status: 200,
    problem: null,
    upload: { id: upload.id, fileName: upload.file_name, size: upload.size },
    alreadyImported: alreadyImportedMessage(rfp.reference, earlier),
    mapping: {
      warnings: [...grid.warnings, ...(loaded.stored ? [] : proposal.warnings)],
      sheets: sheetChoices(
        grid,
        proposal.ranking,
        plan.sheets.map((s) => s.sheet),
      ),
      forms: mappingViews(grid, plan, intList(query.getAll('reproposed'))),
    },
    preview: null,
    onCollision: plan.onCollision ?? 'skip',
  };
  try {
    const preview = await previewGrid(grid, upload.file_name, plan, await listQuestionKeys(db, rfp.id), { maxBytes: IMPORT_MAX_BYTES });
    model.preview = { ...previewView(preview, viewParams(query), plan.sheets.length), fingerprint: preview.fingerprint };
  } catch (error) {
    if (!(error instanceof UploadRejectedError)) throw error;
    // The officer's choices stay on the form; the message says what to change.
    model.problem = error.message;
    model.status = error.status;
  }
  return model;
}

/** Stores the plan the "Update the preview" form describes; the caller redirects to the page, which shows it. */
export async function updatePlan(
  db: Kysely<Database>,
  rfp: { id: string },
  user: { id: string },
  form: URLSearchParams,
): Promise<{ ok: true; query: string } | { ok: false; problems: string[] }> {
  const loaded = await loadUpload(db, rfp, user, form.get('upload') ?? '');
  if (!loaded) return { ok: false, problems: [EXPIRED] };
  const read = planFromForm(form, loaded.grid, proposeSheet, loaded.plan);
  if (!read.plan) return { ok: false, problems: read.problems };
  await savePendingUploadPlan(db, { id: loaded.upload.id, rfpId: rfp.id, userId: user.id, planJson: JSON.stringify(read.plan) });
  const query = new URLSearchParams({ upload: loaded.upload.id });
  for (const index of read.reproposed) query.append('reproposed', String(index));
  return { ok: true, query: query.toString() };
}

/**
 * Imports the stored plan's preview (S's saveImport: all or nothing, the lock checked in the write, 409 when the
 * questionnaire or the plan changed since the officer's preview) and says what it did, for the questionnaire's message.
 */
export async function confirmImport(
  db: Kysely<Database>,
  rfp: { id: string; reference: string },
  user: { id: string; email: string },
  form: URLSearchParams,
): Promise<{ query: string }> {
  const loaded = await loadUpload(db, rfp, user, form.get('upload') ?? '');
  if (!loaded) throw new UploadRejectedError(400, 'expired', EXPIRED);
  const { upload, grid, plan } = loaded;
  const expected = form.get('fingerprint') ?? '';
  const saved = await saveImport(
    db,
    rfp,
    { id: user.id, email: user.email },
    { id: upload.id, fileName: upload.file_name, size: upload.size, sha256: upload.sha256 ?? sha256Of(upload.bytes), grid },
    plan,
    { maxBytes: IMPORT_MAX_BYTES, expected: expected === '' ? undefined : expected },
  );
  return { query: new URLSearchParams({ imported: String(saved.created), updated: String(saved.updated), skipped: String(saved.skipped) }).toString() };
}
