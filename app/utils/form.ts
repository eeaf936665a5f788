/**
 * Form parsing with zod and the one error shape every action returns (status 400).
 */
import { z } from 'zod';

export interface FormErrors {
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
}

/** Refused wherever a form arrives (the server's body check, the upload reader): PostgreSQL text cannot hold NUL. */
export const NUL_IN_FORM_MESSAGE = 'The form contains a NUL character, which no field here accepts. Remove it and send the form again.';

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

export function formDataToObject(formData: FormData): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === 'string') result[key] = value;
  return result;
}

export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): ParseResult<z.infer<S>> {
  const parsed = schema.safeParse(formDataToObject(formData));
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field !== 'intent') (fieldErrors[field] ??= []).push(issue.message);
    else formErrors.push(issue.message);
  }
  return { ok: false, errors: { fieldErrors, formErrors } };
}

export function formError(message: string): FormErrors {
  return { fieldErrors: {}, formErrors: [message] };
}

export function fieldError(field: string, message: string): FormErrors {
  return { fieldErrors: { [field]: [message] }, formErrors: [] };
}

/** A required, trimmed text field with a readable message. */
export function requiredText(label: string, max = 500) {
  return z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);
}
