/**
 * The registry entry's fields as forms post them, shared by registering a vendor (an RFP's Vendors page) and
 * editing one (the registry), so both say the same thing about a bad short name, website or email.
 */
import { z } from 'zod';
import { requiredText } from '#app/utils/form';

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .default('')
    .transform((v) => v.trim() || null);

export const vendorDetailsSchema = z.object({
  name: requiredText('Vendor name', 200),
  key: requiredText('Short name', 40).regex(/^[a-z0-9][a-z0-9-]*$/, 'Short name: lower-case letters, digits and dashes (for example civic-answers).'),
  website: optionalText(300).refine((v) => v === null || /^https?:\/\//.test(v), 'The website must start with http:// or https://.'),
  contactName: optionalText(200),
  contactEmail: optionalText(320).refine((v) => v === null || /^[^@\s]+@[^@\s]+$/.test(v), 'Enter a valid contact email.'),
});

export const mergeSchema = z.object({ duplicateId: z.string().min(1, 'Choose the duplicate entry to merge.') });
