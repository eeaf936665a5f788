/**
 * The audit log in words: every action the code records, as a sentence with the names of the people, vendors,
 * criteria, questions and sections it concerns — never their UUIDs.
 *
 * Pure: an event (already through the panel-confidentiality redaction, see app/confidentiality/panel.ts) and a book
 * of names in, a sentence out. A sentence is built from the redacted payload only, so it cannot say what the
 * redaction withheld; the text search matches the same words ({@link auditSearchText}), so a search cannot find an
 * entry by what it withheld either.
 *
 * Every action literal in app/ and db/ must have an entry in {@link AUDIT_ACTIONS}:
 * tests/unit/audit/sentences-cover-actions.test.ts scans the code and fails on one without a sentence.
 */
import { STATUS_LABELS } from '#app/rfp/status';
import { formatDateTime, formatMoney } from '#app/utils/format';
import type { MemberRole, RfpStatus } from '#db/schema';

/** The audit columns a sentence reads (a redacted {@link import('#db/schema').AuditEvent}). */
export interface DescribableAuditEvent {
  actor_id: string | null;
  actor_email: string | null;
  entity: string;
  entity_id: string | null;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
}

/** Names for the ids one page of events mentions, read in one query (db/queries/audit.ts `loadAuditNames`). */
export interface AuditNameBook {
  users: ReadonlyMap<string, { name: string; email: string }>;
  vendors: ReadonlyMap<string, string>;
  /** Submission id → its vendor's name. */
  submissions: ReadonlyMap<string, string>;
  criteria: ReadonlyMap<string, { key: string; title: string }>;
  questions: ReadonlyMap<string, { key: string; text: string }>;
  sections: ReadonlyMap<string, { key: string; title: string }>;
  /** Attachment id → its file name and its vendor's name. */
  attachments: ReadonlyMap<string, { fileName: string; vendor: string }>;
}

export const EMPTY_NAME_BOOK: AuditNameBook = {
  users: new Map(),
  vendors: new Map(),
  submissions: new Map(),
  criteria: new Map(),
  questions: new Map(),
  sections: new Map(),
  attachments: new Map(),
};

/** The ids of each kind a set of events mentions: what {@link AuditNameBook} must hold to describe them. */
export interface AuditNameRefs {
  userIds: Set<string>;
  vendorIds: Set<string>;
  submissionIds: Set<string>;
  criterionIds: Set<string>;
  questionIds: Set<string>;
  sectionIds: Set<string>;
  attachmentIds: Set<string>;
}

export type AuditFamily = 'details' | 'lifecycle' | 'questionnaire' | 'team' | 'vendors' | 'scoring' | 'consensus' | 'downloads' | 'accounts';

/** The families the log can be filtered by, in the order the filter lists them. */
export const AUDIT_FAMILIES: ReadonlyArray<{ id: AuditFamily; label: string }> = [
  { id: 'lifecycle', label: 'Status and deadlines' },
  { id: 'details', label: 'RFP details and settings' },
  { id: 'questionnaire', label: 'Questionnaire' },
  { id: 'team', label: 'Team, assignments and conflicts' },
  { id: 'vendors', label: 'Vendors and responses' },
  { id: 'scoring', label: 'Scoring' },
  { id: 'consensus', label: 'Consensus' },
  { id: 'downloads', label: 'Downloads and exports' },
  { id: 'accounts', label: 'Accounts' },
];

/** Audit entities (the `entity` column) in words, for the entity filter. */
export const AUDIT_ENTITY_LABELS: Readonly<Record<string, string>> = {
  rfp: 'The RFP',
  section: 'Section',
  criterion: 'Criterion',
  question: 'Question',
  rfp_member: 'Team member',
  assignment: 'Evaluator assignment',
  recusal: 'Recusal',
  vendor: 'Vendor',
  submission: 'Vendor response',
  answer: 'Answer',
  attachment: 'Attachment',
  scoresheet: 'Scoresheet',
  score: 'Score',
  consensus_score: 'Consensus score',
  user: 'Account',
  setting: 'Installation setting',
  vendor_question: 'Vendor question',
  qa_addendum: 'Q&A addendum',
};

type Payload = Record<string, unknown>;

/** What a sentence is written from: the event's payloads and the names, with helpers that never return an id. */
export class SentenceContext {
  readonly before: Payload;
  readonly after: Payload;
  constructor(
    readonly event: DescribableAuditEvent,
    private readonly names: AuditNameBook,
  ) {
    this.before = parsePayload(event.before_json);
    this.after = parsePayload(event.after_json);
  }

  /** A field of the payload after the change, else before it. */
  field(name: string): unknown {
    return name in this.after ? this.after[name] : this.before[name];
  }

  text(name: string): string | null {
    const value = this.field(name);
    return typeof value === 'string' && value !== '' ? value : null;
  }

