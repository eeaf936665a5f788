/**
 * What stops an RFP from leaving draft (issue "RFP builder" §2 and DESIGN §6): each problem has a sentence
 * and the id of the item to link to. Pure, so the builder shows the same list the server enforces.
 */
import type { RiskLevel } from '#scoring/risk-tier';
import { requiredForLevel } from '#scoring/risk-tier';

export interface CheckedCriterion {
  id: string;
  key: string;
  title: string;
  kind: 'scored' | 'pass_fail' | 'price' | 'info';
  points: number;
  rubric: Array<{ level: number; anchor: string }>;
  questions: unknown[];
}

export interface CheckedSection {
  id: string;
  title: string;
  criteria: CheckedCriterion[];
}

export interface QuestionnaireProblem {
  message: string;
  /** Element id on the builder page to link to. */
  anchor: string;
}

/** Points with a tolerance for binary fractions (e.g. 33.3 + 33.3 + 33.4). */
const EPSILON = 1e-9;

export function sectionPoints(section: CheckedSection): number {
  return section.criteria.reduce((sum, c) => sum + (c.kind === 'scored' || c.kind === 'price' ? c.points : 0), 0);
}

export function totalPoints(sections: CheckedSection[]): number {
  return sections.reduce((sum, s) => sum + sectionPoints(s), 0);
}

/** Criterion keys may carry a numeric suffix after duplication (RAI-GOV-2); the bank key is the part before. */
function baseKey(key: string): string {
  return key.replace(/-\d+$/, '');
}

export function questionnaireProblems(
  sections: CheckedSection[],
  settings: { totalPoints: number; scaleMax: number; riskLevel: RiskLevel | null; bankOfCriterion: (key: string) => string | undefined },
): QuestionnaireProblem[] {
  const problems: QuestionnaireProblem[] = [];
  const criteria = sections.flatMap((s) => s.criteria);
  if (criteria.length === 0) problems.push({ message: 'The questionnaire has no criteria yet.', anchor: 'add-section' });

  const total = totalPoints(sections);
  if (Math.abs(total - settings.totalPoints) > EPSILON) {
    problems.push({ message: `Points add up to ${round(total)}, not ${settings.totalPoints}.`, anchor: 'weights' });
  }

  const prices = criteria.filter((c) => c.kind === 'price');
  if (prices.length > 1) {
    problems.push({ message: `There are ${prices.length} price criteria (${prices.map((c) => c.key).join(', ')}); keep one.`, anchor: `criterion-${prices[1]!.id}` });
  }

  for (const section of sections) {
    if (section.criteria.length === 0) problems.push({ message: `Section “${section.title}” has no criteria.`, anchor: `section-${section.id}` });
  }

  for (const c of criteria) {
    const anchor = `criterion-${c.id}`;
    if (c.questions.length === 0) problems.push({ message: `Criterion ${c.key} “${c.title}” has no question.`, anchor });
    if (c.kind === 'scored') {
      const missing: number[] = [];
      for (let level = 0; level <= settings.scaleMax; level += 1) {
        if (!c.rubric.some((r) => r.level === level && r.anchor.trim() !== '')) missing.push(level);
      }
      if (missing.length > 0) {
        problems.push({ message: `Criterion ${c.key} “${c.title}” has no rubric anchor for level${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, anchor });
      }
      if (c.points <= 0) problems.push({ message: `Scored criterion ${c.key} “${c.title}” has no points.`, anchor });
    }
    if (c.kind === 'price' && c.points <= 0) problems.push({ message: `Price criterion ${c.key} has no points.`, anchor });
  }

  if (settings.riskLevel === 'III' || settings.riskLevel === 'IV') {
    const required = requiredForLevel(settings.riskLevel);
    const presentKeys = new Set(criteria.map((c) => baseKey(c.key)));
    const presentBanks = new Set(criteria.map((c) => settings.bankOfCriterion(baseKey(c.key))).filter(Boolean));
    const knockoutKeys = new Set(criteria.filter((c) => c.kind === 'pass_fail').map((c) => baseKey(c.key)));
    for (const bank of required.banks) {
      if (!presentBanks.has(bank)) {
        problems.push({ message: `Impact level ${settings.riskLevel} requires questions from the “${bank}” bank.`, anchor: 'risk-requirements' });
      }
    }
    for (const key of required.knockouts) {
      if (!knockoutKeys.has(key)) {
        problems.push({
          message: `Impact level ${settings.riskLevel} requires the knock-out criterion ${key}${presentKeys.has(key) ? ' as pass/fail' : ''}.`,
          anchor: 'risk-requirements',
        });
      }
    }
  }
  return problems;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
