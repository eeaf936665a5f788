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