  number(name: string): number | null {
    const value = this.field(name);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  /** The one who did it: their name (email when the account has none on record), or "The system". */
  get actor(): string {
    const { actor_id: id, actor_email: email } = this.event;
    if (id !== null) {
      const user = this.names.users.get(id);
      if (user) return user.name || user.email;
    }
    if (email === null || email === 'system') return 'The system';
    return email;
  }

  /** A person by account id, with the email the payload carries as the fallback name. */
  person(id: string | null, email?: string | null): string {
    const user = id === null ? undefined : this.names.users.get(id);
    if (user) return user.name || user.email;
    return email ?? 'a former account';
  }

  /** Whether `id` is the actor: "their own scoresheet" reads better than the actor's name twice. */
  isActor(id: string | null): boolean {
    return id !== null && id === this.event.actor_id;
  }

  vendorOfSubmission(submissionId: string | null): string {
    return (submissionId !== null ? this.names.submissions.get(submissionId) : undefined) ?? 'a removed vendor response';
  }

  vendor(vendorId: string | null, fallback?: string | null): string {
    return (vendorId !== null ? this.names.vendors.get(vendorId) : undefined) ?? fallback ?? 'a removed vendor';
  }

  /** "SEC-01 Data retention", from the database, else from a payload that carried the row (a deleted one). */
  criterion(id: string | null, payload?: Payload): string {
    const row = id !== null ? this.names.criteria.get(id) : undefined;
    const key = row?.key ?? stringOf(payload?.key);
    const title = row?.title ?? stringOf(payload?.title);
    if (key === null && title === null) return 'a removed criterion';
    return [key, title].filter((part) => part !== null).join(' ');
  }

  question(id: string | null, payload?: Payload): string {
    const row = id !== null ? this.names.questions.get(id) : undefined;
    const key = row?.key ?? stringOf(payload?.key);
    const text = row?.text ?? stringOf(payload?.text);
    if (key === null && text === null) return 'a removed question';
    return [key, text === null ? null : `“${clip(text, 90)}”`].filter((part) => part !== null).join(' ');
  }

  section(id: string | null, payload?: Payload): string {
    const row = id !== null ? this.names.sections.get(id) : undefined;
    const title = row?.title ?? stringOf(payload?.title);
    return title === null ? 'a removed section' : `“${title}”`;
  }

  /** "report.pdf of Acme", from the database, else from the payload of its upload. */
  attachment(id: string | null, payload?: Payload): string {
    const row = id !== null ? this.names.attachments.get(id) : undefined;
    const fileName = row?.fileName ?? stringOf(payload?.file_name);
    const vendor = row?.vendor ?? (payload?.submission_id !== undefined ? this.vendorOfSubmission(stringOf(payload.submission_id)) : null);
    return `${fileName ?? 'a removed attachment'}${vendor ? ` of ${vendor}` : ''}`;
  }

  /** The redaction's sentence when the payload's confidential fields were withheld, else null. */
  get withheld(): string | null {
    return stringOf(this.after.withheld) ?? stringOf(this.before.withheld);
  }
}

interface ActionSpec {
  family: AuditFamily;
  sentence: (c: SentenceContext) => string;
}

const statusLabel = (value: unknown) => (typeof value === 'string' && value in STATUS_LABELS ? STATUS_LABELS[value as RfpStatus] : String(value ?? '—'));
const ROLE_WORDS: Record<MemberRole, string> = { lead: 'lead officer', evaluator: 'evaluator', observer: 'observer' };
const roleWord = (value: unknown) => (typeof value === 'string' && value in ROLE_WORDS ? ROLE_WORDS[value as MemberRole] : String(value ?? 'member'));
const EXPORT_WORDS: Record<string, string> = {
  xlsx: 'the scorecard workbook',
  'vendor-xlsx': 'a vendor workbook',
  json: 'the portable RFP file (JSON)',
  'matrix-csv': 'the scoring matrix (CSV)',
  'audit-csv': 'the audit log (CSV)',
};

/** "4", "4.5" — or what the redaction says instead of the value. */
function scoreWords(c: SentenceContext): string {
  const withheld = c.withheld;
  if (withheld !== null) return ` (${withheld.replace(/^Withheld: /, 'value and rationale withheld: ').replace(/\.$/, '')})`;
  const value = c.number('value');
  return value === null ? '' : `: ${value}`;
}

function positionWords(c: SentenceContext): string {
  const from = typeof c.before.position === 'number' ? c.before.position : null;
  const to = typeof c.after.position === 'number' ? c.after.position : null;
  if (from === null || to === null) return '';
  return ` ${to < from ? 'up' : 'down'} (from place ${from + 1} to ${to + 1})`;
}

/** The fields an update changed, as "title, points" — the details show the values. */
function changedFields(c: SentenceContext, ignore: readonly string[] = []): string {
  const keys = [...new Set([...Object.keys(c.before), ...Object.keys(c.after)])].filter(
    (key) => !ignore.includes(key) && key !== 'withheld' && JSON.stringify(c.before[key]) !== JSON.stringify(c.after[key]),
  );
  return keys.length === 0 ? 'nothing' : keys.map((key) => key.replace(/_json$/, '').replace(/_/g, ' ')).join(', ');
}

/** The RFP's columns in words, as the details form names them. */
const DETAIL_LABELS: Record<string, string> = {
  reference: 'reference',
  title: 'title',
  department: 'department',
  summary: 'summary',
  proposals_due_at: 'proposals due date',
  qa_due_at: 'questions due date',
  evaluation_due_at: 'evaluation due date',
  scale_max: 'scale',
  aggregation: 'aggregation',
  allow_half_points: 'half points',
  divergence_threshold: 'divergence threshold',
  price_formula: 'price formula',
  total_points: 'total points',
  price_blind: 'price-blind scoring',
};

/** "title from “A” to “B”; proposals due date from … to …" — values for short settings, names for long texts. */
function detailChanges(c: SentenceContext): string {
  const keys = [...new Set([...Object.keys(c.before), ...Object.keys(c.after)])].filter((key) => key !== 'withheld');
  if (keys.length === 0) return 'details (nothing changed)';
  const value = (key: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return 'none';
    if (key.endsWith('_due_at')) return formatDateTime(stringOf(v));
    if (key === 'allow_half_points' || key === 'price_blind') return v ? 'on' : 'off';
    if (key === 'divergence_threshold' && typeof v === 'number') return `${Math.round(v * 100)}%`;
    return typeof v === 'string' ? `“${clip(v, 60)}”` : String(v);
  };
  return keys
    .map((key) => {
      const label = DETAIL_LABELS[key] ?? key.replace(/_/g, ' ');
      return key === 'summary' ? label : `${label} from ${value(key, c.before[key])} to ${value(key, c.after[key])}`;
    })
    .join('; ');
}

const sectionsWords = (value: unknown) => (Array.isArray(value) ? `${value.length} ${value.length === 1 ? 'section' : 'sections'}` : 'every section');

export const AUDIT_ACTIONS: Readonly<Record<string, ActionSpec>> = {
  // ---------- the RFP ----------
  'rfp.create': { family: 'details', sentence: (c) => `${c.actor} created the RFP ${c.text('reference') ?? ''} “${c.text('title') ?? ''}”.` },
  'rfp.clone': { family: 'details', sentence: (c) => `${c.actor} created this RFP as a copy of ${c.text('from') ?? 'another RFP'}${c.number('questions') === null ? '' : ` with ${c.number('questions')} questions`}.` },
  'rfp.import': { family: 'details', sentence: (c) => `${c.actor} imported this RFP from a portable file of ${c.text('reference') ?? 'another workbench'}${c.text('exportedAt') ? ` exported ${formatDateTime(c.text('exportedAt'))}` : ''}.` },
  'rfp.risk_tier': {
    family: 'details',
    sentence: (c) => `${c.actor} assessed the AI risk tier as ${c.after.risk_tier ? `tier ${String(c.after.risk_tier)}` : 'not yet known'}${c.before.risk_tier ? ` (it was tier ${String(c.before.risk_tier)})` : ''}.`,
  },
  'rfp.update': { family: 'details', sentence: (c) => `${c.actor} changed the RFP’s ${detailChanges(c)}.` },
  'rfp.price_blind': { family: 'details', sentence: (c) => `${c.actor} turned price-blind technical scoring ${c.after.price_blind ? 'on' : 'off'}.` },
  'rfp.status': { family: 'lifecycle', sentence: (c) => `${c.actor} moved the RFP from ${statusLabel(c.before.status)} to ${statusLabel(c.after.status)}.` },
  'evaluation.due_date': {
    family: 'lifecycle',
    sentence: (c) => `${c.actor} changed the evaluation due date from ${formatDateTime(stringOf(c.before.evaluation_due_at))} to ${formatDateTime(stringOf(c.after.evaluation_due_at))}.`,
  },
  'rfp.export': {
    family: 'downloads',
    sentence: (c) => {
      const format = c.text('format') ?? '';
      const what = EXPORT_WORDS[format] ?? `an export (${format || 'unknown format'})`;
      const vendor = format === 'vendor-xlsx' ? (c.text('vendor') ? ` for ${c.text('vendor')}` : ' (blank)') : '';
      return `${c.actor} downloaded ${what}${vendor}${c.text('via') === 'cli' ? ' from the command line' : ''}.`;
    },
  },

  // ---------- the questionnaire ----------
  'questionnaire.import': {
    family: 'questionnaire',
    sentence: (c) => {
      const updated = Array.isArray(c.after.updated) ? c.after.updated.length : 0;
      return `${c.actor} imported questions from ${c.text('file') ?? 'a file'}: ${c.number('questions') ?? 0} added, ${updated} updated, ${c.number('skipped') ?? 0} skipped.`;
    },
  },
  'section.create': { family: 'questionnaire', sentence: (c) => `${c.actor} added the section ${c.section(c.event.entity_id, c.after)}.` },
  'section.update': {
    family: 'questionnaire',
    sentence: (c) =>
      c.before.title !== c.after.title
        ? `${c.actor} renamed the section “${stringOf(c.before.title) ?? ''}” to “${stringOf(c.after.title) ?? ''}”.`
        : `${c.actor} changed the section ${c.section(c.event.entity_id, c.after)} (${changedFields(c)}).`,
  },
  'section.move': { family: 'questionnaire', sentence: (c) => `${c.actor} moved the section ${c.section(c.event.entity_id)}${positionWords(c)}.` },
  'section.delete': { family: 'questionnaire', sentence: (c) => `${c.actor} removed the section ${c.section(null, c.before)} and everything in it.` },
  'criterion.create': { family: 'questionnaire', sentence: (c) => `${c.actor} added the criterion ${c.criterion(c.event.entity_id, c.after)} to ${c.section(c.text('section_id'))}.` },
  'criterion.update': { family: 'questionnaire', sentence: (c) => `${c.actor} changed the criterion ${c.criterion(c.event.entity_id, c.after)} (${changedFields(c)}).` },
  'criterion.move': { family: 'questionnaire', sentence: (c) => `${c.actor} moved the criterion ${c.criterion(c.event.entity_id)}${positionWords(c)}.` },
  'criterion.delete': { family: 'questionnaire', sentence: (c) => `${c.actor} removed the criterion ${c.criterion(null, c.before)} and its questions.` },
  'question.create': { family: 'questionnaire', sentence: (c) => `${c.actor} added the question ${c.question(c.event.entity_id, c.after)} under ${c.criterion(c.text('criterion_id'))}.` },
  'question.update': { family: 'questionnaire', sentence: (c) => `${c.actor} changed the question ${c.question(c.event.entity_id, c.after)} (${changedFields(c)}).` },
  'question.move': { family: 'questionnaire', sentence: (c) => `${c.actor} moved the question ${c.question(c.event.entity_id)}${positionWords(c)}.` },
  'question.delete': { family: 'questionnaire', sentence: (c) => `${c.actor} removed the question ${c.question(null, c.before)}.` },

  // ---------- the team ----------
  'member.add': { family: 'team', sentence: (c) => `${c.actor} added ${c.person(c.text('user_id'), c.text('email'))} to the team as ${roleWord(c.after.role)}.` },
  'member.role': { family: 'team', sentence: (c) => `${c.actor} changed ${c.person(c.text('user_id'), c.text('email'))}’s role from ${roleWord(c.before.role)} to ${roleWord(c.after.role)}.` },
  'member.remove': { family: 'team', sentence: (c) => `${c.actor} removed ${c.person(c.text('user_id'), c.text('email'))} (${roleWord(c.before.role)}) from the team.` },
  'assignment.create': { family: 'team', sentence: (c) => `${c.actor} assigned ${c.person(c.event.entity_id, c.text('email'))} to evaluate ${sectionsWords(c.after.section_ids)}.` },
  'assignment.update': {
    family: 'team',
    sentence: (c) => `${c.actor} changed ${c.person(c.event.entity_id, c.text('email'))}’s assignment from ${sectionsWords(c.before.section_ids)} to ${sectionsWords(c.after.section_ids)}.`,
  },
  'assignment.remove': { family: 'team', sentence: (c) => `${c.actor} removed ${c.person(c.event.entity_id, c.text('email'))}’s evaluator assignment.` },
  'assignment.attest': {
    family: 'team',
    sentence: (c) => {
      const who = c.isActor(c.event.entity_id) ? c.actor : `${c.actor}, for ${c.person(c.event.entity_id)},`;
      const recused = Array.isArray(c.after.recused_from) ? c.after.recused_from.filter((v): v is string => typeof v === 'string') : [];
      return c.after.coi_status === 'none'
        ? `${who} attested to having no conflict of interest.`
        : `${who} declared a conflict of interest${recused.length > 0 ? ` with ${recused.join(', ')}` : ''}.`;
    },
  },
  'conflict.declare': {
    family: 'team',
    sentence: (c) => {
      const who = c.isActor(c.event.entity_id) ? c.actor : `${c.actor}, for ${c.person(c.event.entity_id, c.text('email'))},`;
      const vendors = Array.isArray(c.after.recused_from) ? c.after.recused_from.filter((v): v is string => typeof v === 'string') : [];
      return `${who} declared a conflict of interest found after attesting${vendors.length > 0 ? ` with ${vendors.join(', ')}` : ''}.`;
    },
  },
  'recusal.create': {
    family: 'team',
    // An evaluator's own declaration (in the attestation or after it) recuses them: not "Sam recorded that Sam is …".
    sentence: (c) =>
      c.isActor(c.text('user_id'))
        ? `${c.actor} is recused from ${c.vendor(c.text('vendor_id'), c.text('vendor'))}, as they declared.`
        : `${c.actor} recorded that ${c.person(c.text('user_id'))} is recused from ${c.vendor(c.text('vendor_id'), c.text('vendor'))}.`,
  },

  // ---------- vendors and their responses ----------
  'portal.open': { family: 'vendors', sentence: (c) => `${c.actor} opened this RFP to ${c.text('vendor_name') ?? c.vendor(c.event.entity_id)} in the vendor portal.` },
  'portal.invite_contact': {
    family: 'vendors',
    sentence: (c) =>
      c.text('account') === 'existing'
        ? `${c.actor} invited ${c.text('name') ?? 'a contact'} (${c.text('email') ?? ''}) of ${c.text('vendor_name') ?? c.vendor(c.event.entity_id)} to respond to this RFP in the vendor portal.`
        : `${c.actor} invited ${c.text('name') ?? 'a contact'} (${c.text('email') ?? ''}) to create a vendor account for ${c.text('vendor_name') ?? c.vendor(c.event.entity_id)} and respond to this RFP.`,
  },
  // A sealed submission reads as who and when: the entry holds the version number, never content or the receipt's hash.
  'portal.submit': { family: 'vendors', sentence: (c) => `${c.actor} submitted version ${c.number('version') ?? '?'} of ${c.text('vendor_name') ?? c.vendor(c.event.entity_id)}’s response online (sealed until the bid opening).` },
  'portal.withdraw': { family: 'vendors', sentence: (c) => `${c.actor} withdrew ${c.text('vendor_name') ?? c.vendor(c.event.entity_id)}’s online response (version ${c.number('version') ?? '?'}).` },
  'portal.bid_opening': {
    family: 'vendors',
    sentence: (c) => {
      const receipts = Array.isArray(c.after.receipts) ? (c.after.receipts as Array<Record<string, unknown>>) : [];
      const submitted = receipts.filter((r) => r.state === 'submitted').length;
      return `${c.actor} opened the bids: ${submitted} of ${receipts.length} invited ${receipts.length === 1 ? 'vendor' : 'vendors'} had submitted online, and their latest versions became their responses.`;
    },
  },
  // The Q&A period (issue 15, item 5). The log is staff-only, so the lead reads who asked; the published addendum never says.
  'qa.ask': {
    family: 'vendors',
    sentence: (c) => {
      const about = c.text('question_key') ? ` about ${c.text('question_key')}` : '';
      const vendor = c.text('vendor_name') ?? c.vendor(c.text('vendor_id'));
      return `${c.actor}, for ${vendor}, asked a question${about}: “${clip(c.text('text') ?? '', 120)}”.`;
    },
  },
  'qa.answer': {
    family: 'vendors',
    sentence: (c) => {
      const vendor = c.text('vendor_name') ?? 'a vendor';
      const first = stringOf(c.before.answer) === null;
      const reworded = c.after.reworded === true ? ', reworded for publication,' : '';
      return `${c.actor} ${first ? 'answered' : 'changed the answer to'} ${vendor}’s question${reworded}: “${clip(stringOf(c.after.answer) ?? '', 120)}”.`;
    },
  },
  'qa.publish': {
    family: 'vendors',
    sentence: (c) => {
      const count = c.number('questions') ?? 0;
      const number = c.number('number');
      return `${c.actor} published Q&A addendum${number === null ? '' : ` ${number}`} with ${count} ${count === 1 ? 'answered question' : 'answered questions'} to every invited vendor.`;
    },
  },
  'vendor.create': { family: 'vendors', sentence: (c) => `${c.actor} registered the vendor ${c.text('name') ?? c.vendor(c.event.entity_id)}.` },
  'vendor.update': { family: 'vendors', sentence: (c) => `${c.actor} changed the vendor ${c.text('name') ?? c.vendor(c.event.entity_id)} (${changedFields(c)}).` },
  'vendor.merge': {
    family: 'vendors',
    sentence: (c) => {
      const name = (payload: unknown) => (payload !== null && typeof payload === 'object' ? stringOf((payload as Payload).name) : null);
      if (c.event.entity === 'submission') {
        return `${c.actor} moved this RFP’s response from the duplicate vendor ${stringOf(c.before.vendor_name) ?? 'a removed vendor'} to ${stringOf(c.after.vendor_name) ?? c.vendor(c.text('vendor_id'))} (duplicates merged).`;
      }
      const moved = Array.isArray(c.after.movedSubmissions) ? c.after.movedSubmissions.length : 0;
      return `${c.actor} merged the duplicate vendor ${name(c.before.duplicate) ?? 'a removed vendor'} into ${name(c.after.kept) ?? c.vendor(c.event.entity_id)}, moving ${moved} ${moved === 1 ? 'response' : 'responses'}.`;
    },
  },
  'submission.create': { family: 'vendors', sentence: (c) => `${c.actor} added ${c.vendor(c.text('vendor_id'))} to this RFP’s vendors.` },
  'submission.update': {
    family: 'vendors',
    sentence: (c) => {
      const vendor = c.vendor(c.text('vendor_id'), c.vendorOfSubmission(c.event.entity_id));
      const changes: string[] = [];
      if (c.before.status !== c.after.status) changes.push(`status from ${String(c.before.status ?? '—').replace(/_/g, '-')} to ${String(c.after.status ?? '—').replace(/_/g, '-')}`);
      if (c.before.price !== c.after.price) changes.push(`price from ${formatMoney(numberOf(c.before.price))} to ${formatMoney(numberOf(c.after.price))}`);
      if (c.before.received_at !== c.after.received_at) changes.push(`received date to ${formatDateTime(stringOf(c.after.received_at))}`);
      const rest = changedFields(c, ['status', 'price', 'received_at']);
      if (rest !== 'nothing') changes.push(rest);
      return `${c.actor} changed ${vendor}’s response: ${changes.length > 0 ? changes.join('; ') : 'nothing'}.`;
    },
  },
  'answer.save': { family: 'vendors', sentence: (c) => `${c.actor} saved ${answerOf(c)}.` },
  'answer.import': { family: 'vendors', sentence: (c) => `${c.actor} imported ${answerOf(c)}.` },
  'responses.import': {
    family: 'vendors',
    sentence: (c) => {
      const changed = c.number('changed') ?? 0;
      const signature = c.text('signature');
      return `${c.actor} imported ${c.vendorOfSubmission(c.event.entity_id)}’s response workbook ${c.text('file') ?? ''}: ${changed} ${changed === 1 ? 'answer' : 'answers'} changed${signature ? `, signature ${signature}` : ''}.`;
    },
  },
  'attachment.add': {
    family: 'vendors',
    sentence: (c) => {
      const question = c.text('question_id') ? ` for ${c.question(c.text('question_id'))}` : '';
      return `${c.actor} attached ${c.text('file_name') ?? 'a file'} to ${c.vendorOfSubmission(c.text('submission_id'))}’s response${question}.`;
    },
  },
  'attachment.replace': {
    family: 'vendors',
    sentence: (c) => `${c.actor} replaced the attachment ${stringOf(c.before.file_name) ?? 'a file'} of ${c.vendorOfSubmission(c.text('submission_id'))} with ${stringOf(c.after.file_name) ?? 'another file'}.`,
  },
  'attachment.remove': { family: 'vendors', sentence: (c) => `${c.actor} removed the attachment ${stringOf(c.before.file_name) ?? 'a file'} from ${c.vendorOfSubmission(c.text('submission_id'))}’s response.` },
  'attachment.download': { family: 'downloads', sentence: (c) => `${c.actor} downloaded the attachment ${c.attachment(c.event.entity_id, c.after)}.` },

  // ---------- scoring ----------
  'score.create': { family: 'scoring', sentence: (c) => `${scorer(c)} scored ${c.vendorOfSubmission(c.text('submission_id'))} on ${c.criterion(c.text('criterion_id'))}${scoreWords(c)}.` },
  'score.update': { family: 'scoring', sentence: (c) => `${scorer(c)} changed the score of ${c.vendorOfSubmission(c.text('submission_id'))} on ${c.criterion(c.text('criterion_id'))}${scoreWords(c)}.` },
  'scoresheet.submit': {
    family: 'scoring',
    sentence: (c) => {
      const scores = c.number('scores');
      return `${c.actor} submitted ${sheetOf(c)}${scores === null ? '' : ` (${scores} ${scores === 1 ? 'score' : 'scores'})`}.`;
    },
  },
  'scoresheet.reopen': { family: 'scoring', sentence: (c) => `${c.actor} reopened ${sheetOf(c)}.` },
  'consensus.record': { family: 'consensus', sentence: (c) => `${c.actor} recorded the consensus score of ${c.vendorOfSubmission(c.text('submission_id'))} on ${c.criterion(c.text('criterion_id'))}${scoreWords(c)}.` },
  'consensus.update': { family: 'consensus', sentence: (c) => `${c.actor} changed the consensus score of ${c.vendorOfSubmission(c.text('submission_id'))} on ${c.criterion(c.text('criterion_id'))}${scoreWords(c)}.` },

  // ---------- accounts (the global log) ----------
  'user.create': { family: 'accounts', sentence: (c) => `${c.actor} created the account of ${c.text('name') ?? c.text('email') ?? 'someone'} (${c.text('email') ?? ''}, ${c.text('role') ?? ''}).` },
  'user.role': { family: 'accounts', sentence: (c) => `${c.actor} changed ${c.person(c.event.entity_id, c.text('email'))}’s global role from ${String(c.before.role ?? '—')} to ${String(c.after.role ?? '—')}.` },
  'user.disable': { family: 'accounts', sentence: (c) => `${c.actor} disabled the account of ${c.person(c.event.entity_id, c.text('email'))}.` },
  'user.enable': { family: 'accounts', sentence: (c) => `${c.actor} enabled the account of ${c.person(c.event.entity_id, c.text('email'))} again.` },
  'user.password_reset': { family: 'accounts', sentence: (c) => `${c.actor} reset the password of ${c.person(c.event.entity_id, c.text('email'))}.` },
  'user.password_change': { family: 'accounts', sentence: (c) => `${c.actor} changed their own password.` },
  'user.password_reset_request': { family: 'accounts', sentence: (c) => `${c.actor} mailed a password-reset link, asked for on the sign-in page, to ${c.person(c.event.entity_id, c.text('email'))}, working until ${c.text('expires_at') ? formatDateTime(c.text('expires_at') ?? '') : '—'}.` },
  'user.password_reset_by_link': { family: 'accounts', sentence: (c) => `${c.actor} chose a new password through a reset link sent by mail.` },
  'user.mfa_enrol': { family: 'accounts', sentence: (c) => `${c.actor} turned on two-step verification (an authenticator app) and received ${c.number('recovery_codes') ?? 10} recovery codes.` },
  'user.mfa_disable': { family: 'accounts', sentence: (c) => `${c.actor} turned off their two-step verification.` },
  'user.mfa_reset': { family: 'accounts', sentence: (c) => `${c.actor} reset the two-step verification of ${c.person(c.event.entity_id, c.text('email'))}.` },
  'user.mfa_recovery_codes': { family: 'accounts', sentence: (c) => `${c.actor} replaced their recovery codes.` },
  'user.mfa_recovery_used': { family: 'accounts', sentence: (c) => `${c.actor} signed in with a recovery code (${c.number('recovery_codes_left') ?? 0} left).` },
  'invitation.create': { family: 'accounts', sentence: (c) => `${c.actor} invited ${c.text('name') ?? 'someone'} (${c.text('email') ?? ''}) as ${c.text('role') ?? '—'}; the link works until ${c.text('expires_at') ? formatDateTime(c.text('expires_at') ?? '') : '—'}.` },
  'invitation.accept': { family: 'accounts', sentence: (c) => `${c.actor} accepted their invitation and created their account (${c.text('role') ?? '—'}).` },
  'invitation.revoke': { family: 'accounts', sentence: (c) => `${c.actor} withdrew the invitation of ${String(c.before.name ?? c.before.email ?? 'someone')} (${String(c.before.email ?? '')}).` },
  'setting.two_factor_policy': { family: 'accounts', sentence: (c) => `${c.actor} set two-step verification to “${c.text('policy') ?? '—'}” (was “${String(c.before.policy ?? '—')}”).` },
  'user.sso_role_kept': { family: 'accounts', sentence: (c) => `${c.actor} kept ${c.person(c.event.entity_id, c.text('email'))} an administrator although the identity provider’s groups give the role ${c.text('mapped_role') ?? '—'}: they are the last enabled administrator.` },
  'user.sso_link': { family: 'accounts', sentence: (c) => `${c.actor} linked the account of ${c.person(c.event.entity_id, c.text('email'))} to its identity at ${c.text('issuer') ?? 'the identity provider'} (verified email).` },
  'user.sso_refused': {
    family: 'accounts',
    sentence: (c) => `${c.actor} refused a sign-in${c.text('email') ? ` as ${c.person(c.event.entity_id, c.text('email'))}` : ''}: ${SSO_REFUSALS[c.text('reason') ?? ''] ?? c.text('reason') ?? 'no reason recorded'}.`,
  },
};

/** Why single sign-on refused someone (app/auth/oidc.server.ts `RefusalReason`), as the audit log says it. */
const SSO_REFUSALS: Record<string, string> = {
  unreachable: 'the identity provider could not be reached',
  provider_error: 'the identity provider answered with an error',
  state: 'the sign-in was already used, expired, or started in another browser',
  token: 'the ID token failed verification (signature, issuer, audience, expiry or nonce)',
  no_email: 'the identity provider sent no email',
  domain: 'the email’s domain is not allowed',
  no_role: 'no role rule matched and there is no default role',
  unverified_email: 'the email matches an account but is not verified',
  disabled: 'the account is disabled',
};

function scorer(c: SentenceContext): string {
  const evaluatorId = c.text('evaluator_id');
  return evaluatorId === null || c.isActor(evaluatorId) ? c.actor : `${c.actor}, for ${c.person(evaluatorId)},`;
}

function sheetOf(c: SentenceContext): string {
  const evaluatorId = c.text('evaluator_id');
  const vendor = c.vendorOfSubmission(c.text('submission_id'));
  return c.isActor(evaluatorId) ? `their scoresheet for ${vendor}` : `${c.person(evaluatorId)}’s scoresheet for ${vendor}`;
}

/** Answer events are keyed `submissionId:questionId`. */
function answerOf(c: SentenceContext): string {
  const [submissionId = null, questionId = null] = (c.event.entity_id ?? '').split(':');
  return `${c.vendorOfSubmission(submissionId)}’s answer to ${c.question(questionId)}`;
}

/** The event as a sentence. An action this version does not know (a portable file from a newer one) still reads. */
export function describeAuditEvent(event: DescribableAuditEvent, names: AuditNameBook): string {
  const context = new SentenceContext(event, names);
  const spec = AUDIT_ACTIONS[event.action];
  // A name that ends in its own full stop (“Civic Answers Inc.”) or an ellipsis ends the sentence with it.
  if (spec) return spec.sentence(context).replace(/\s+([.,:;)])/g, '$1').replace(/(\.\.\.|[^.]\.)\.$/, '$1');
  const what = AUDIT_ENTITY_LABELS[event.entity]?.toLowerCase() ?? event.entity.replace(/_/g, ' ');
  return `${context.actor} recorded “${event.action}” on ${what === 'the rfp' ? 'the RFP' : `a ${what}`}.`;
}

