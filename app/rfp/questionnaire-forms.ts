/**
 * Form schemas of the questionnaire builder, shared by its routes. Options are typed one per line as
 * `Label` or `Label | share` (share 0..1 = the auto-score suggestion); references one per line.
 */
import { z } from 'zod';
import { ANSWER_TYPES, CRITERION_KINDS } from '#app/utils/permissions';
import { requiredText } from '#app/utils/form';
import { isValidKey, KEY_MAX_CHARS, KEY_RULE_TEXT, normaliseKey } from '#app/import/keys';

export { KEY_PATTERN } from '#app/import/keys';

/** A key field: the rule the import applies too (app/import/keys.ts), so a key typed here and one imported agree. */
export const keyField = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .transform(normaliseKey)
    .pipe(
      z
        .string()
        .min(1, `${label} is required.`)
        .max(KEY_MAX_CHARS, `${label} must be at most ${KEY_MAX_CHARS} characters.`)
        .refine(isValidKey, `${label} may use ${KEY_RULE_TEXT}.`),
    );

/**
 * Points as typed: a plain decimal number of 0 or more. Every refusal names what is wrong with what was typed
 * ("twenty", "-5", "7,5"), so the officer is never left with a form that silently did nothing.
 */
export const POINTS_MAX = 1000;
export function pointsProblem(raw: string): string | null {
  const value = raw.trim();
  if (!value) return 'Enter the points (0 for pass/fail and information-only criteria).';
  if (/^-\s*\d+([.,]\d+)?$/.test(value)) return `Points cannot be negative: “${value}” is below 0.`;
  if (/^\d+,\d+$/.test(value)) return `Write the points with a decimal point, not a comma: ${value.replace(',', '.')}.`;
  if (!/^\d+(\.\d+)?$/.test(value)) return `Points must be a number written in digits, such as 10 or 12.5 — “${value.slice(0, 40)}” is not.`;
  if (Number(value) > POINTS_MAX) return `Points must be at most ${POINTS_MAX}.`;
  return null;
}

const pointsField = z
  .string({ error: 'Enter the points (0 for pass/fail and information-only criteria).' })
  .superRefine((value, ctx) => {
    const problem = pointsProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => Number(value.trim()));

export const KIND_LABELS: Record<(typeof CRITERION_KINDS)[number], string> = {
  scored: 'Scored on the rubric',
  pass_fail: 'Pass/fail (knock-out)',
  price: 'Price',
  info: 'Information only (not scored)',
};

export const ANSWER_TYPE_LABELS: Record<(typeof ANSWER_TYPES)[number], string> = {
  text: 'Text',
  yes_no: 'Yes / No',
  choice: 'Choose one',
  multi_choice: 'Choose any',
  number: 'Number',
  attachment: 'Attachment',
};

export const kindSchema = z.enum(CRITERION_KINDS as ['scored', 'pass_fail', 'price', 'info'], { error: 'Choose a kind.' });
export const answerTypeSchema = z.enum(ANSWER_TYPES as ['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment'], {
  error: 'Choose an answer type.',
});

export const newCriterionSchema = z.object({
  sectionId: z.string().min(1),
  title: requiredText('Criterion title', 200),
  kind: kindSchema,
  points: pointsField,
});

export function criterionSchema(scaleMax: number) {
  const rubric: Record<string, z.ZodType<string>> = {};
  for (let level = 0; level <= scaleMax; level += 1) rubric[`rubric-${level}`] = z.string().max(2000, `Level ${level}: at most 2000 characters.`).default('');
  return z.object({
    key: keyField('Key'),
    title: requiredText('Title', 200),
    description: z.string().max(4000).default(''),
    kind: kindSchema,
    points: pointsField,
    ...rubric,
  });
}

export function rubricFromForm(data: Record<string, unknown>, scaleMax: number): Array<{ level: number; anchor: string }> {
  const rubric: Array<{ level: number; anchor: string }> = [];
  for (let level = 0; level <= scaleMax; level += 1) {
    const anchor = String(data[`rubric-${level}`] ?? '').trim();
    if (anchor) rubric.push({ level, anchor });
  }
  return rubric;
}

export function parseOptions(text: string): { options: Array<{ label: string; autoScore: number | null }>; error?: string } {
  const options: Array<{ label: string; autoScore: number | null }> = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const [label, share, extra] = line.split('|').map((p) => p.trim());
    if (extra !== undefined || !label) return { options, error: `Option line ${index + 1}: write "Label" or "Label | share".` };
    if (share === undefined || share === '') {
      options.push({ label, autoScore: null });
      continue;
    }
    const value = Number(share);
    if (!/^\d*\.?\d+$/.test(share) || value < 0 || value > 1) return { options, error: `Option line ${index + 1}: the share must be between 0 and 1.` };
    options.push({ label, autoScore: value });
  }
  if (new Set(options.map((o) => o.label.toLowerCase())).size !== options.length) return { options, error: 'Two options have the same label.' };
  return { options };
}

export function optionsToText(options: Array<{ label: string; autoScore: number | null }>): string {
  return options.map((o) => (o.autoScore === null ? o.label : `${o.label} | ${o.autoScore}`)).join('\n');
}

export const questionSchema = z.object({
  key: keyField('Key'),
  text: requiredText('Question text', 4000),
  guidance: z.string().max(8000, 'Guidance: at most 8000 characters.').default(''),
  strongAnswer: z.string().max(8000, 'What a strong answer shows: at most 8000 characters.').default(''),
  answerType: answerTypeSchema,
  options: z.string().max(8000).default(''),
  required: z.enum(['yes', 'no']).default('no'),
  references: z.string().max(4000).default(''),
});

/** A question form's values as the data layer wants them, or the field error that stops it. */
export function questionInputFromForm(data: z.infer<typeof questionSchema>) {
  const { options, error } = parseOptions(data.options);
  const closed = data.answerType === 'yes_no' || data.answerType === 'choice' || data.answerType === 'multi_choice';
  if (error) return { error: { field: 'options', message: error } } as const;
  if (closed && options.length < 2) return { error: { field: 'options', message: 'A closed question needs at least two options.' } } as const;
  return {
    input: {
      key: data.key,
      text: data.text,
      guidance: data.guidance.trim() || null,
      strongAnswer: data.strongAnswer.trim() || null,
      answerType: data.answerType,
      options: closed ? options : [],
      required: data.required === 'yes',
      references: data.references.split(/\r?\n/).map((r) => r.trim()).filter(Boolean),
    },
  } as const;
}
