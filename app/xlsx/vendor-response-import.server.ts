import { createHash } from 'node:crypto';
import { z } from 'zod';
import { keyIdentity } from '#app/import/keys';
import { type WorkerLimits } from '#app/import/parse-in-worker.server';
import { displayName, guardUpload, resolveUploadLimits, UploadRejectedError } from '#app/import/upload-guard.server';
import { readVendorWorkbookInWorker, type RawVendorWorkbook } from './parse-vendor-workbook-in-worker.server';
import { META_LABELS, SIGNATURE_SCHEME, VENDOR_WORKBOOK_FORMAT } from './vendor-workbook-layout';
import { verifyIssue, type WorkbookIssue } from './vendor-workbook-signature.server';
import { answerTypeText } from './vendor-workbook.server';

/**
 * The vendor's filled workbook coming back (DESIGN §5): `parseVendorWorkbook` reads it (through the questionnaire
 * import's upload guard, in a worker thread), `compareVendorAnswers` matches its rows to the questionnaire by question key
 * and says, row by row, what importing would do. Nothing is saved here: the caller shows the preview and applies
 * `changes` all at once, or nothing when `canApply` is false.
 *
 * Rules the preview follows:
 * - The workbook's signature (`vendor-workbook-signature.server.ts`) is checked, and what it says was issued is compared
 *   with what came back and with the questionnaire now. Flags: for the whole workbook — no signature, a signature that
 *   does not verify, another RFP, another questionnaire version, issued to another vendor; for a row — question text or
 *   options edited in the workbook, question or options changed in the app since the workbook was issued, a row that
 *   was not issued. Any flag refuses the import (all or nothing) unless the lead accepts the flags with a reason, which
 *   is audited. A blank workbook (issued to no vendor) is the usual way an RFP is published, so it is not flagged; the
 *   preview says so and shows the vendor name typed in it.
 * - A blank Answer cell never removes an answer already recorded: a workbook exported without answers and filled in
 *   part must not wipe what was entered in the app. Answers are removed in the app, not by blanking a cell.
 * - `missing_required` (a required question that still has no answer) is listed but does not block applying: vendors may
 *   leave questions blank, and evaluators judge that. `unknown_key` rows are ignored and do not block either.
 *   `invalid_choice`, `invalid_number`, `too_long` and `duplicate_key` block, so the vendor (or the officer) fixes the
 *   workbook first.
 */

export type { RawVendorWorkbook } from './parse-vendor-workbook-in-worker.server';

export interface ParsedVendorWorkbook {
  /** From the document properties, else the _meta sheet; null when neither carries our stamp. */
  reference: string | null;
  questionnaireVersion: number | null;
  vendorName: string | null;
  /** `question`, `answerType`: the locked Question and Answer type cells as they came back (null: empty or no column). */
  rows: Array<{ sheet: string; row: number; key: string; raw: string | number | boolean | null; question?: string | null; answerType?: string | null }>;
  /** Whether any sheet had a Key column next to its Answer column. */
  keyColumnFound: boolean;
  /** Where the stamp was read: the properties survive Excel and LibreOffice; _meta is the fallback. */
  stampSource: 'properties' | 'meta' | null;
  /**
   * What the workbook says was issued, and its signature, not yet verified. Null when it carries neither (unsigned);
   * `issue` is null when the record is there but incomplete or malformed (it then cannot verify).
   */
  signed: { issue: WorkbookIssue | null; signature: string | null } | null;
  warnings: string[];
}

export interface ParseVendorWorkbookOptions {
  /** Upload size cap in bytes (default 10 MB, or QUESTIONNAIRE_IMPORT_MAX_BYTES). */
  maxBytes?: number;
  limits?: Partial<WorkerLimits>;
}