export function auditFamilyOf(action: string): AuditFamily | null {
  return AUDIT_ACTIONS[action]?.family ?? null;
}

/** The actions of a family, for the filter's `action in (…)`. */
export function auditActionsOf(family: AuditFamily): string[] {
  return Object.entries(AUDIT_ACTIONS)
    .filter(([, spec]) => spec.family === family)
    .map(([action]) => action);
}

/**
 * What the text search looks in: the sentence, who, the reason and every text and number the redacted payloads still
 * carry (an answer's text, a file name, a rationale once it may be read). Never the raw payload, nor its ids.
 */
export function auditSearchText(event: Pick<DescribableAuditEvent, 'actor_email' | 'reason' | 'action' | 'before_json' | 'after_json'>, sentence: string): string {
  const parts = [sentence, event.actor_email ?? '', event.reason ?? '', event.action];
  // Texts only, and not the ids and hashes a reader never sees (a search for "3" must not match inside a UUID).
  const collect = (value: unknown, key = '') => {
    if (HIDDEN_FIELD.test(key)) return;
    if (typeof value === 'string') {
      if (!UUID.test(value)) parts.push(value);
    } else if (Array.isArray(value)) value.forEach((item) => collect(item, key));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
  };
  collect(parsePayload(event.before_json));
  collect(parsePayload(event.after_json));
  return normaliseForSearch(parts.join('\n'));
}

