/** Validation shared by the admin account screens. */
import { z } from 'zod';
import type { GlobalRole } from '#db/schema';
import { GLOBAL_ROLES } from './permissions';

import { MIN_PASSWORD_LENGTH } from '#db/password-policy';

export { MIN_PASSWORD_LENGTH };

export const globalRoleSchema = z.enum(GLOBAL_ROLES as [GlobalRole, ...GlobalRole[]], { error: 'Choose a role.' });

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200, 'The password must be at most 200 characters.');

/** The new-password pair of every form that sets one (`password` typed twice, the second as `confirm`). */
export const newPasswordFields = { password: passwordSchema, confirm: z.string().max(1000) };

/** Adds the field error when the two new passwords differ (for a schema's superRefine). */
export function checkPasswordTypedTwice(v: { password: string; confirm: string }, ctx: z.RefinementCtx, message = 'The two passwords are not the same.'): void {
  if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message });
}
