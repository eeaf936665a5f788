/**
 * What the working-day story (tests/e2e/working-day.test.ts) shares between its steps and the parts' checks.
 *
 * The story plays one procurement from an empty database through the UI, as its users would. At each named point it
 * calls every part's hook for that point (`tests/e2e/working-day/part-*.ts`), in part order A…H. A hook checks its
 * issue items as a user does them, in the browser, and must leave the state the point describes for the next steps
 * (undo what it changes, or change it the way the story would have).
 */
import type { Browser } from 'playwright-core';
import type { TestServer } from '#tests/support/server';
import type { CheckedPage } from '../support/pages';

export type StoryPoint =
  /** The server runs on an empty database (SEED_DEMO=false): no account exists. Nobody is signed in. */
  | 'serverStarted'
  /** The first admin (made with the CLI) created the officer, three evaluators and the leader on the users page.
   *  `admin` is signed in on /admin/users. */
  | 'accountsCreated'
  /** The officer created the RFP (draft, proposals due in 30 days, evaluation due in 60) and is on its Overview. */
  | 'rfpCreated'
  /** The questionnaire is built by hand: sections "Responsible AI" (criteria bias 40 pts, oversight 30 pts, each with rubric
   *  anchors and one text question, then the knock-out "No prohibited AI practices", pass/fail with 0 pts, its two anchors
   *  and one text question) and "Price" (price criterion 30 pts, one number question); risk tier assessed; the builder
   *  shows no problem. Still a draft. The officer is on the Questionnaire page. */
  | 'questionnaireBuilt'
  /** The three evaluators are members and assigned to the whole RFP; the leader is an observer. Evaluators score
   *  price-blind (part E turns it on). */
  | 'teamAdded'
  /** The officer's Status page shows the confirmation of opening (what it locks and changes); nothing is confirmed yet.
   *  The story's step confirms it after the hooks. */
  | 'openingConfirmation'
  /** The RFP is open for responses (questionnaire v1 locked). No vendor is registered yet. */
  | 'opened'
  /** Both vendors are registered, every question answered, status received, price recorded. */
  | 'vendorsRecorded'
  /** The officer's Status page shows the confirmation of moving to evaluation, which asks a reason (proposals are not due
   *  yet); nothing is confirmed yet, the reason is empty. The story's step types it and confirms after the hooks. */
  | 'evaluationConfirmation'
  /** The RFP is in evaluation. Evan and Priya have not attested yet and are signed in on My evaluations. */
  | 'evaluationStarted'
  /** Evan and Priya attested "no conflict" and are on the RFP's evaluate page (vendor list). Nothing is submitted.
   *  After part E, Sam is recused from both vendors. */
  | 'attested'
  /** Evan scored and saved every criterion (the knock-out included) of his Civic Answers scoresheet (the first the story submits) and pressed
   *  Submit scoresheet: the page asks him to confirm what submitting locks; nothing is submitted yet. The story's step
   *  confirms it after the hooks. */
  | 'scoresheetConfirmation'
  /** Evan submitted both scoresheets and Priya her Civic Answers one; Priya scored and saved every criterion of her
   *  OmniSight scoresheet and is on it, not submitted yet. Scoring is open: one assigned scoresheet is pending. */
  | 'lastScoresheetPending'
  /** Evan and Priya scored and submitted both vendors' scoresheets. Both passed Civic Answers on the knock-out and
   *  failed OmniSight on it: OmniSight is disqualified by every evaluator's vote (no consensus needed). */
  | 'scoresheetsSubmitted'
  /** The officer's Status page shows the confirmation of closing scoring; nothing is confirmed yet. */
  | 'closeScoringConfirmation'
  /** Scoring is closed (consensus) and the lead recorded a consensus on one item. The officer is on the consensus page. */
  | 'consensusReached'
  /** Results are final (still in consensus): the officer is on the results page. Civic Answers ranks first, the only
   *  qualified vendor (its price is the lowest qualified one); OmniSight is disqualified, not ranked ("—"). */
  | 'resultsReady'
  /** The officer's Status page shows the confirmation of closing the RFP; nothing is confirmed yet. */
  | 'closingConfirmation'
  /** The RFP is closed. The officer is on the Overview. */
  | 'closed'
  /** After the close, the officer is on the vendor registry (/vendors): Civic Answers Inc. and OmniSight Analytics. */
  | 'registryReviewed';

export interface StoryCriterion {
  id: string;
  key: string;
  title: string;
  kind: 'scored' | 'pass_fail' | 'price';
  points: number;
}

export interface StoryVendor {
  name: string;
  key: string;
  submissionId: string;
  price: number;
}

export interface WorkingDay {
  server: TestServer;
  browser: Browser;
  baseUrl: string;
  password: string;
  /** `sam` is a third evaluator who finds conflicts with both vendors (part E), so he scores nothing. */
  accounts: { admin: string; officer: string; evan: string; priya: string; sam: string; leader: string };
  names: { admin: string; officer: string; evan: string; priya: string; sam: string; leader: string };
  /** Browser sessions, each its own context, opened by the story when the person first signs in. */
  sessions: Partial<Record<'admin' | 'officer' | 'evan' | 'priya' | 'sam' | 'leader', CheckedPage>>;
  rfp: { id: string; path: string; reference: string; title: string };
  sections: { responsibleAi: string; price: string };
  criteria: { bias: StoryCriterion; oversight: StoryCriterion; knockout: StoryCriterion; price: StoryCriterion };
  vendors: { civic: StoryVendor; omni: StoryVendor };
  /** Signed-in session of one person (throws if the story has not signed them in yet). */
  session(who: keyof WorkingDay['sessions']): CheckedPage;
  /** Runs every part's hooks for `point` (a step calls it at the points inside it, such as a confirmation shown). */
  reach(point: StoryPoint): Promise<void>;
  /** Opens a session for `who` and signs in (used by the story; a hook may sign someone in again after signing out). */
  signInAs(who: keyof WorkingDay['sessions']): Promise<CheckedPage>;
}

export type PartHooks = Partial<Record<StoryPoint, (ctx: WorkingDay) => Promise<void>>>;
