import { describe, expect, it } from 'vitest';
import { type CheckedSection, questionnaireProblems, sectionPoints, totalPoints } from '#app/rfp/questionnaire-checks';

const rubric = (max: number) => Array.from({ length: max + 1 }, (_, level) => ({ level, anchor: `anchor ${level}` }));
const criterion = (over: Partial<CheckedSection['criteria'][number]> = {}): CheckedSection['criteria'][number] => ({
  id: over.key ?? 'c1',
  key: 'C1',
  title: 'Criterion',
  kind: 'scored',
  points: 50,
  rubric: rubric(5),
  questions: [{}],
  ...over,
});
const settings = { totalPoints: 100, scaleMax: 5, riskLevel: null, bankOfCriterion: () => undefined };

describe('questionnaire problems', () => {
  it('finds nothing wrong in a complete questionnaire whose points add up', () => {
    const sections: CheckedSection[] = [
      { id: 's1', title: 'Quality', criteria: [criterion({ key: 'A', points: 60.5 }), criterion({ key: 'KO', kind: 'pass_fail', points: 0, rubric: [] })] },
      { id: 's2', title: 'Cost', criteria: [criterion({ key: 'P', kind: 'price', points: 39.5, rubric: [] })] },
    ];
    expect(totalPoints(sections)).toBe(100);
    expect(sectionPoints(sections[0]!)).toBe(60.5);
    expect(questionnaireProblems(sections, settings)).toEqual([]);
  });

  it('names every problem: points, missing anchors, no questions, two price criteria', () => {
    const sections: CheckedSection[] = [
      {
        id: 's1',
        title: 'Quality',
        criteria: [
          criterion({ key: 'A', id: 'a', rubric: rubric(5).filter((r) => r.level !== 3 && r.level !== 4) }),
          criterion({ key: 'B', id: 'b', questions: [] }),
          criterion({ key: 'P1', id: 'p1', kind: 'price', points: 10, rubric: [] }),
          criterion({ key: 'P2', id: 'p2', kind: 'price', points: 10, rubric: [] }),
        ],
      },
      { id: 's2', title: 'Empty', criteria: [] },
    ];
    const messages = questionnaireProblems(sections, settings).map((p) => p.message);
    expect(messages).toContain('Points add up to 120, not 100.');
    expect(messages).toContain('There are 2 price criteria (P1, P2); keep one.');
    expect(messages).toContain('Criterion A “Criterion” has no rubric anchor for levels 3, 4.');
    expect(messages).toContain('Criterion B “Criterion” has no question.');
    expect(messages).toContain('Section “Empty” has no criteria.');
    const anchors = questionnaireProblems(sections, settings).map((p) => p.anchor);
    expect(anchors).toContain('criterion-a');
  });

  it('ignores points on pass/fail and info criteria', () => {
    const sections: CheckedSection[] = [{ id: 's', title: 'S', criteria: [criterion({ points: 100 }), criterion({ key: 'I', kind: 'info', points: 30, rubric: [] })] }];
    expect(totalPoints(sections)).toBe(100);
  });

  it('requires the banks and knock-outs of impact levels III and IV, and only then', () => {
    const sections: CheckedSection[] = [{ id: 's', title: 'S', criteria: [criterion({ key: 'RAI-GOV', points: 100 })] }];
    const bankOfCriterion = (key: string) => (key === 'RAI-GOV' ? 'responsible-ai' : undefined);
    expect(questionnaireProblems(sections, { ...settings, riskLevel: 'II', bankOfCriterion })).toEqual([]);
    const messages = questionnaireProblems(sections, { ...settings, riskLevel: 'III', bankOfCriterion }).map((p) => p.message);
    expect(messages.some((m) => /requires the knock-out criterion EUAI-PROHIB/.test(m))).toBe(true);
    expect(messages.some((m) => /requires questions from the “responsible-ai” bank/.test(m))).toBe(false);
    expect(messages.some((m) => /requires questions from the “privacy” bank/.test(m))).toBe(true);
  });
});
