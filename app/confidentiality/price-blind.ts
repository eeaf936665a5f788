/**
 * Price-blind technical scoring (issue 12, item 8), a confidentiality rule like the panel's (panel.ts): when an RFP is
 * set price-blind, an evaluator does not receive vendors' prices, the price criterion, its questions, the answers to
 * them or the files attached to them until every technical scoresheet of theirs is submitted. Best-value evaluations
 * do this so that the technical scores cannot lean on the price. Every page, loader JSON and download an evaluator can
 * reach asks a {@link PriceView} built for its reader (price-blind.server.ts) and sends only what it lets through.
 *
 * The rules:
 * - Only the RFP's **evaluators** (membership role evaluator, whatever their global role: an admin who is also an
 *   evaluator is bound by the panel's rules) are blind; the lead, observers and admins off the panel are not.
 * - An evaluator sees prices once **every scoresheet they must submit** — each evaluated vendor they are not recused
 *   from, when their scope has something to score — **is submitted**. A sheet reopened by the lead hides them again
 *   until it is submitted again.
 * - Once **scoring is over** (consensus, closed), prices are no longer hidden from anyone: the technical scores can no
 *   longer change. Going back to evaluation hides them again.
 * - An evaluator with nothing to submit (not assigned yet, no vendor, everything recused) stays blind until then.
 *
 * Pure: facts in, decisions out.
 */
import type { CriterionKind, MemberRole, RfpStatus } from '#db/schema';
import { panelScoresVisible } from '#app/results/visibility';

/** The sentence the reader sees wherever something is withheld. */
export const PRICE_WITHHELD =
  'This RFP is scored price-blind: prices and the price criterion are shown to evaluators once all their technical scoresheets are submitted.';

export type OwnSheetState = 'not_started' | 'in_progress' | 'submitted';

export interface PriceBlindFacts {
  /** The RFP's setting. */
  priceBlind: boolean;
  memberRole: MemberRole | null;
  status: RfpStatus;
  /** The state of each scoresheet the reader must submit (see the rules); empty when there is none. */
  requiredSheets: readonly OwnSheetState[];
  /** The RFP's price criteria and the questions under them. */
  priceCriterionIds: readonly string[];
  priceQuestionIds: readonly string[];
}

/** Whether the reader is blind to prices now (see the module's rules). */
export function isPriceBlind(facts: Pick<PriceBlindFacts, 'priceBlind' | 'memberRole' | 'status' | 'requiredSheets'>): boolean {
  if (!facts.priceBlind || facts.memberRole !== 'evaluator') return false;
  if (panelScoresVisible(facts.status)) return false;
  const allSubmitted = facts.requiredSheets.length > 0 && facts.requiredSheets.every((s) => s === 'submitted');
  return !allSubmitted;
}

export class PriceView {
  /** Prices and the price criterion are withheld from this reader. */
  readonly hidden: boolean;
  private readonly criteria: ReadonlySet<string>;
  private readonly questions: ReadonlySet<string>;

  private constructor(hidden: boolean, criterionIds: readonly string[], questionIds: readonly string[]) {
    this.hidden = hidden;
    this.criteria = new Set(criterionIds);
    this.questions = new Set(questionIds);
  }

  static for(facts: PriceBlindFacts): PriceView {
    return new PriceView(isPriceBlind(facts), facts.priceCriterionIds, facts.priceQuestionIds);
  }

  /** A reader from whom nothing is hidden (price-blind off, or not an evaluator). */
  static open(): PriceView {
    return new PriceView(false, [], []);
  }

  /** {@link PRICE_WITHHELD} when hidden, else null: for the note a page shows. */
  get notice(): string | null {
    return this.hidden ? PRICE_WITHHELD : null;
  }

  /** A price as this reader may receive it: `null` when hidden (the page then says why, with {@link notice}). */
  price<T extends number | null>(value: T): T | null {
    return this.hidden ? null : value;
  }

  hidesCriterion(criterion: { id?: string; kind: CriterionKind }): boolean {
    return this.hidden && (criterion.kind === 'price' || (criterion.id !== undefined && this.criteria.has(criterion.id)));
  }

  hidesCriterionId(criterionId: string): boolean {
    return this.hidden && this.criteria.has(criterionId);
  }

  /** A question under a price criterion (its text, answers and evidence files are withheld). */
  hidesQuestion(questionId: string | null): boolean {
    return this.hidden && questionId !== null && this.questions.has(questionId);
  }

  /** An evidence file attached to a price question. */
  hidesAttachment(attachment: { question_id: string | null }): boolean {
    return this.hidesQuestion(attachment.question_id);
  }

  /**
   * The questionnaire without what is withheld: price criteria (with their questions) are left out, and a section
   * left with no criterion is left out too (a "Price" section would otherwise show as an empty heading).
   */
  visibleSections<C extends { id?: string; kind: CriterionKind }, S extends { criteria: C[] }>(sections: readonly S[]): S[] {
    if (!this.hidden) return [...sections];
    return sections.flatMap((s) => {
      const criteria = s.criteria.filter((c) => !this.hidesCriterion(c));
      return criteria.length === 0 && s.criteria.length > 0 ? [] : [{ ...s, criteria }];
    });
  }
}
