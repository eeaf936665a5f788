/**
 * The demo of DESIGN §9: six accounts, the DEMO-311-GENAI RFP for a city's 311 service-request assistant,
 * its members and four vendors. Loaded only into an empty database.
 */
import type { Kysely } from 'kysely';
import { endOfDayInZone, installationTimeZone } from '#app/utils/time-zone';
import { type Actor, recordAudit, SYSTEM_ACTOR } from './queries/audit';
import { applyTemplate } from './queries/bank-content';
import { recordQuestionnaireVersion } from './queries/questionnaire-versions';
import { saveRiskIntake } from './queries/risk-intake';
import { upsertMember } from './queries/members';
import { createRfp, getRfpById } from './queries/rfps';
import { createUser } from './queries/users';
import { createSubmission, createVendor } from './queries/vendors';
import { hashPassword } from './password';
import type { Database, GlobalRole, MemberRole } from './schema';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_RFP_REFERENCE = 'DEMO-311-GENAI';

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: GlobalRole; member: MemberRole | null }> = [
  { email: 'admin@city.example', name: 'Alex Admin', role: 'admin', member: null },
  { email: 'officer@city.example', name: 'Olivia Ortiz', role: 'officer', member: 'lead' },
  { email: 'evaluator1@city.example', name: 'Evan Chen', role: 'evaluator', member: 'evaluator' },
  { email: 'evaluator2@city.example', name: 'Priya Natarajan', role: 'evaluator', member: 'evaluator' },
  { email: 'evaluator3@city.example', name: 'Marcus Bell', role: 'evaluator', member: 'evaluator' },
  { email: 'leader@city.example', name: 'Dana Whitfield', role: 'viewer', member: 'observer' },
];

export const DEMO_VENDORS = [
  { key: 'civic-answers', name: 'Civic Answers Inc.', website: 'https://civic-answers.example', price: 1_240_000 },
  { key: 'quickserve-ai', name: 'QuickServe AI', website: 'https://quickserve.example', price: 980_000 },
  { key: 'budgetbot', name: 'BudgetBot LLC', website: 'https://budgetbot.example', price: 415_000 },
  { key: 'omnisight', name: 'OmniSight Analytics', website: 'https://omnisight.example', price: 1_050_000 },
] as const;

export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const users = await db.selectFrom('app_user').select('id').limit(1).execute();
  const rfps = await db.selectFrom('rfp').select('id').limit(1).execute();
  return users.length === 0 && rfps.length === 0;
}

/** Accounts, the RFP, its members, vendors and questionnaire, opened for responses. Responses and scores come on top (app/demo). */
export async function seedDemo(db: Kysely<Database>): Promise<{ rfpId: string; lead: Actor & { id: string } }> {
  // Hash outside the transaction: slow async work inside one holds SQLite's only connection.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    const users = new Map<string, { id: string; email: string }>();
    for (const account of DEMO_ACCOUNTS) {
      const user = await createUser(trx, SYSTEM_ACTOR, { ...account, passwordHash });
      users.set(account.email, user);
    }
    const officer = users.get('officer@city.example')!;
    const lead: Actor & { id: string } = { id: officer.id, email: officer.email };
    const rfp = await createRfp(trx, lead, {
      reference: DEMO_RFP_REFERENCE,
      title: 'Generative AI assistant for 311 service requests',
      department: 'Department of Customer Service (311)',
      summary:
        'A conversational assistant on the city website, app and phone line that answers residents’ questions, ' +
        'creates and routes 311 service requests, and hands over to a human agent on request. It handles ' +
        'personal information and must work in English, Spanish, Chinese and Vietnamese.',
      // Deadlines typed as dates: the end of those days in the installation's zone, as the create form makes them.
      // Q&A and proposals are past: the demo's vendors have answered and the panel may start (earlier needs a reason).
      qaDueAt: endOfDayInZone('2026-11-02', installationTimeZone()),
      proposalsDueAt: endOfDayInZone('2026-11-16', installationTimeZone()),
      evaluationDueAt: endOfDayInZone('2027-01-22', installationTimeZone()),
    });
    for (const account of DEMO_ACCOUNTS) {
      if (!account.member || account.member === 'lead') continue;
      const user = users.get(account.email)!;
      await upsertMember(trx, lead, { rfpId: rfp.id, userId: user.id, email: user.email, role: account.member });
    }
    for (const vendor of DEMO_VENDORS) {
      const row = await createVendor(trx, lead, { key: vendor.key, name: vendor.name, website: vendor.website });
      await createSubmission(trx, lead, {
        rfpId: rfp.id,
        vendorId: row.id,
        receivedAt: '2026-12-14T17:00:00.000Z',
        price: vendor.price,
      });
    }
    // The questionnaire: the 311 template, two questions per criterion (66 questions, a price criterion, three knock-outs).
    await applyTemplate(trx, lead, rfp.id, 'generative-ai-311', { maxQuestionsPerCriterion: 2 });
    await saveRiskIntake(trx, lead, (await getRfpById(trx, rfp.id))!, DEMO_RISK_ANSWERS);
    // Published to vendors: the questionnaire is now frozen at version 1.
    await trx.updateTable('rfp').set({ status: 'open', updated_at: new Date().toISOString() }).where('id', '=', rfp.id).execute();
    await recordQuestionnaireVersion(trx, lead, rfp.id, 1);
    await recordAudit(trx, lead, {
      rfpId: rfp.id,
      entity: 'rfp',
      entityId: rfp.id,
      action: 'rfp.status',
      before: { status: 'draft', questionnaire_version: 1 },
      after: { status: 'open', questionnaire_version: 1 },
    });
    return { rfpId: rfp.id, lead };
  });
}

/** A 311 assistant: public-facing generative AI that informs and files requests, with people deciding. */
export const DEMO_RISK_ANSWERS: Record<string, string> = {
  'RISK-01': 'recommends',
  'RISK-02': 'services',
  'RISK-03': 'with_effort',
  'RISK-04': 'contact',
  'RISK-05': 'incidental',
  'RISK-06': 'none',
  'RISK-07': 'over_500k',
  'RISK-08': 'some',
  'RISK-09': 'always',
  'RISK-10': 'clear',
  'RISK-11': 'direct',
  'RISK-12': 'generative',
  'RISK-13': 'general',
  'RISK-14': 'city_only',
  'RISK-15': 'possible',
  'RISK-16': 'indirect',
};