/** Reads a vendor's response workbook. Throws `UploadRejectedError` for an upload that is not a readable, safe .xlsx. */
export async function parseVendorWorkbook(bytes: Uint8Array, fileName: string, options: ParseVendorWorkbookOptions = {}): Promise<ParsedVendorWorkbook> {
  const uploadLimits = resolveUploadLimits(options.maxBytes);
  const guarded = guardUpload(bytes, fileName, uploadLimits);
  if (guarded.kind !== 'xlsx') {
    throw new UploadRejectedError(
      415,
      'not_xlsx',
      `“${displayName(fileName)}” is a text or CSV file, not the response workbook. Upload the Excel workbook (.xlsx) the vendor filled in; a CSV copy loses the hidden question keys.`,
    );
  }
  const raw = await readVendorWorkbookInWorker({ bytes, entries: guarded.entries, fileName, uploadLimits, workerLimits: options.limits });
  return interpretRawWorkbook(raw);
}

/** Decides which stamp to believe: the document properties first, the _meta sheet when a tool dropped them. */
export function interpretRawWorkbook(raw: RawVendorWorkbook): ParsedVendorWorkbook {
  const warnings = [...raw.warnings];
  const fromProperties = stampFromProperties(raw.properties);
  const fromMeta = stampFromMeta(raw.meta);
  const stamp = fromProperties ?? fromMeta;
  if (fromProperties && fromMeta && (fromProperties.reference !== fromMeta.reference || fromProperties.version !== fromMeta.version)) {
    warnings.push(
      `The workbook’s properties say ${describeStamp(fromProperties)} but its hidden _meta sheet says ${describeStamp(fromMeta)}; the properties were used.`,
    );
  }
  return {
    reference: stamp?.reference ?? null,
    questionnaireVersion: stamp?.version ?? null,
    vendorName: raw.vendorName,
    rows: raw.rows,
    keyColumnFound: raw.keyColumnFound,
    stampSource: fromProperties ? 'properties' : fromMeta ? 'meta' : null,
    signed: signedIssueOf(raw),
    warnings,
  };
}

const issuedRowSchema = z.object({
  key: z.string().min(1),
  text: z.string(),
  answerType: z.enum(['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment']),
  options: z.string().transform((text, ctx) => {
    const parsed = z.array(z.string()).safeParse(safeJson(text));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'options are not a JSON array of labels' });
      return z.NEVER;
    }
    return parsed.data;
  }),
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The _meta values and _issued rows as a `WorkbookIssue`, or null for any part missing or malformed. */
function signedIssueOf(raw: RawVendorWorkbook): ParsedVendorWorkbook['signed'] {
  const meta = raw.meta ?? {};
  const text = (label: string): string | null => (meta[label] === undefined ? null : String(meta[label]));
  const signature = text(META_LABELS.signature);
  if (signature === null && raw.issued === null && text(META_LABELS.signatureScheme) === null) return null;
  const rows = z.array(issuedRowSchema).safeParse(raw.issued ?? null);
  const rfpId = text(META_LABELS.rfpId);
  const reference = text(META_LABELS.reference);
  const version = positiveInteger(meta[META_LABELS.version]);
  const issuedAt = text(META_LABELS.exportedAt);
  const vendor = [text(META_LABELS.vendorId), text(META_LABELS.vendorKey), text(META_LABELS.vendorName)] as const;
  const vendorComplete = vendor.every((v) => v !== null);
  const vendorAbsent = vendor.every((v) => v === null);
  if (!rows.success || text(META_LABELS.signatureScheme) !== SIGNATURE_SCHEME || !rfpId || !reference || !version || !issuedAt || !(vendorComplete || vendorAbsent)) {
    return { issue: null, signature };
  }
  return {
    signature,
    issue: {
      rfpId,
      reference,
      questionnaireVersion: version,
      vendor: vendorComplete ? { id: vendor[0]!, key: vendor[1]!, name: vendor[2]! } : null,
      issuedAt,
      questions: rows.data,
    },
  };
}

interface Stamp {
  reference: string | null;
  version: number | null;
}

function describeStamp(stamp: Stamp): string {
  return `${stamp.reference ?? 'no reference'}, questionnaire version ${stamp.version ?? '?'}`;
}

