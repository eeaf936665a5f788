/**
 * What a price criterion's editor says instead of asking for rubric anchors: price points are not scored by
 * evaluators but computed from each vendor's recorded price with the RFP's formula (DESIGN §4.4). The worked example
 * is computed by the scoring engine's own function, so the page can never explain a formula the results do not use.
 */
import { pricePoints } from '#scoring/price';
import type { PriceFormula } from '#scoring/types';

export interface PriceExplanation {
  formulaName: string;
  formula: string;
  example: string;
  otherFormula: string;
}

const usd = (amount: number) => `$${amount.toLocaleString('en-US')}`;
const points = (value: number) => value.toFixed(2);

/** The explanation for a price criterion worth `weight` points under `formula`. */
export function explainPriceCriterion(formula: PriceFormula, weight: number): PriceExplanation {
  const lowest = 800_000;
  const higher = 1_000_000;
  const twice = 1_600_000;
  const atHigher = pricePoints(formula, weight, higher, lowest) ?? 0;
  if (formula === 'linear') {
    return {
      formulaName: 'linear',
      formula: 'points = W × max(0, 1 − (vendor’s price − lowest price) ÷ lowest price)',
      example:
        `With W = ${points(weight)}: the lowest price, ${usd(lowest)}, earns ${points(weight)} points; ${usd(higher)} (25% more) earns ` +
        `${points(atHigher)}; ${usd(twice)} (twice the lowest) or more earns ${points(pricePoints(formula, weight, twice, lowest) ?? 0)}.`,
      otherFormula: 'The ratio formula (W × lowest ÷ price) is gentler on higher prices; the results page says whether it would change the winner.',
    };
  }
  return {
    formulaName: 'ratio',
    formula: 'points = W × lowest price ÷ vendor’s price',
    example:
      `With W = ${points(weight)}: the lowest price, ${usd(lowest)}, earns ${points(weight)} points; ${usd(higher)} earns ${points(atHigher)}; ` +
      `${usd(twice)} earns ${points(pricePoints(formula, weight, twice, lowest) ?? 0)}.`,
    otherFormula: 'The linear formula takes points away faster (nothing at twice the lowest price); the results page says whether it would change the winner.',
  };
}
