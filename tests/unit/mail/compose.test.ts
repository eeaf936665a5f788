import { describe, expect, it } from 'vitest';
import { composeMail, escapeHtml, oneLine } from '#app/mail/compose';
import { assignmentMail } from '#app/mail/notifications';
import { describeMailError, MailSettingError, mailSettingsFromEnv, retryDelayMs } from '#app/mail/settings.server';

describe('composing a mail', () => {
  it('escapes every piece of user text in the HTML body and keeps it verbatim in the text body', () => {
    const hostile = '<img src=x onerror=alert(1)> & "quotes" \'single\'';
    const mail = composeMail({
      subject: `RFP ${hostile}`,
      greeting: `Hello ${hostile},`,
      paragraphs: [hostile],
      action: { label: hostile, url: 'https://workbench.city.gov/rfps/1?a=1&b=2' },
      footer: hostile,
    });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toMatch(/onerror=alert\(1\)>/);
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;');
    expect(mail.html).toContain('href="https://workbench.city.gov/rfps/1?a=1&amp;b=2"');
    expect(mail.text).toContain(hostile);
    expect(mail.text).toContain(`${hostile}: https://workbench.city.gov/rfps/1?a=1&b=2`);
  });

  it('keeps a subject on one line, so a title cannot add headers', () => {
    expect(oneLine('Title\r\nBcc: everyone@city.gov')).toBe('Title Bcc: everyone@city.gov');
    expect(composeMail({ subject: 'a\nb', greeting: 'Hi', paragraphs: [], footer: 'f' }).subject).toBe('a b');
    expect(oneLine('x'.repeat(300)).length).toBe(200);
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => composeMail({ subject: 's', greeting: 'g', paragraphs: [], action: { label: 'l', url: 'javascript:alert(1)' }, footer: 'f' })).toThrow(/http/);
  });

  it('escapes the five characters HTML gives meaning to', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('says who assigned the evaluator, to what, and when scores are due, with a link to the evaluation', () => {
    const mail = assignmentMail({
      origin: 'https://workbench.city.gov',
      rfp: { id: 'r1', reference: 'SPR-2026-311', title: '311 assistant', evaluationDueAt: '2027-03-01T07:59:59.999Z' },
      evaluator: { name: 'Evan Chen' },
      assignedBy: { name: 'Olivia Ortiz' },
      sectionCount: null,
    });
    expect(mail.subject).toBe('You are assigned to evaluate SPR-2026-311: 311 assistant');
    expect(mail.text).toContain('Hello Evan Chen,');
    expect(mail.text).toContain('Olivia Ortiz assigned you to evaluate “311 assistant” (SPR-2026-311), for the whole questionnaire.');
    expect(mail.text).toMatch(/Scores are due .*2027/);
    expect(mail.text).toContain('Open the evaluation: https://workbench.city.gov/rfps/r1/evaluate');
    expect(assignmentMail({ ...{ origin: 'http://x', rfp: { id: 'r', reference: 'R', title: 'T', evaluationDueAt: null }, evaluator: { name: 'E' }, assignedBy: { name: 'L' } }, sectionCount: 2 }).text).toContain('for 2 sections of the questionnaire');
  });
});

describe('mail settings', () => {
  it('needs MAIL_FROM with SMTP_URL, and an smtp(s) URL', () => {
    expect(() => mailSettingsFromEnv({ SMTP_URL: 'smtp://mail.city.gov:587' })).toThrow(MailSettingError);
    expect(() => mailSettingsFromEnv({ SMTP_URL: 'http://mail.city.gov', MAIL_FROM: 'a@city.gov' })).toThrow(/smtp:\/\//);
    expect(() => mailSettingsFromEnv({ SMTP_URL: 'not a url', MAIL_FROM: 'a@city.gov' })).toThrow(/not a URL/);
    expect(() => mailSettingsFromEnv({ MAIL_FROM: 'nobody' })).toThrow(/not an email address/);
    expect(() => mailSettingsFromEnv({ MAIL_POLL_SECONDS: 'soon' })).toThrow(/MAIL_POLL_SECONDS/);
  });

  it('reads a working configuration, with the Message-ID domain from MAIL_FROM', () => {
    const s = mailSettingsFromEnv({ SMTP_URL: 'smtps://user:pw@mail.city.gov:465', MAIL_FROM: 'City AI Procurement <ai@city.gov>', MAIL_POLL_SECONDS: '0.5' });
    expect(s.smtpUrl?.hostname).toBe('mail.city.gov');
    expect(s.messageIdDomain).toBe('city.gov');
    expect(s.pollMs).toBe(500);
    expect(mailSettingsFromEnv({}).smtpUrl).toBeNull();
  });

  it('doubles the retry delay from the base, up to an hour', () => {
    const base = { retryBaseMs: 30_000 };
    expect([1, 2, 3].map((n) => retryDelayMs(base, n))).toEqual([30_000, 60_000, 120_000]);
    expect(retryDelayMs(base, 20)).toBe(3_600_000);
  });

  it('never keeps credentials from a URL in an error', () => {
    expect(describeMailError(new Error('connect ECONNREFUSED smtp://user:secret@mail.city.gov'))).toBe('connect ECONNREFUSED smtp://…@mail.city.gov');
  });
});
