/**
 * The audit log in words: names, never UUIDs; what the redaction withheld never said; the search text built from
 * the same redacted entry.
 */
import { describe, expect, it } from 'vitest';
import { type AuditNameBook, auditNameRefs, auditSearchText, describeAuditEvent, type DescribableAuditEvent, normaliseForSearch } from '#app/audit/sentences';
import { PanelViewer } from '#app/confidentiality/panel';
import { formatDateTime } from '#app/utils/format';

const ids = {
  lead: '11111111-1111-4111-8111-111111111111',
  dana: '22222222-2222-4222-8222-222222222222',
  submission: '33333333-3333-4333-8333-333333333333',
  vendor: '44444444-4444-4444-8444-444444444444',
  criterion: '55555555-5555-4555-8555-555555555555',
  question: '66666666-6666-4666-8666-666666666666',
  section: '77777777-7777-4777-8777-777777777777',
  attachment: '88888888-8888-4888-8888-888888888888',
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

const names: AuditNameBook = {
  users: new Map([
    [ids.lead, { name: 'Olivia Ortiz', email: 'officer@city.example' }],
    [ids.dana, { name: 'Dana Lee', email: 'dana@city.example' }],
  ]),
  vendors: new Map([[ids.vendor, 'Acme Analytics']]),
  submissions: new Map([[ids.submission, 'Acme Analytics']]),
  criteria: new Map([[ids.criterion, { key: 'SEC-01', title: 'Data retention' }]]),
  questions: new Map([[ids.question, { key: 'SEC-01a', text: 'How long do you keep the city’s data?' }]]),
  sections: new Map([[ids.section, { key: 'security', title: 'Security' }]]),
  attachments: new Map([[ids.attachment, { fileName: 'soc2.pdf', vendor: 'Acme Analytics' }]]),
};

function event(action: string, entity: string, fields: Partial<DescribableAuditEvent> & { before?: unknown; after?: unknown } = {}): DescribableAuditEvent {
  const { before, after, ...rest } = fields;
  return {
    actor_id: ids.lead,
    actor_email: 'officer@city.example',
    entity,
    entity_id: null,
    action,
    before_json: before === undefined ? null : JSON.stringify(before),
    after_json: after === undefined ? null : JSON.stringify(after),
    reason: null,
    ...rest,
  };
}

const score = (rationale: string) =>
  event('score.update', 'score', {
    actor_id: ids.dana,
    actor_email: 'dana@city.example',
    entity_id: 'score-1',
    before: { value: 2, rationale: `first ${rationale}`, version: 1 },
    after: { submission_id: ids.submission, criterion_id: ids.criterion, evaluator_id: ids.dana, value: 4, rationale, version: 2 },
  });

describe('audit sentences', () => {
  it('name the vendor, criterion, question, evaluator and section, never an id', () => {
    const cases: Array<[DescribableAuditEvent, string]> = [
      [score('clear evidence'), 'Dana Lee changed the score of Acme Analytics on SEC-01 Data retention: 4.'],
      [
        event('scoresheet.submit', 'scoresheet', { actor_id: ids.dana, entity_id: `${ids.dana}:${ids.submission}`, after: { status: 'submitted', scores: 12, evaluator_id: ids.dana, submission_id: ids.submission } }),
        'Dana Lee submitted their scoresheet for Acme Analytics (12 scores).',
      ],
      [
        event('scoresheet.reopen', 'scoresheet', { entity_id: `${ids.dana}:${ids.submission}`, after: { status: 'in_progress', evaluator_id: ids.dana, submission_id: ids.submission }, reason: 'typo' }),
        'Olivia Ortiz reopened Dana Lee’s scoresheet for Acme Analytics.',
      ],
      [
        event('answer.save', 'answer', { entity_id: `${ids.submission}:${ids.question}`, before: { value: null }, after: { value: 'Ninety days.' } }),
        'Olivia Ortiz saved Acme Analytics’s answer to SEC-01a “How long do you keep the city’s data?”.',
      ],
      [event('member.add', 'rfp_member', { entity_id: ids.dana, after: { user_id: ids.dana, email: 'dana@city.example', role: 'evaluator' } }), 'Olivia Ortiz added Dana Lee to the team as evaluator.'],
      [event('rfp.status', 'rfp', { before: { status: 'open' }, after: { status: 'evaluation' } }), 'Olivia Ortiz moved the RFP from Open for responses to In evaluation.'],
      [event('criterion.create', 'criterion', { entity_id: ids.criterion, after: { key: 'SEC-01', title: 'Data retention', section_id: ids.section } }), 'Olivia Ortiz added the criterion SEC-01 Data retention to “Security”.'],
      [event('question.move', 'question', { entity_id: ids.question, before: { position: 2 }, after: { position: 1 } }), 'Olivia Ortiz moved the question SEC-01a “How long do you keep the city’s data?” up (from place 3 to 2).'],
      [event('section.update', 'section', { entity_id: ids.section, before: { title: 'Sec' }, after: { title: 'Security' } }), 'Olivia Ortiz renamed the section “Sec” to “Security”.'],
      [event('recusal.create', 'recusal', { entity_id: `${ids.dana}:${ids.vendor}`, after: { user_id: ids.dana, vendor_id: ids.vendor, vendor: 'Acme Analytics', reason: 'former employer' } }), 'Olivia Ortiz recorded that Dana Lee is recused from Acme Analytics.'],
      [
        event('recusal.create', 'recusal', { actor_id: ids.dana, entity_id: `${ids.dana}:${ids.vendor}`, after: { user_id: ids.dana, vendor_id: ids.vendor, vendor: 'Acme Analytics', origin: 'declaration' } }),
        'Dana Lee is recused from Acme Analytics, as they declared.',
      ],
      [event('attachment.download', 'attachment', { entity_id: ids.attachment, after: { sha256: 'ab' } }), 'Olivia Ortiz downloaded the attachment soc2.pdf of Acme Analytics.'],
      [event('submission.update', 'submission', { entity_id: ids.submission, before: { vendor_id: ids.vendor, status: 'received', price: 1000 }, after: { vendor_id: ids.vendor, status: 'responsive', price: 1200 } }), 'Olivia Ortiz changed Acme Analytics’s response: status from received to responsive; price from $1,000.00 to $1,200.00.'],
      [
        event('rfp.update', 'rfp', { before: { title: 'Old title', proposals_due_at: null, summary: 'a' }, after: { title: 'New title', proposals_due_at: '2027-03-02T07:59:59.999Z', summary: 'b' } }),
        `Olivia Ortiz changed the RFP’s title from “Old title” to “New title”; proposals due date from none to ${formatDateTime('2027-03-02T07:59:59.999Z')}; summary.`,
      ],
      [
        event('vendor.merge', 'vendor', { actor_id: null, actor_email: 'system', entity_id: ids.vendor, before: { kept: { name: 'Acme Analytics' }, duplicate: { name: 'ACME analytics inc' } }, after: { kept: { name: 'Acme Analytics' }, movedSubmissions: [{}, {}] } }),
        'The system merged the duplicate vendor ACME analytics inc into Acme Analytics, moving 2 responses.',
      ],
      [
        event('attachment.replace', 'attachment', { entity_id: ids.attachment, before: { file_name: 'old.pdf', submission_id: ids.submission }, after: { file_name: 'new.pdf', submission_id: ids.submission } }),
        'Olivia Ortiz replaced the attachment old.pdf of Acme Analytics with new.pdf.',
      ],
      [event('rfp.export', 'rfp', { actor_id: null, actor_email: 'system', after: { format: 'xlsx', via: 'cli' } }), 'The system downloaded the scorecard workbook from the command line.'],
    ];
    for (const [e, sentence] of cases) {
      const said = describeAuditEvent(e, names);
      expect(said).toBe(sentence);
      expect(said).not.toMatch(UUID);
    }
  });

  it('falls back to what the payload recorded when the thing is gone, and still never shows an id', () => {
    const removed = event('question.delete', 'question', { entity_id: ids.question, before: { id: ids.question, key: 'OLD-1', text: 'A removed question text' } });
    expect(describeAuditEvent(removed, { ...names, questions: new Map() })).toBe('Olivia Ortiz removed the question OLD-1 “A removed question text”.');
    const orphan = score('x');
    const said = describeAuditEvent(orphan, { ...names, submissions: new Map(), criteria: new Map(), users: new Map() });
    expect(said).toBe('dana@city.example changed the score of a removed vendor response on a removed criterion: 4.');
    expect(describeAuditEvent(event('thing.frobnicate', 'thing'), names)).toBe('Olivia Ortiz recorded “thing.frobnicate” on a thing.');
  });

  it('never says a withheld value or rationale, and the search text does not hold them either', () => {
    const marker = 'zqmSECRETMARKERq';
    const sealed = PanelViewer.oversight('evaluation', new Map([[ids.submission, ids.vendor]])).redactAuditEvent(score(marker));
    const said = describeAuditEvent(sealed, names);
    expect(said).toBe('Dana Lee changed the score of Acme Analytics on SEC-01 Data retention (value and rationale withheld: individual scores and rationales are sealed until the RFP reaches consensus).');
    expect(said).not.toContain(marker);
    expect(said).not.toMatch(/: 4|: 2/);
    const haystack = auditSearchText(sealed, said);
    expect(haystack).not.toContain(normaliseForSearch(marker));
    expect(haystack).toContain('acme analytics');
    // Once the panel is open, the same entry is found by its rationale.
    const open = PanelViewer.oversight('consensus', new Map([[ids.submission, ids.vendor]])).redactAuditEvent(score(marker));
    expect(auditSearchText(open, describeAuditEvent(open, names))).toContain(normaliseForSearch(marker));
  });

  it('ends with one full stop after a name that has its own, and keeps an ellipsis', () => {
    const inc = { ...names, vendors: new Map([[ids.vendor, 'Civic Answers Inc.']]) };
    expect(describeAuditEvent(event('vendor.create', 'vendor', { entity_id: ids.vendor }), inc)).toBe('Olivia Ortiz registered the vendor Civic Answers Inc.');
    expect(describeAuditEvent(event('vendor.create', 'vendor', { after: { name: 'Wait and see...' } }), names)).toBe('Olivia Ortiz registered the vendor Wait and see...');
  });

  it('searches case- and accent-insensitively, with curly quotes as straight ones', () => {
    expect(auditSearchText(event('vendor.create', 'vendor', { after: { name: 'Café Acme’s' } }), 'x')).toContain(normaliseForSearch("cafe ACME's"));
  });

  it('collects every id a page mentions, so the names come in one query', () => {
    const refs = auditNameRefs([score('r'), event('answer.save', 'answer', { entity_id: `${ids.submission}:${ids.question}` }), event('attachment.add', 'attachment', { entity_id: ids.attachment })]);
    expect([...refs.userIds].sort()).toEqual([ids.lead, ids.dana].sort());
    expect([...refs.submissionIds]).toEqual([ids.submission]);
    expect([...refs.criterionIds]).toEqual([ids.criterion]);
    expect([...refs.questionIds]).toEqual([ids.question]);
    expect([...refs.attachmentIds]).toEqual([ids.attachment]);
  });
});