/** Keywords "<marker> rfp=<encoded reference> questionnaire-version=<n>", split on whatever separators a tool left. */
function stampFromProperties(properties: RawVendorWorkbook['properties']): Stamp | null {
  const tokens = (properties.keywords ?? '').split(/[\s;,]+/).filter(Boolean);
  if (!tokens.includes(VENDOR_WORKBOOK_FORMAT)) return null;
  let reference: string | null = null;
  let version: number | null = null;
  for (const token of tokens) {
    if (token.startsWith('rfp=')) {
      try {
        reference = decodeURIComponent(token.slice(4)) || null;
      } catch {
        reference = null;
      }
    } else if (token.startsWith('questionnaire-version=')) {
      version = positiveInteger(token.slice('questionnaire-version='.length));
    }
  }
  return { reference: reference ?? properties.subject?.trim() ?? null, version };
}

function stampFromMeta(meta: RawVendorWorkbook['meta']): Stamp | null {
  if (!meta || meta[META_LABELS.format] !== VENDOR_WORKBOOK_FORMAT) return null;
  const reference = meta[META_LABELS.reference];
  return {
    reference: reference === undefined ? null : String(reference).trim() || null,
    version: positiveInteger(meta[META_LABELS.version]),
  };
}

function positiveInteger(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

// ---------------------------------------------------------------------------------------------------------------------
// Compare (pure)

export type VendorAnswerType = 'text' | 'yes_no' | 'choice' | 'multi_choice' | 'number' | 'attachment';
export type AnswerValue = string | number | string[] | null;

export const VENDOR_IMPORT_OUTCOMES = [
  'new',
  'changed',
  'unchanged',
  'unknown_key',
  'invalid_choice',
  'missing_required',
  'too_long',
  'invalid_number',
  'invalid_price',
  'duplicate_key',
] as const;
export type VendorImportOutcome = (typeof VENDOR_IMPORT_OUTCOMES)[number];

/** Outcomes that stop the import until the workbook is fixed. */
export const BLOCKING_OUTCOMES: ReadonlySet<VendorImportOutcome> = new Set(['invalid_choice', 'invalid_number', 'invalid_price', 'too_long', 'duplicate_key']);

export interface ComparedQuestion {
  id: string;
  key: string;
  text: string;
  answerType: VendorAnswerType;
  options: Array<{ label: string }>;
  required: boolean;
  /** The price question: its answer is the vendor's recorded price, so it must be more than 0. */
  isPrice?: boolean;
}

export interface ComparedQuestionnaire {
  rfpId: string;
  reference: string;
  questionnaireVersion: number;
  questions: ComparedQuestion[];
}

/** Flags on the whole workbook: every row is refused unless the lead accepts them. */
export const WORKBOOK_FLAGS = ['unsigned', 'bad_signature', 'other_rfp', 'other_version', 'other_vendor'] as const;
/** Flags on one row: that row (and so the import) is refused unless the lead accepts them. */
export const ROW_FLAGS = ['question_edited', 'options_edited', 'question_changed_since_issue', 'options_changed_since_issue', 'not_issued'] as const;
export type ImportFlagCode = (typeof WORKBOOK_FLAGS)[number] | (typeof ROW_FLAGS)[number];

export interface ImportFlag {
  code: ImportFlagCode;
  message: string;
  /** For a changed text: the text before and after (shown as a word-level difference), and what each of them is. */
  before?: string;
  after?: string;
  beforeLabel?: string;
  afterLabel?: string;
}

export interface VendorImportRow {
  key: string;
  questionId: string | null;
  /** Sheet and row of the workbook; '' and 0 for a required question the workbook has no row for. */
  sheet: string;
  row: number;
  outcome: VendorImportOutcome;
  old: unknown;
  /** The normalised value (what would be saved), or the cell as read when it is not valid. */
  value: unknown;
  message: string | null;
  flags: ImportFlag[];
}

export interface VendorImportPreview {
  refused: string | null;
  rows: VendorImportRow[];
  counts: Record<VendorImportOutcome, number>;
  /** No row needs correcting. Applying also needs the flags accepted when `flagged`. */
  canApply: boolean;
  /** new + changed rows only: what applying saves. */
  changes: Array<{ questionId: string; value: unknown }>;
  warnings: string[];
  /** `valid`: the workbook is the one issued here, as issued; `invalid`: it carries a signature that does not verify. */
  signature: 'valid' | 'missing' | 'invalid';
  /** The vendor the (verified) workbook was issued to; null for a blank workbook or one that is not verified. */
  issuedTo: { id: string; key: string; name: string } | null;
  workbookFlags: ImportFlag[];
  /** Whether any flag, on the workbook or a row, must be accepted with a reason before importing. */
  flagged: boolean;
  /** Identifies the set of flags, so an acceptance given on one preview is not applied to different flags. */
  flagsDigest: string;
}

/** The import runs for one vendor's response, and verifies with the installation's signing secret. */
export interface CompareContext {
  vendor: { id: string; key: string; name: string };
  secret: string;
  limits?: CompareLimits;
}

export interface CompareLimits {
  /** Characters allowed in one text answer (after trimming). */
  maxTextLength: number;
}

/**
 * Matches a parsed workbook to the questionnaire and the answers already recorded (`existing`, by question id) and says
 * what importing would do, with the flags the lead must accept first. Pure: no I/O, same inputs give the same preview.
 */
export function compareVendorAnswers(
  parsed: ParsedVendorWorkbook,
  questionnaire: ComparedQuestionnaire,
  existing: Record<string, unknown>,
  context: CompareContext,
): VendorImportPreview {
  const limits = context.limits ?? { maxTextLength: 32_000 };
  const counts = Object.fromEntries(VENDOR_IMPORT_OUTCOMES.map((o) => [o, 0])) as Record<VendorImportOutcome, number>;
  const refused = refusal(parsed);
  if (refused) {
    return { refused, rows: [], counts, canApply: false, changes: [], warnings: parsed.warnings, signature: 'missing', issuedTo: null, workbookFlags: [], flagged: false, flagsDigest: digestOf([], []) };
  }

  const check = checkSignature(parsed, context.secret);
  const workbookFlags = workbookFlagsOf(parsed, check, questionnaire, context.vendor);
  const issuedByKey = check.verified ? new Map(check.verified.questions.map((q) => [keyIdentity(q.key), q] as const)) : null;

  const warnings = [...parsed.warnings];
  if (check.verified && check.verified.vendor === null) {
    warnings.push(
      `This workbook was issued blank, to no particular vendor${parsed.vendorName ? `; the vendor name typed in it is “${clip(parsed.vendorName)}”` : ', and no vendor name is typed in it'}. Check that it came from ${context.vendor.name}.`,
    );
  }
  if (parsed.reference === null && !check.claimed) {
    warnings.push('The workbook carries no RFP reference or questionnaire version (it may have been copied into a new file), so its rows are matched by question key only.');
  }
  const byKey = new Map(questionnaire.questions.map((q) => [keyIdentity(q.key), q] as const));
  const occurrences = new Map<string, Array<{ sheet: string; row: number }>>();
  for (const row of parsed.rows) {
    if (row.key === '') continue;
    const list = occurrences.get(keyIdentity(row.key)) ?? [];
    list.push({ sheet: row.sheet, row: row.row });
    occurrences.set(keyIdentity(row.key), list);
  }

  const rows: VendorImportRow[] = [];
  const seen = new Set<string>();
  for (const line of parsed.rows) {
    const base = { key: line.key, sheet: line.sheet, row: line.row };
    const question = line.key === '' ? undefined : byKey.get(keyIdentity(line.key));
    if (!question) {
      rows.push({
        ...base,
        questionId: null,
        outcome: 'unknown_key',
        old: null,
        value: line.raw,
        message:
          line.key === ''
            ? 'This row has an answer but no question key (it was probably added by hand), so it is ignored.'
            : `No question of this questionnaire has the key “${line.key}”, so the row is ignored.`,
        flags: [],
      });
      continue;
    }
    seen.add(question.id);
    const old = existing[question.id] ?? null;
    const places = occurrences.get(keyIdentity(line.key)) ?? [];
    if (places.length > 1) {
      rows.push({
        ...base,
        questionId: question.id,
        outcome: 'duplicate_key',
        old,
        value: line.raw,
        message: `The key “${question.key}” appears on ${places.length} rows (${places.map((p) => `“${p.sheet}” row ${p.row}`).join(', ')}). Keep one row per question.`,
        flags: [],
      });
      continue;
    }
    rows.push({ ...base, questionId: question.id, ...judge(question, line.raw, old, limits), flags: rowFlags(line, question, issuedByKey) });
  }

  // Required questions the workbook has no row for at all (rows deleted) and that have no answer yet.
  for (const question of questionnaire.questions) {
    if (seen.has(question.id) || !question.required || !isBlank(existing[question.id] ?? null)) continue;
    rows.push({
      key: question.key,
      questionId: question.id,
      sheet: '',
      row: 0,
      outcome: 'missing_required',
      old: null,
      value: null,
      message: 'Required, but the workbook has no row for this question (the row may have been deleted).',
      flags: [],
    });
  }

  for (const row of rows) counts[row.outcome]++;
  const canApply = rows.every((r) => !BLOCKING_OUTCOMES.has(r.outcome));
  const changes = rows.filter((r) => r.outcome === 'new' || r.outcome === 'changed').map((r) => ({ questionId: r.questionId!, value: r.value }));
  const flagged = workbookFlags.length > 0 || rows.some((r) => r.flags.length > 0);
  return {
    refused: null,
    rows,
    counts,
    canApply,
    changes,
    warnings,
    signature: check.status,
    issuedTo: check.verified?.vendor ?? null,
    workbookFlags,
    flagged,
    flagsDigest: digestOf(workbookFlags, rows),
  };
}

function refusal(parsed: ParsedVendorWorkbook): string | null {
  if (!parsed.keyColumnFound) {
    return 'No questionnaire key column found: the sheets have no “Key” column next to “Answer”, so the answers cannot be matched to questions. Import the workbook exported from this RFP (the Key column is hidden, and must not be deleted).';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// Signature and flags (pure)

interface SignatureCheck {
  status: VendorImportPreview['signature'];
  /** The issue record, when its signature verifies: trusted. */
  verified: WorkbookIssue | null;
  /** The issue record as the workbook states it, verified or not (null when there is none or it is malformed). */
  claimed: WorkbookIssue | null;
}

function checkSignature(parsed: ParsedVendorWorkbook, secret: string): SignatureCheck {
  if (!parsed.signed) return { status: 'missing', verified: null, claimed: null };
  const { issue, signature } = parsed.signed;
  if (issue && signature && verifyIssue(issue, signature, secret)) return { status: 'valid', verified: issue, claimed: issue };
  return { status: 'invalid', verified: null, claimed: issue };
}

function workbookFlagsOf(parsed: ParsedVendorWorkbook, check: SignatureCheck, questionnaire: ComparedQuestionnaire, vendor: CompareContext['vendor']): ImportFlag[] {
  const flags: ImportFlag[] = [];
  if (check.status === 'missing') {
    flags.push({
      code: 'unsigned',
      message:
        'This workbook carries no signature: it was made before workbooks were signed, put together by hand, or its hidden sheets were removed. Nothing shows that its questions are the ones issued.',
    });
  } else if (check.status === 'invalid') {
    flags.push({
      code: 'bad_signature',
      message:
        'This workbook’s signature does not match its contents: its hidden record of what was issued was changed, or it was issued by another installation of the workbench (or before its signing secret was changed). What it says about itself cannot be trusted.',
    });
  }
  const says = check.verified ? 'was issued' : 'says it was issued';
  const claimed = check.claimed;
  const otherReference = (reference: string | null | undefined) => !!reference && reference.trim().toLowerCase() !== questionnaire.reference.trim().toLowerCase();
  // A verified workbook names its RFP by id (a renamed reference is the same RFP); anything else is judged on every
  // reference it states as well.
  const differingReference = [claimed?.reference, parsed.reference].find(otherReference);
  const otherRfp = check.verified ? check.verified.rfpId !== questionnaire.rfpId : (claimed !== null && claimed.rfpId !== questionnaire.rfpId) || differingReference !== undefined;
  if (otherRfp) {
    const reference = (check.verified ? check.verified.reference : differingReference) ?? claimed?.reference ?? parsed.reference ?? '';
    const same = reference.trim().toLowerCase() === questionnaire.reference.trim().toLowerCase();
    flags.push({
      code: 'other_rfp',
      message: same
        ? `This workbook ${says} for another RFP with the same reference ${reference} (in another installation, or one since deleted), not this one.`
        : `This workbook ${says} for ${reference}, not ${questionnaire.reference}. Check that you chose the right file, or import it into ${reference}.`,
    });
  }
  const version = claimed?.questionnaireVersion ?? parsed.questionnaireVersion;
  if (version !== null && version !== questionnaire.questionnaireVersion) {
    flags.push({
      code: 'other_version',
      message: `This workbook ${check.verified ? 'is' : 'says it is'} for questionnaire version ${version}; the current version is ${questionnaire.questionnaireVersion}, so questions may have changed since. Export a new workbook, with the vendor’s answers prefilled, and ask the vendor to complete that one.`,
    });
  }
  if (claimed?.vendor && claimed.vendor.id !== vendor.id) {
    flags.push({
      code: 'other_vendor',
      message: `This workbook ${says} to ${claimed.vendor.name} (${claimed.vendor.key}), not to ${vendor.name}. Check that you are on the right vendor’s page.`,
    });
  }
  return flags;
}

type WorkbookRow = ParsedVendorWorkbook['rows'][number];
type IssuedQuestionLike = { text: string; answerType: VendorAnswerType; options: string[] };

/**
 * A row's question and options compared with what was issued (when the signature verifies) or else with the
 * questionnaire now; and what was issued compared with the questionnaire now.
 */
function rowFlags(line: WorkbookRow, question: ComparedQuestion, issuedByKey: Map<string, IssuedQuestionLike> | null): ImportFlag[] {
  const current: IssuedQuestionLike = { text: question.text, answerType: question.answerType, options: question.options.map((o) => o.label) };
  const issued = issuedByKey?.get(keyIdentity(question.key));
  if (issuedByKey && !issued) {
    return [{ code: 'not_issued', message: 'This question was not in the workbook as issued: the row was added to the workbook by hand.' }];
  }
  const reference = issued ?? current;
  const referenceLabel = issued ? 'as issued' : 'the questionnaire now';
  const flags: ImportFlag[] = [];
  // An unsigned workbook made by hand may simply lack the Question or Answer type column: nothing to compare then.
  const compare = (cell: string | null | undefined) => (cell === undefined || (cell === null && !issued) ? null : (cell ?? ''));
  const text = compare(line.question);
  if (text !== null && !sameText(text, reference.text)) {
    flags.push({
      code: 'question_edited',
      message: issued ? 'The question text in the workbook is not the text issued.' : 'The question text in the workbook differs from the questionnaire.',
      before: reference.text,
      after: text,
      beforeLabel: referenceLabel,
      afterLabel: 'in the workbook',
    });
  }
  const answerType = compare(line.answerType);
  const referenceType = answerTypeText({ answerType: reference.answerType, options: reference.options.map((label) => ({ label })) });
  if (answerType !== null && !sameText(answerType, referenceType)) {
    flags.push({
      code: 'options_edited',
      message: issued ? 'The answer type or options in the workbook are not those issued.' : 'The answer type or options in the workbook differ from the questionnaire.',
      before: referenceType,
      after: answerType,
      beforeLabel: referenceLabel,
      afterLabel: 'in the workbook',
    });
  }
  if (issued) {
    if (!sameText(issued.text, current.text)) {
      flags.push({
        code: 'question_changed_since_issue',
        message: 'The question was edited in the app after this workbook was issued: the vendor answered the earlier text.',
        before: issued.text,
        after: current.text,
        beforeLabel: 'as issued',
        afterLabel: 'the questionnaire now',
      });
    }
    const currentType = answerTypeText({ answerType: current.answerType, options: question.options });
    if (issued.answerType !== current.answerType || !sameText(referenceType, currentType)) {
      flags.push({
        code: 'options_changed_since_issue',
        message: 'The answer type or options were changed in the app after this workbook was issued.',
        before: referenceType,
        after: currentType,
        beforeLabel: 'as issued',
        afterLabel: 'the questionnaire now',
      });
    }
  }
  return flags;
}

/** Spacing and Unicode form alone are not an edit. */
function sameText(a: string, b: string): boolean {
  const norm = (t: string) => t.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

function digestOf(workbookFlags: ImportFlag[], rows: Array<Pick<VendorImportRow, 'key' | 'sheet' | 'row' | 'flags'>>): string {
  const shape = [workbookFlags.map((f) => [f.code, f.message]), rows.filter((r) => r.flags.length > 0).map((r) => [r.key, r.sheet, r.row, r.flags.map((f) => [f.code, f.before ?? null, f.after ?? null])])];
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 32);
}

type Judgement = Pick<VendorImportRow, 'outcome' | 'old' | 'value' | 'message'>;

function judge(question: ComparedQuestion, raw: string | number | boolean | null, old: unknown, limits: CompareLimits): Judgement {
  const normalised = normaliseAnswer(question, raw, limits);
  if (!normalised.ok) return { outcome: normalised.outcome, old, value: raw, message: normalised.message };
  const value = normalised.value;
  if (question.isPrice && typeof value === 'number' && !(value > 0)) {
    return { outcome: 'invalid_price', old, value: raw, message: `The price must be more than 0 (the workbook says ${formatNumber(value)}). Correct the vendor’s price before importing.` };
  }
  if (value === null) {
    if (!isBlank(old)) return { outcome: 'unchanged', old, value: null, message: 'Blank in the workbook; the answer already recorded is kept.' };
    if (question.required) return { outcome: 'missing_required', old, value: null, message: 'Required, but left blank.' };
    return { outcome: 'unchanged', old, value: null, message: null };
  }
  if (isBlank(old)) return { outcome: 'new', old, value, message: null };
  return sameAnswer(question, old, value) ? { outcome: 'unchanged', old, value, message: null } : { outcome: 'changed', old, value, message: null };
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/** Compares with the recorded answer after normalising it the same way, so formatting alone is never a change. */
function sameAnswer(question: ComparedQuestion, old: unknown, value: AnswerValue): boolean {
  const rawOld = Array.isArray(old) ? old.map(String).join(';') : typeof old === 'string' || typeof old === 'number' || typeof old === 'boolean' ? old : null;
  const oldNormalised = rawOld === null ? null : normaliseAnswer(question, rawOld, { maxTextLength: Number.MAX_SAFE_INTEGER });
  const comparable = oldNormalised?.ok ? oldNormalised.value : old;
  if (Array.isArray(value) && Array.isArray(comparable)) {
    return value.length === comparable.length && value.every((v) => comparable.includes(v));
  }
  return comparable === value;
}

// ---------------------------------------------------------------------------------------------------------------------
// Normalising one answer (pure, exported for tests and for manual entry)

export type Normalised = { ok: true; value: AnswerValue } | { ok: false; outcome: 'invalid_choice' | 'invalid_number' | 'too_long'; message: string };

/**
 * A cell as the answer to save:
 * - text, attachment: trimmed, line breaks kept (as \n); empty → null; longer than `maxTextLength` → too_long.
 * - yes_no, choice: one option label, matched trimmed and case-insensitively, returned as the canonical label (a yes_no
 *   question without options has Yes and No; a TRUE/FALSE cell reads as Yes/No).
 * - multi_choice: labels separated by ";" or line breaks (or, when every piece is an option, commas), each an option,
 *   returned as canonical labels in the questionnaire's order without repeats.
 * - number: a number cell, or text such as "1,240,000", "$1,240,000.00", "-3.5"; anything else → invalid_number.
 */
export function normaliseAnswer(
  question: Pick<ComparedQuestion, 'answerType' | 'options'>,
  raw: string | number | boolean | null,
  limits: CompareLimits = { maxTextLength: 32_000 },
): Normalised {
  if (raw === null) return { ok: true, value: null };
  if (question.answerType === 'number') return normaliseNumber(raw);
  const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : typeof raw === 'number' ? formatNumber(raw) : raw ? 'TRUE' : 'FALSE';
  if (text === '') return { ok: true, value: null };
  if (text.length > limits.maxTextLength) {
    return {
      ok: false,
      outcome: 'too_long',
      message: `The answer is ${text.length.toLocaleString('en-US')} characters long; at most ${limits.maxTextLength.toLocaleString('en-US')} are allowed. Shorten it or put the detail in an attachment.`,
    };
  }
  switch (question.answerType) {
    case 'yes_no':
    case 'choice': {
      const labels = optionLabels(question);
      const wanted = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : choiceKey(text);
      const match = labels.find((l) => choiceKey(l) === wanted);
      if (match !== undefined) return { ok: true, value: match };
      return { ok: false, outcome: 'invalid_choice', message: `“${clip(text)}” is not one of the choices: ${labels.join('; ')}.` };
    }
    case 'multi_choice':
      return normaliseMultiChoice(text, optionLabels(question));
    default:
      return { ok: true, value: text };
  }
}

function optionLabels(question: Pick<ComparedQuestion, 'answerType' | 'options'>): string[] {
  if (question.answerType === 'yes_no' && question.options.length === 0) return ['Yes', 'No'];
  return question.options.map((o) => o.label);
}

function choiceKey(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function normaliseMultiChoice(text: string, labels: string[]): Normalised {
  const byKey = new Map(labels.map((l) => [choiceKey(l), l] as const));
  const whole = byKey.get(choiceKey(text));
  if (whole !== undefined) return { ok: true, value: [whole] };

  const pick = (pieces: string[]): { found: string[]; unknown: string[] } => {
    const found: string[] = [];
    const unknown: string[] = [];
    // Greedy over adjacent pieces, so an option whose label itself contains ";" is still recognised.
    for (let i = 0; i < pieces.length; ) {
      let matched = false;
      for (let j = pieces.length; j > i; j--) {
        const label = byKey.get(choiceKey(pieces.slice(i, j).join(';')));
        if (label !== undefined) {
          found.push(label);
          i = j;
          matched = true;
          break;
        }
      }
      if (!matched) {
        if (pieces[i]!.trim() !== '') unknown.push(pieces[i]!.trim());
        i++;
      }
    }
    return { found, unknown };
  };

  let { found, unknown } = pick(text.split(/;|\n/));
  if (unknown.length > 0 && !text.includes(';') && text.includes(',')) {
    const byComma = pick(text.split(','));
    if (byComma.unknown.length === 0) ({ found, unknown } = byComma);
  }
  if (unknown.length > 0) {
    const list = unknown.map((u) => `“${clip(u)}”`).join(', ');
    return {
      ok: false,
      outcome: 'invalid_choice',
      message: `${list} ${unknown.length === 1 ? 'is' : 'are'} not among the choices: ${labels.join('; ')}. Separate choices with ;.`,
    };
  }
  if (found.length === 0) return { ok: true, value: null };
  const chosen = new Set(found);
  return { ok: true, value: labels.filter((l) => chosen.has(l)) };
}

const NUMBER_TEXT = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/;

function normaliseNumber(raw: string | number | boolean): Normalised {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { ok: true, value: raw } : invalidNumber(String(raw));
  if (typeof raw === 'boolean') return invalidNumber(raw ? 'TRUE' : 'FALSE');
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  // A currency sign before the digits (after any minus) and ordinary, thin or no-break spaces around it are ignored.
  let compact = text.replace(/[\s\u00a0\u202f]+/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(compact)) {
    // Accountants' negative: (1,200.00)
    negative = true;
    compact = compact.slice(1, -1);
  }
  compact = compact.replace(/^([-+]?)(?:US\$|\$|USD|€|£)/i, '$1');
  if (!NUMBER_TEXT.test(compact) || !/\d/.test(compact)) return invalidNumber(text);
  const value = Number(compact.replace(/,/g, ''));
  if (!Number.isFinite(value)) return invalidNumber(text);
  return { ok: true, value: negative ? -value : value };
}

function invalidNumber(text: string): Normalised {
  return {
    ok: false,
    outcome: 'invalid_number',
    message: `“${clip(text)}” is not a number. Write digits only, such as 1240000 or 1,240,000.00, without units or words.`,
  };
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
