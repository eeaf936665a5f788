import { describe, expect, it } from 'vitest';
import { explainPriceCriterion } from '#app/rfp/questionnaire-price';
import { newCriterionSchema, pointsProblem } from '#app/rfp/questionnaire-forms';

describe('points as typed in the builder', () => {
  it('names what is wrong with each refused value', () => {
    expect(pointsProblem('twenty')).toMatch(/must be a number written in digits, such as 10 or 12\.5 — “twenty” is not/);
    expect(pointsProblem('-5')).toMatch(/cannot be negative/);
    expect(pointsProblem('7,5')).toMatch(/decimal point, not a comma: 7\.5/);
    expect(pointsProblem('')).toMatch(/Enter the points/);
    expect(pointsProblem('1001')).toMatch(/at most 1000/);
    expect(pointsProblem(' 12.5 ')).toBeNull();
    expect(pointsProblem('0')).toBeNull();
  });

  it('refuses them as a field error on points, not as a form-level error', () => {
    const parsed = newCriterionSchema.safeParse({ sectionId: 's', title: 'Price', kind: 'price', points: 'twenty' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path)).toEqual([['points']]);
    expect(newCriterionSchema.parse({ sectionId: 's', title: 'Price', kind: 'price', points: '20' }).points).toBe(20);
  });
});

describe("a price criterion's editor", () => {
  it('explains the ratio formula with a worked example the engine computes', () => {
    const ratio = explainPriceCriterion('ratio', 20);
    expect(ratio.formula).toBe('points = W × lowest price ÷ vendor’s price');
    expect(ratio.example).toContain('$800,000, earns 20.00 points; $1,000,000 earns 16.00');
  });
  it('explains the linear formula, nothing at twice the lowest price', () => {
    const linear = explainPriceCriterion('linear', 20);
    expect(linear.example).toContain('$1,000,000 (25% more) earns 15.00; $1,600,000 (twice the lowest) or more earns 0.00');
  });
});
