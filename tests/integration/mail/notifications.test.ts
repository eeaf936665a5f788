/**
 * Notifications (issue 14, item 5) on SQLite and PostgreSQL: who is told of a submitted or reopened scoresheet and
 * of a status change; each person's mail choices (at once, daily digest, workbench only; essential kinds always at
 * once); reminders driven by the due date, written once whichever process runs them and caught up after downtime
 * with only the latest that applies; and the daily digest, written once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '#db/client';
import { listOutbox } from '#db/queries/mail-outbox';
import { listNotifications, setMailModes } from '#db/queries/notifications';
import { reopenScoresheet, submitScoresheet } from '#db/queries/evaluation';
import { changeStatus } from '#app/rfp/lifecycle.server';
import { digestCutoff, reminderDue, writeDigests, writeDueReminders, type SchedulerSettings } from '#app/mail/scheduler.server';
import { sendLeadReminders } from '#app/evaluation/reminders.server';
import { createTestDatabase } from '#tests/support/db';
import { createEvaluation, type CreatedEvaluation } from '#tests/support/evaluation-factory';

const ORIGIN = 'https://workbench.city.example';
const SETTINGS: SchedulerSettings = { reminderDays: [3, 1], digestHour: 8, intervalMs: 60_000, origin: ORIGIN };
const DAY = 86_400_000;

describe('notifications', () => {
  let handle: DatabaseHandle;
  let e: CreatedEvaluation;
  const dueAt = new Date(Date.now() + 10 * DAY).toISOString();

  beforeEach(async () => {
    handle = await createTestDatabase();
    e = await createEvaluation(handle.db, {
      status: 'evaluation',
      sections: [{ key: 'q', title: 'Quality', criteria: [{ key: 'Q-1', title: 'Governance', kind: 'scored', points: 100 }] }],
      vendors: [{ name: 'Acme Civic' }, { name: 'Beta Gov' }],
      evaluators: [{ name: 'Evan Chen' }, { name: 'Priya Natarajan' }],
      observers: [{ name: 'Lee Morgan' }],
      score: ({ evaluator }) => (evaluator === 0 ? 4 : null),
      rationale: () => 'Clear governance plan.',
      // Evan has scored both vendors but not submitted; Priya has not started.
      sheet: (evaluator) => (evaluator === 0 ? 'in_progress' : null),
    });
    await handle.db.updateTable('rfp').set({ evaluation_due_at: dueAt }).where('id', '=', e.rfpId).execute();
  });
  afterEach(async () => handle.close());

  const mine = async (userId: string) => (await listNotifications(handle.db, userId, { limit: 50, offset: 0 })).entries;
  const outbox = async () => (await listOutbox(handle.db, { limit: 200 })).entries;
  const [evan, priya] = [0, 1];

  it('tells the lead of a submitted scoresheet and the evaluator of a reopened one, by mail at once', async () => {
    const criterion = e.criteria[0]!.id;
    const sheet = { rfpId: e.rfpId, submissionId: e.vendors[0]!.submissionId, evaluatorId: e.evaluators[evan]!.id };
    expect(await submitScoresheet(handle.db, e.evaluators[evan]!, { ...sheet, requiredCriterionIds: [criterion], mailOrigin: ORIGIN })).toEqual({ ok: true });
    const [toLead] = await mine(e.lead.id);
    expect(toLead!.subject).toContain('Evan Chen submitted a scoresheet');
    expect(toLead!.text).toContain('Evan Chen submitted their scoresheet for Acme Civic');
    expect(toLead!.text).toContain('1 of 4 scoresheets are in.');
    expect(await reopenScoresheet(handle.db, e.lead, { ...sheet, reason: 'Please cite the evidence file.', mailOrigin: ORIGIN })).toEqual({ ok: true });
    const [toEvan] = await mine(e.evaluators[evan]!.id);
    expect(toEvan!.subject).toContain('your scoresheet for Acme Civic was reopened');
    expect(toEvan!.text).toContain('Please cite the evidence file.');
    expect(toEvan!.linkPath).toBe(`/rfps/${e.rfpId}/evaluate/${sheet.submissionId}`);
    const mails = await outbox();
    expect(mails.map((m) => m.to).sort()).toEqual([e.evaluators[evan]!.email, e.lead.email].sort());
    // Nothing of the evaluation itself travels: no score, no rationale.
    expect(mails.map((m) => m.text).join('\n')).not.toContain('Clear governance plan');
  });

  it('tells those a status change concerns, not the one who made it', async () => {
    await handle.db.transaction().execute((trx) => changeStatus(trx, e.lead, e.rfpId, 'consensus', 'Scoring closed early for the council meeting.', 'evaluation', ORIGIN));
    const told = (await outbox()).map((m) => m.to).sort();
    expect(told).toEqual([...e.evaluators.map((p) => p.email), e.observers[0]!.email].sort());
    const [toObserver] = await mine(e.observers[0]!.id);
    expect(toObserver!.text).toContain('Provisional results are available');
    const [toEvaluator] = await mine(e.evaluators[priya]!.id);
    expect(toEvaluator!.text).toContain('The reason given: Scoring closed early for the council meeting.');
    expect(await mine(e.lead.id)).toEqual([]);
  });

  it('follows each person’s mail choices, but always mails what asks them to act', async () => {
    await setMailModes(handle.db, e.lead.id, { 'sheet.submitted': 'off' });
    await setMailModes(handle.db, e.evaluators[evan]!.id, { 'rfp.status': 'digest', 'reminder.due': 'digest' });
    const sheet = { rfpId: e.rfpId, submissionId: e.vendors[0]!.submissionId, evaluatorId: e.evaluators[evan]!.id };
    await submitScoresheet(handle.db, e.evaluators[evan]!, { ...sheet, requiredCriterionIds: [e.criteria[0]!.id], mailOrigin: ORIGIN });
    await reopenScoresheet(handle.db, e.lead, { ...sheet, reason: 'Check the price.', mailOrigin: ORIGIN });
    // The lead turned submissions off: in the workbench only. Evan's reopened sheet is essential: mailed at once.
    expect((await mine(e.lead.id)).map((n) => n.subject)).toEqual([expect.stringContaining('submitted a scoresheet')]);
    expect((await outbox()).map((m) => m.to)).toEqual([e.evaluators[evan]!.email]);
  });

  it('writes the daily digest once, from what waited before the digest hour', async () => {
    await setMailModes(handle.db, e.evaluators[evan]!.id, { 'rfp.status': 'digest' });
    await handle.db.transaction().execute((trx) => changeStatus(trx, e.lead, e.rfpId, 'consensus', 'Done.', 'evaluation', ORIGIN));
    expect((await outbox()).map((m) => m.to)).not.toContain(e.evaluators[evan]!.email);
    const tomorrow = new Date(Date.now() + DAY + 60_000);
    expect(await writeDigests(handle.db, SETTINGS, tomorrow, 'UTC')).toBe(1);
    expect(await writeDigests(handle.db, SETTINGS, tomorrow, 'UTC')).toBe(0);
    const digests = (await outbox()).filter((m) => m.kind === 'digest');
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ to: e.evaluators[evan]!.email, subject: expect.stringContaining('Your daily digest') });
    expect(digests[0]!.text).toContain('is now in consensus');
  });

  it('reminds evaluators with open scoresheets before the due date and when overdue, once each, catching up with the latest', async () => {
    const at = (msBeforeDue: number) => new Date(Date.parse(dueAt) - msBeforeDue);
    expect(await writeDueReminders(handle.db, SETTINGS, at(5 * DAY))).toBe(0);
    // Three days before: both evaluators have sheets open; a second pass (another process) writes nothing more.
    expect(await writeDueReminders(handle.db, SETTINGS, at(3 * DAY - 1000))).toBe(2);
    expect(await writeDueReminders(handle.db, SETTINGS, at(3 * DAY - 2000))).toBe(0);
    const evanMail = (await outbox()).find((m) => m.to === e.evaluators[evan]!.email)!;
    expect(evanMail.subject).toContain('your scores are due');
    expect(evanMail.text).toContain('You have 2 scoresheets not yet submitted.');
    // Evan submits one sheet; the one-day reminder counts only what is still open.
    await submitScoresheet(handle.db, e.evaluators[evan]!, { rfpId: e.rfpId, submissionId: e.vendors[0]!.submissionId, evaluatorId: e.evaluators[evan]!.id, requiredCriterionIds: [e.criteria[0]!.id] });
    expect(await writeDueReminders(handle.db, SETTINGS, at(DAY - 1000))).toBe(2);
    expect((await mine(e.evaluators[evan]!.id)).find((n) => n.kind === 'reminder.due')!.text).toContain('You have 1 scoresheet not yet submitted.');
    expect(await writeDueReminders(handle.db, SETTINGS, new Date(Date.parse(dueAt) + 1000))).toBe(2);
    const overdue = (await outbox()).filter((m) => m.kind === 'reminder.overdue');
    expect(overdue).toHaveLength(2);
    expect(overdue[0]!.subject).toContain('overdue');
  });

  it('after downtime sends only the latest reminder that applies', async () => {
    // No process ran three days before; the first pass is half a day before the deadline.
    expect(reminderDue(dueAt, new Date(Date.parse(dueAt) - DAY / 2), SETTINGS.reminderDays)).toEqual({ kind: 'due', days: 1 });
    expect(await writeDueReminders(handle.db, SETTINGS, new Date(Date.parse(dueAt) - DAY / 2))).toBe(2);
    expect((await mine(e.evaluators[priya]!.id)).filter((n) => n.kind === 'reminder.due')).toHaveLength(1);
  });

  it('lets the lead remind chosen evaluators, refusing one with nothing left to submit', async () => {
    const sent = await sendLeadReminders(handle.db, e.lead, { rfp: { id: e.rfpId }, evaluatorIds: [e.evaluators[priya]!.id], note: 'The council meets Friday.', mailOrigin: ORIGIN });
    expect(sent).toEqual({ ok: true, names: ['Priya Natarajan'] });
    const [mail] = await outbox();
    expect(mail).toMatchObject({ to: e.evaluators[priya]!.email, kind: 'reminder.lead' });
    expect(mail!.text).toContain('The council meets Friday.');
    expect(mail!.text).toContain(`${ORIGIN}/rfps/${e.rfpId}/evaluate`);
    const stranger = await sendLeadReminders(handle.db, e.lead, { rfp: { id: e.rfpId }, evaluatorIds: [e.lead.id], note: null, mailOrigin: ORIGIN });
    expect(stranger.ok).toBe(false);
  });

  it('places the digest at the digest hour of the installation’s zone', () => {
    const now = new Date('2027-03-02T20:00:00Z'); // 12:00 in Los Angeles (PST)
    expect(digestCutoff(now, 8, 'America/Los_Angeles').toISOString()).toBe('2027-03-02T16:00:00.000Z');
    expect(digestCutoff(new Date('2027-03-02T15:00:00Z'), 8, 'America/Los_Angeles').toISOString()).toBe('2027-03-01T16:00:00.000Z');
  });
});
