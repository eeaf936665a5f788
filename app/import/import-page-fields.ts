import type { ImportField } from './import-fields';

/**
 * The names of the import page's form fields, shared by the page (browser) and the server module that reads them
 * (import-page-plan.server.ts). A chosen sheet's fields carry the sheet's place in the workbook: `s2_hdr` is the header
 * row of the workbook's third sheet.
 */
export const COLLISION_CHOICES = ['skip', 'update', 'new_keys'] as const;
export type CollisionChoice = (typeof COLLISION_CHOICES)[number];

export const param = {
  sheet: 'sheet',
  headerRow: (i: number) => `s${i}_hdr`,
  layout: (i: number) => `s${i}_layout`,
  proposedFor: (i: number) => `s${i}_for`,
  column: (i: number, field: ImportField) => `s${i}_col_${field}`,
  sections: (i: number) => `s${i}_sections`,
  depth: (i: number) => `s${i}_depth`,
  sectionDepth: (i: number) => `s${i}_secdepth`,
  onlyDepth: (i: number) => `s${i}_only`,
  filterColumn: (i: number) => `s${i}_fcol`,
  filterValue: (i: number) => `s${i}_fval`,
  code: (n: number) => `t${n}_code`,
  codeType: (n: number) => `t${n}_type`,
  codeOptions: (n: number) => `t${n}_opts`,
  codeWas: (n: number) => `t${n}_was`,
  shareLabel: (n: number) => `o${n}_label`,
  share: (n: number) => `o${n}_share`,
  shareWas: (n: number) => `o${n}_was`,
  collision: 'collide',
} as const;

/** What happens to a row whose key a question in the RFP already has. */
export const COLLISION_LABELS: Record<CollisionChoice, { label: string; hint: string }> = {
  skip: { label: 'Skip those rows', hint: 'The questions already in the RFP stay as they are; the rows are not imported.' },
  update: {
    label: 'Update those questions',
    hint: 'Their text, guidance, answer type, options and references are replaced by the file’s (the RFP is a draft, so nothing answered changes).',
  },
  new_keys: { label: 'Add them with new keys', hint: 'The rows are added as new questions; the new keys are shown below.' },
};
