/**
 * The portable RFP file (DESIGN §9): what `workbench rfp export --format json` writes and `rfp import` reads.
 * Versioned; every file is validated against this schema before it is written or loaded.
 */
import { z } from 'zod';

const isoTimestamp = z.iso.datetime({ offset: true });

export const portableRubricLevelSchema = z.object({ level: z.number(), anchor: z.string() });

export const portableQuestionSchema = z.object({
  key: z.string().min(1),
  text: z.string(),
  guidance: z.string().nullable().optional(),
  strongAnswer: z.string().nullable().optional(),
  answerType: z.enum(['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment']),
  options: z.array(z.object({ label: z.string(), autoScore: z.number().min(0).max(1).nullable().optional() })),
  required: z.boolean(),
  references: z.array(z.string()),
});

export const portableCriterionSchema = z.object({
  key: z.string().min(1),
  title: z.string(),
  kind: z.enum(['scored', 'pass_fail', 'price', 'info']),
  points: z.number().min(0),
  rubric: z.array(portableRubricLevelSchema),
  questions: z.array(portableQuestionSchema),
});

export const portableRfpFileSchema = z.object({
  format: z.literal('ai-vendor-workbench/rfp'),
  version: z.literal(1),
  exportedAt: isoTimestamp.optional(),
  rfp: z.object({
    reference: z.string().min(1),
    title: z.string(),
    department: z.string(),
    summary: z.string().optional(),
    status: z.enum(['draft', 'open', 'evaluation', 'consensus', 'closed']),
    settings: z.object({
      scaleMax: z.number().int().positive(),
      aggregation: z.enum(['mean', 'median']),
      divergenceThreshold: z.number().min(0).max(1),
      priceFormula: z.enum(['ratio', 'linear']),
      totalPoints: z.number().positive().optional(),
      allowHalfPoints: z.boolean().optional(),
    }),
    riskTier: z.string().nullable(),
    riskIntake: z.record(z.string(), z.string()).nullable().optional(),
    questionnaireVersion: z.number().int().positive().optional(),
    proposalsDueAt: isoTimestamp.nullable().optional(),
    evaluationDueAt: isoTimestamp.nullable().optional(),
  }),
  sections: z.array(z.object({ key: z.string().min(1), title: z.string(), criteria: z.array(portableCriterionSchema) })),
  vendors: z.array(z.object({ key: z.string().min(1), name: z.string(), website: z.string().nullable().optional() })),
  submissions: z.array(
    z.object({
      vendor: z.string(),
      status: z.enum(['received', 'responsive', 'non_responsive', 'withdrawn']),
      statusReason: z.string().nullable().optional(),
      receivedAt: isoTimestamp.nullable().optional(),
      price: z.number().nullable(),
      answers: z.record(z.string(), z.unknown()),
    }),
  ),
  evaluators: z.array(
    z.object({ email: z.string(), name: z.string(), coi: z.string().nullable(), recusedFrom: z.array(z.string()) }),
  ),
  scores: z.array(
    z.object({
      evaluator: z.string(),
      vendor: z.string(),
      criterion: z.string(),
      value: z.number(),
      rationale: z.string(),
      submitted: z.boolean(),
    }),
  ),
  consensus: z.array(z.object({ vendor: z.string(), criterion: z.string(), value: z.number(), rationale: z.string() })),
  results: z.object({
    final: z.boolean(),
    ranking: z.array(
      z.object({
        vendor: z.string(),
        rank: z.number().int().positive().nullable(),
        qualified: z.boolean(),
        disqualifiedBecause: z.string().nullable(),
        total: z.number().nullable(),
        sections: z.record(z.string(), z.number().nullable()),
      }),
    ),
  }),
  audit: z.array(
    z.object({
      at: isoTimestamp,
      actor: z.string().nullable(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string().nullable().optional(),
      before: z.unknown(),
      after: z.unknown(),
      reason: z.string().nullable(),
    }),
  ),
});

export type PortableRfpFile = z.infer<typeof portableRfpFileSchema>;