const HIDDEN_FIELD = /(^id$|_id$|Id$|_ids$|sha256|hash|salt)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Case- and accent-insensitive, with curly quotes as straight ones, so “Acme’s” is found by typing acme's. */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .toLowerCase();
}

/** The ids a set of events mentions, so their names can be read in one query. */
export function auditNameRefs(events: readonly DescribableAuditEvent[]): AuditNameRefs {
  const refs: AuditNameRefs = { userIds: new Set(), vendorIds: new Set(), submissionIds: new Set(), criterionIds: new Set(), questionIds: new Set(), sectionIds: new Set(), attachmentIds: new Set() };
  const add = (set: Set<string>, value: unknown) => {
    if (typeof value === 'string' && value !== '') set.add(value);
  };
  for (const event of events) {
    add(refs.userIds, event.actor_id);
    for (const payload of [parsePayload(event.before_json), parsePayload(event.after_json)]) {
      add(refs.userIds, payload.user_id);
      add(refs.userIds, payload.evaluator_id);
      add(refs.vendorIds, payload.vendor_id);
      add(refs.submissionIds, payload.submission_id);
      add(refs.criterionIds, payload.criterion_id);
      add(refs.questionIds, payload.question_id);
      add(refs.sectionIds, payload.section_id);
    }
    const id = event.entity_id;
    if (id === null) continue;
    switch (event.entity) {
      case 'user':
      case 'rfp_member':
      case 'assignment':
        add(refs.userIds, id);
        break;
      case 'vendor':
        add(refs.vendorIds, id);
        break;
      case 'submission':
        add(refs.submissionIds, id);
        break;
      case 'attachment':
        add(refs.attachmentIds, id);
        break;
      case 'section':
        add(refs.sectionIds, id);
        break;
      case 'criterion':
        add(refs.criterionIds, id);
        break;
      case 'question':
        add(refs.questionIds, id);
        break;
      case 'answer': {
        const [submissionId, questionId] = id.split(':');
        add(refs.submissionIds, submissionId);
        add(refs.questionIds, questionId);
        break;
      }
      case 'scoresheet':
      case 'recusal': {
        const [userId] = id.split(':');
        add(refs.userIds, userId);
        break;
      }
      default:
        break;
    }
  }
  return refs;
}

function parsePayload(text: string | null): Payload {
  if (text === null) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : {};
  } catch {
    return {};
  }
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}
