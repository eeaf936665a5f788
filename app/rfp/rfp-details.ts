/**
 * An RFP's details, deadlines and scoring settings as a form edits them (create and edit pages): the fields, how each
 * is read from the form, and the rules a set of deadlines must follow. Pure, shared by the pages and their actions;
 * which fields the RFP's status locks is decided on the server (app/rfp/locks.server.ts).
 */
import { z } from 'zod';
import type { RfpDetailsColumns } from '#db/queries/rfps';
import type { Rfp } from '#db/schema';
import type { FormErrors } from '#app/utils/form';
import { formatDateTimeInZone, parseDeadline } from '#app/utils/time-zone';

export type DeadlineKey = 'qa' | 'proposals' | 'evaluation';
export type Deadlines = Record<DeadlineKey, string | null>;

/** In the order they fall: questions, then proposals, then the evaluation. */
export const DEADLINES: ReadonlyArray<{ key: DeadlineKey; column: 'qa_due_at' | 'proposals_due_at' | 'evaluation_due_at'; label: string; hint: string }> = [
  { key: 'qa', column: 'qa_due_at', label: 'Questions due', hint: 'The last moment vendors may send questions about the RFP (optional).' },
  { key: 'proposals', column: 'proposals_due_at', label: 'Proposals due', hint: 'Vendors’ responses must arrive by then (optional).' },
  {
    key: 'evaluation',
    column: 'evaluation_due_at',
    label: 'Evaluation due',
    hint: 'Scoring closes then: saves after it are refused until the lead officer extends it (optional).',
  },
];

export const deadlineField = (key: DeadlineKey) => ({ date: `${key}DueDate`, time: `${key}DueTime` });

export function deadlinesOf(rfp: Pick<Rfp, 'qa_due_at' | 'proposals_due_at' | 'evaluation_due_at'>): Deadlines {
  return { qa: rfp.qa_due_at, proposals: rfp.proposals_due_at, evaluation: rfp.evaluation_due_at };
}

type FieldErrors = Record<string, string[]>;
const add = (errors: FieldErrors, field: string, message: string) => (errors[field] ??= []).push(message);

/**
 * The deadlines posted in a form, typed in `zone`: a posted empty date clears the deadline, a date without a time is
 * the end of that day. A deadline whose date field is not in the form at all (a locked one the page shows as text)
 * is left out, so it stays as it is.
 */
export function readDeadlines(form: Record<string, string>, zone: string): { values: Partial<Deadlines>; errors: FieldErrors } {
  const values: Partial<Deadlines> = {};
  const errors: FieldErrors = {};
  for (const { key, label } of DEADLINES) {
    const names = deadlineField(key);
    if (!(names.date in form)) continue;
    const date = form[names.date]!.trim();
    const time = (form[names.time] ?? '').trim();
    if (date === '') {
      if (time !== '') add(errors, names.date, `${label}: enter the date for the time ${time}, or clear the time.`);
      else values[key] = null;
      continue;
    }
    const parsed = parseDeadline(date, time, zone);
    if (parsed.ok) values[key] = parsed.iso;
    else add(errors, parsed.message.includes('time') ? names.time : names.date, `${label}: ${parsed.message.charAt(0).toLowerCase()}${parsed.message.slice(1)}`);
  }
  return { values, errors };
}

/**
 * Questions ≤ proposals ≤ evaluation, for the deadlines that are set. A pair neither of whose deadlines changed is
 * not held against this save (it was saved before the rule), so editing a title never trips over it.
 */
export function deadlineOrderErrors(next: Deadlines, changed: ReadonlySet<DeadlineKey>, zone: string): FieldErrors {
  const errors: FieldErrors = {};
  const show = (iso: string) => formatDateTimeInZone(iso, zone);
  const pairs: Array<[DeadlineKey, DeadlineKey]> = [
    ['qa', 'proposals'],
    ['proposals', 'evaluation'],
    ['qa', 'evaluation'],
  ];
  const label = (key: DeadlineKey) => DEADLINES.find((d) => d.key === key)!.label;
  for (const [early, late] of pairs) {
    const a = next[early];
    const b = next[late];
    if (!a || !b || Date.parse(a) <= Date.parse(b)) continue;
    if (!changed.has(early) && !changed.has(late)) continue;
    // Said on the deadline that moved; on the earlier one when both did.
    if (changed.has(early)) add(errors, deadlineField(early).date, `${label(early)} (${show(a)}) must be on or before ${label(late).toLowerCase()} (${show(b)}).`);
    else add(errors, deadlineField(late).date, `${label(late)} (${show(b)}) must be on or after ${label(early).toLowerCase()} (${show(a)}).`);
  }
  return errors;
}

/** The deadlines this save sets to a moment already past: each needs the person's confirmation and a reason. */
export function pastDeadlines(next: Deadlines, changed: ReadonlySet<DeadlineKey>, now: Date): DeadlineKey[] {
  return DEADLINES.filter(({ key }) => changed.has(key) && next[key] !== null && Date.parse(next[key]!) < now.getTime()).map((d) => d.key);
}

