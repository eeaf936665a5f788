/**
 * Issue 12's "done when": one city's whole procurement, from an empty database, by every role, in Debian's Chromium —
 * first admin from the CLI, accounts, RFP, questionnaire, team, vendors, open, evaluation, scoring, consensus, results,
 * close. axe-core runs on every page the story checks and any console error or page error fails it.
 * The steps are in working-day/story.ts; each part's checks (part-a … part-h) run at the story point they belong to.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestServer } from '#tests/support/server';
import { launchBrowser } from './support/browser';
import { type CheckedPage, openCheckedPage, SCREENSHOTS, signIn } from './support/pages';
import type { PartHooks, StoryPoint, WorkingDay } from './working-day/context';
import { hooks as partA } from './working-day/part-a';
import { hooks as partB } from './working-day/part-b';
import { hooks as partC } from './working-day/part-c';
import { hooks as partD } from './working-day/part-d';
import { hooks as partE } from './working-day/part-e';
import { hooks as partF } from './working-day/part-f';
import { hooks as partG } from './working-day/part-g';
import { hooks as partH } from './working-day/part-h';
import * as story from './working-day/story';

const PARTS: PartHooks[] = [partA, partB, partC, partD, partE, partF, partG, partH];

async function reach(point: StoryPoint, ctx: WorkingDay): Promise<void> {
  for (const part of PARTS) await part[point]?.(ctx);
}

function blankCriterion(kind: 'scored' | 'pass_fail' | 'price') {
  return { id: '', key: '', title: '', kind, points: 0 };
}

describe('a working day: one procurement from an empty database, every role, in the browser', () => {
  let ctx: WorkingDay;
  let browser: Browser;

  beforeAll(async () => {
    const server = await startTestServer({ SEED_DEMO: 'false', TIME_ZONE: story.STORY_TIME_ZONE });
    browser = await launchBrowser();
    const sessions: WorkingDay['sessions'] = {};
    ctx = {
      server,
      browser,
      baseUrl: server.baseUrl,
      password: 'a long city passphrase 2026',
      accounts: {
        admin: 'admin@springfield.example',
        officer: 'olivia.officer@springfield.example',
        evan: 'evan.evaluator@springfield.example',
        priya: 'priya.evaluator@springfield.example',
        sam: 'sam.evaluator@springfield.example',
        leader: 'lee.leader@springfield.example',
      },
      names: { admin: 'Ada Admin', officer: 'Olivia Ortiz', evan: 'Evan Chen', priya: 'Priya Natarajan', sam: 'Sam Okafor', leader: 'Lee Morgan' },
      sessions,
      rfp: { id: '', path: '', reference: 'SPR-2026-311', title: '311 generative-AI assistant' },
      sections: { responsibleAi: '', price: '' },
      criteria: { bias: blankCriterion('scored'), oversight: blankCriterion('scored'), knockout: blankCriterion('pass_fail'), price: blankCriterion('price') },
      vendors: {
        civic: { name: 'Civic Answers Inc.', key: 'civic-answers', submissionId: '', price: 480000 },
        omni: { name: 'OmniSight Analytics', key: 'omnisight', submissionId: '', price: 390000 },
      },
      reach: (point) => reach(point, ctx),
      session(who) {
        const session = sessions[who];
        if (!session) throw new Error(`${who} is not signed in yet in the story.`);
        return session;
      },
      async signInAs(who) {
        const session: CheckedPage = await openCheckedPage(browser);
        // The story runs after the other browser tests in CI, on a shared machine: give each page more time to answer.
        session.page.setDefaultTimeout(20_000);
        await signIn(session.page, server.baseUrl, ctx.accounts[who], ctx.password);
        await sessions[who]?.close();
        sessions[who] = session;
        return session;
      },
    };
  }, 180_000);

  afterAll(async () => {
    for (const session of Object.values(ctx?.sessions ?? {})) await session.close();
    await browser?.close();
    await ctx?.server.stop();
  });

  it('plays the procurement through every step', async () => {
    try {
      await play();
    } catch (error) {
      // Where each person was when it failed, for whoever reads the CI log.
      for (const [who, session] of Object.entries(ctx.sessions)) {
        await session.page.screenshot({ path: join(SCREENSHOTS, `wd-FAILED-${who}.png`), fullPage: true }).catch(() => {});
        console.log(`${who} was on ${session.page.url()}`);
      }
      throw error;
    }
  }, 1_200_000);

  async function play(): Promise<void> {
    await reach('serverStarted', ctx);
    await story.createFirstAdmin(ctx);
    await story.createAccounts(ctx);
    await reach('accountsCreated', ctx);
    await story.createRfp(ctx);
    await reach('rfpCreated', ctx);
    await story.buildQuestionnaire(ctx);
    await reach('questionnaireBuilt', ctx);
    await story.addTeam(ctx);
    await reach('teamAdded', ctx);
    await story.openRfp(ctx);
    await reach('opened', ctx);
    await story.recordVendors(ctx);
    await reach('vendorsRecorded', ctx);
    await story.startEvaluation(ctx);
    await reach('evaluationStarted', ctx);
    await story.attest(ctx);
    await reach('attested', ctx);
    await story.scoreAndSubmit(ctx);
    await reach('scoresheetsSubmitted', ctx);
    await story.closeScoringAndDecide(ctx);
    await reach('consensusReached', ctx);
    await story.readResults(ctx);
    await reach('resultsReady', ctx);
    await story.closeRfp(ctx);
    await reach('closed', ctx);
    await story.reviewRegistry(ctx);
    await reach('registryReviewed', ctx);
  }
});