/** Checks the confirmation of past deadlines: null when none is needed or it is given, else the errors to show. */
export function pastDeadlineErrors(past: readonly DeadlineKey[], next: Deadlines, form: Record<string, string>, zone: string): FieldErrors | null {
  if (past.length === 0) return null;
  const confirmed = form.confirmPast === 'yes';
  const reason = (form.pastReason ?? '').trim();
  if (confirmed && reason !== '' && reason.length <= 2000) return null;
  const errors: FieldErrors = {};
  if (!confirmed) {
    for (const key of past) {
      const { label } = DEADLINES.find((d) => d.key === key)!;
      add(errors, deadlineField(key).date, `${label} (${formatDateTimeInZone(next[key]!, zone)}) has already passed. Change it, or confirm below that it is meant and say why.`);
    }
  }
  if (reason === '') add(errors, 'pastReason', 'Give the reason for a deadline that has already passed; it is kept in the audit log.');
  else if (reason.length > 2000) add(errors, 'pastReason', 'The reason must be at most 2000 characters.');
  return errors;
}

// ---------- details and scoring settings ----------

export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const REFERENCE_MESSAGE = 'Use letters, digits, dots, dashes or underscores (for example RFP-2026-014).';

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);

/** A number typed in a form, refused with a sentence when it is not one ("twenty") or out of range. */
const numberField = (label: string, { min, max, whole }: { min: number; max: number; whole: boolean }) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .transform((v, ctx) => {
      const value = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
      const range = `${whole ? 'a whole number' : 'a number'} from ${min} to ${max.toLocaleString('en-US')}`;
      if (Number.isNaN(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
        ctx.addIssue({ code: 'custom', message: `The ${label} must be ${range}.` });
        return z.NEVER;
      }
      return value;
    });

export const detailsShape = {
  reference: text('Reference', 40).regex(REFERENCE_PATTERN, REFERENCE_MESSAGE),
  title: text('Title', 200),
  department: text('Department', 200),
  summary: text('AI use-case summary', 5000),
};

export const settingsShape = {
  scaleMax: numberField('scale maximum', { min: 2, max: 10, whole: true }),
  aggregation: z.enum(['mean', 'median'], { error: 'Choose how evaluators’ scores are combined: mean or median.' }),
  // A checkbox: present when ticked. The form also posts `allowHalfPointsShown`, so an unticked box reads as "no".
  allowHalfPoints: z.literal('yes').optional(),
  divergenceThresholdPercent: numberField('divergence threshold', { min: 1, max: 100, whole: false }),
  priceFormula: z.enum(['ratio', 'linear'], { error: 'Choose the price formula: ratio or linear.' }),
  totalPoints: numberField('total points', { min: 1, max: 10_000, whole: true }),
};

export type DetailsField = keyof typeof detailsShape;
export type SettingsField = keyof typeof settingsShape;

/** The columns a details save may change, as the database stores them. */
export type RfpDetailsChange = RfpDetailsColumns;

/**
 * The details and settings fields present in the form, parsed; a field not posted (locked, shown as text) is left out.
 * Returns the changes as columns, or the field errors.
 */
export function readDetailsAndSettings(form: Record<string, string>): { change: RfpDetailsChange; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const change: RfpDetailsChange = {};
  const read = <T>(name: string, schema: z.ZodType<T>, apply: (value: T) => void) => {
    if (!(name in form)) return;
    const parsed = schema.safeParse(form[name]);
    if (parsed.success) apply(parsed.data);
    else add(errors, name, parsed.error.issues[0]?.message ?? 'This value is not accepted.');
  };
  read('reference', detailsShape.reference, (v) => (change.reference = v));
  read('title', detailsShape.title, (v) => (change.title = v));
  read('department', detailsShape.department, (v) => (change.department = v));
  read('summary', detailsShape.summary, (v) => (change.summary = v));
  read('scaleMax', settingsShape.scaleMax, (v) => (change.scale_max = v));
  read('aggregation', settingsShape.aggregation, (v) => (change.aggregation = v));
  if ('allowHalfPointsShown' in form) change.allow_half_points = form.allowHalfPoints === 'yes' ? 1 : 0;
  read('divergenceThresholdPercent', settingsShape.divergenceThresholdPercent, (v) => (change.divergence_threshold = Math.round(v * 100) / 10_000));
  read('priceFormula', settingsShape.priceFormula, (v) => (change.price_formula = v));
  read('totalPoints', settingsShape.totalPoints, (v) => (change.total_points = v));
  return { change, errors };
}

/** The changes that differ from the RFP as it is (numbers compared as numbers: PostgreSQL returns some as text). */
export function changedColumns(rfp: Rfp, change: RfpDetailsChange): RfpDetailsChange {
  const diff: RfpDetailsChange = {};
  for (const [column, value] of Object.entries(change) as Array<[keyof RfpDetailsChange, unknown]>) {
    const current = rfp[column];
    const same = typeof value === 'number' ? Number(current) === value : current === value;
    if (!same) (diff as Record<string, unknown>)[column] = value;
  }
  return diff;
}

export function mergeErrors(...sets: Array<FieldErrors | null | undefined>): FormErrors | null {
  const fieldErrors: FieldErrors = {};
  for (const set of sets) for (const [field, messages] of Object.entries(set ?? {})) for (const m of messages) add(fieldErrors, field, m);
  return Object.keys(fieldErrors).length ? { fieldErrors, formErrors: [] } : null;
}

/** Human names of the columns, for "Saved: …" and the audit trail. */
export const COLUMN_LABELS: Record<keyof RfpDetailsChange, string> = {
  reference: 'reference',
  title: 'title',
  department: 'department',
  summary: 'AI use-case summary',
  qa_due_at: 'questions due',
  proposals_due_at: 'proposals due',
  evaluation_due_at: 'evaluation due',
  scale_max: 'scale maximum',
  aggregation: 'how scores are combined',
  allow_half_points: 'half points',
  divergence_threshold: 'divergence threshold',
  price_formula: 'price formula',
  total_points: 'total points',
};
