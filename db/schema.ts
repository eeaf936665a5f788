/**
 * The database as the code sees it: one hand-written interface per table (Kysely habit).
 * Timestamps are ISO-8601 UTC strings on both dialects; booleans are integers 0/1; ids are text made in code.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type GlobalRole = 'admin' | 'officer' | 'evaluator' | 'viewer';
export const GLOBAL_ROLES: readonly GlobalRole[] = ['admin', 'officer', 'evaluator', 'viewer'];

/**
 * What an account is: one of the city's staff roles, or a vendor contact (issue 15) — a separate audience that signs in
 * to the vendor portal only and never reaches a staff page (app/utils/session.server.ts keeps the two apart).
 */
export type UserRole = GlobalRole | 'vendor';

export type MemberRole = 'lead' | 'evaluator' | 'observer';
export const MEMBER_ROLES: readonly MemberRole[] = ['lead', 'evaluator', 'observer'];

export type RfpStatus = 'draft' | 'open' | 'evaluation' | 'consensus' | 'closed';
export const RFP_STATUSES: readonly RfpStatus[] = ['draft', 'open', 'evaluation', 'consensus', 'closed'];

/** `expected`: added to the RFP, no response recorded yet (not evaluated). */
export type SubmissionStatus = 'expected' | 'received' | 'responsive' | 'non_responsive' | 'withdrawn';

export interface AppUserTable {
  id: string;
  /** Stored lower-cased: emails are unique case-insensitively. */
  email: string;
  name: string;
  role: UserRole;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** sha256 of the cookie token: a leaked database does not leak usable sessions. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** Set while the session may only do one thing first: choose a new password, or enrol a second factor. */
  restriction: SessionRestriction | null;
}

export type SessionRestriction = 'change-password' | 'enrol-two-factor';

/** How an account signs in; kept apart from app_user so no secret ever travels with a user row (or into the audit log). */
export interface AccountSecurityTable {
  user_id: string;
  must_change_password: Generated<number>;
  /** Base32 TOTP secret (RFC 6238) once enrolment is confirmed. */
  totp_secret: string | null;
  /** A secret shown for enrolment, kept until the first code from it is confirmed. */
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  /** The last 30-second step a code was accepted for: a code is never accepted twice. */
  totp_last_step: number | null;
  last_sign_in_at: string | null;
  updated_at: string;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A right password waiting for its second factor. The id is the sha256 of the cookie token. */
export interface LoginChallengeTable {
  id: string;
  user_id: string;
  redirect_to: string;
  created_at: string;
  expires_at: string;
  /** SHA-256 of the one-time code mailed for this sign-in (vendor contacts without an authenticator), else null. */
  mailed_code_hash: string | null;
}

/** A password-reset link (the token's hash only); it works once, until it expires or a newer link replaces it. */
export interface PasswordResetTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  superseded_at: string | null;
}

export interface InvitationTable {
  id: string;
  token_hash: string;
  email: string;
  name: string;
  role: UserRole;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: string | null;
  revoked_at: string | null;
  /** Set when the invitation is for a vendor contact: the organisation they speak for (role `vendor`). */
  vendor_id: string | null;
  /** The RFP a vendor contact was invited to respond to, for the mail and the page the link lands on. */
  rfp_id: string | null;
}

/** A vendor contact's organisation: each `vendor` account speaks for exactly one registry entry. */
export interface VendorContactTable {
  user_id: string;
  vendor_id: string;
  created_at: string;
}

/** The RFPs a vendor organisation was invited to respond to in the portal. */
export interface PortalAccessTable {
  rfp_id: string;
  vendor_id: string;
  invited_by: string | null;
  invited_at: string;
}

/**
 * A question a vendor contact asked during the Q&A period, for their organisation. `text` is the wording as asked;
 * `published_text` the lead's wording for publication (to keep the asker anonymous), null to publish it as asked. Once
 * `addendum_id` is set the question and its answer are published to every invited vendor and no longer change.
 */
export interface VendorQuestionTable {
  id: string;
  rfp_id: string;
  vendor_id: string;
  asked_by: string;
  asked_at: string;
  /** The key of the questionnaire question it is about, or null for the RFP in general. */
  question_key: string | null;
  text: string;
  published_text: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  addendum_id: string | null;
}

/** A numbered, dated Q&A addendum of an RFP: the answered questions published together to every invited vendor. */
export interface QaAddendumTable {
  id: string;
  rfp_id: string;
  number: number;
  published_by: string | null;
  published_at: string;
}

export interface InstallationSettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface LoginThrottleTable {
  /** `ip:<address>` or `account:<email>` */
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

/** One started single sign-on, used once by its callback. `id` is the sha256 of the `state` sent to the provider. */
export interface OidcSignInTable {
  id: string;
  code_verifier: string;
  nonce: string;
  redirect_to: string;
  created_at: string;
  expires_at: string;
}

/** An account's identity at an OpenID Provider: later sign-ins find the account by (issuer, subject). */
export interface UserIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
  last_sign_in_at: string;
}

/** The ID token a session was started with, sent back to the provider as `id_token_hint` at sign-out. */
export interface OidcSessionTable {
  session_id: string;
  id_token: string;
}

export interface RfpTable {
  id: string;
  reference: string;
  title: string;
  department: string;
  summary: string;
  status: RfpStatus;
  scale_max: number;
  aggregation: 'mean' | 'median';
  divergence_threshold: number;
  price_formula: 'ratio' | 'linear';
  total_points: number;
  allow_half_points: number;
  risk_tier: string | null;
  /**
   * Deadlines are instants (ISO-8601 UTC); one typed without a time is the end of that day in the installation's zone.
   * `qa_due_at` is the last moment vendors may submit questions. Null: no deadline set.
   */
  qa_due_at: string | null;
  proposals_due_at: string | null;
  evaluation_due_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** JSON object of intake question id → chosen option value; null until assessed. */
  risk_intake_json: string | null;
  /** Bumped each time the questionnaire is reopened for editing, so old vendor workbooks are recognised. */
  questionnaire_version: number;
  /**
   * 1: price-blind technical scoring — evaluators do not see prices or the price criterion until every technical
   * scoresheet of theirs is submitted (app/confidentiality/price-blind.ts). Set while the RFP is a draft.
   */
  price_blind: Generated<number>;
  /**
   * Bumped by database triggers, in the writing transaction, whenever an input of the scoring engine changes (its
   * sections, criteria, submissions, team, scores, consensus, names, scoring settings or status): the key of
   * `results_cache`.
   */
  results_version: Generated<number>;
}

export type CriterionKind = 'scored' | 'pass_fail' | 'price' | 'info';
export const CRITERION_KINDS: readonly CriterionKind[] = ['scored', 'pass_fail', 'price', 'info'];
export type AnswerType = 'text' | 'yes_no' | 'choice' | 'multi_choice' | 'number' | 'attachment';
export const ANSWER_TYPES: readonly AnswerType[] = ['text', 'yes_no', 'choice', 'multi_choice', 'number', 'attachment'];

export interface SectionTable {
  id: string;
  rfp_id: string;
  key: string;
  title: string;
  position: number;
  created_at: string;
}

export interface CriterionTable {
  id: string;
  rfp_id: string;
  section_id: string;
  key: string;
  title: string;
  description: string | null;
  kind: CriterionKind;
  points: number;
  rubric_json: string;
  position: number;
  created_at: string;
}

export interface QuestionTable {
  id: string;
  rfp_id: string;
  criterion_id: string;
  key: string;
  text: string;
  guidance: string | null;
  strong_answer: string | null;
  answer_type: AnswerType;
  options_json: string;
  required: number;
  references_json: string;
  position: number;
  created_at: string;
}

export interface RfpMemberTable {
  rfp_id: string;
  user_id: string;
  role: MemberRole;
  added_by: string | null;
  added_at: string;
}

export interface VendorTable {
  id: string;
  /** Short stable slug used in portable files and exports. */
  key: string;
  name: string;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  created_at: string;
}

export interface SubmissionTable {
  id: string;
  rfp_id: string;
  vendor_id: string;
  status: SubmissionStatus;
  status_reason: string | null;
  received_at: string | null;
  /** Total price for the contract term, in dollars; null until recorded. */
  price: number | null;
  created_at: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  /** Denormalised so the record stays readable if the account changes. */
  actor_email: string | null;
  rfp_id: string | null;
  entity: string;
  entity_id: string | null;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  /**
   * The event's place in its chain (its RFP's, or the global one when rfp_id is null), the previous event's hash and
   * its own (db/audit-chain.ts). Always written by the application; nullable only because SQLite cannot add a NOT NULL
   * column to an existing table — verification reports a row without them as broken.
   */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  /**
   * 128 random bits the hash covers and that never leave the server (listAuditEvents does not read it): without it, a
   * reader shown a redacted score entry with its hash (or the chain head) could recover a 0–5 value by trying each.
   */
  salt: string | null;
}

export interface PendingUploadTable {
  id: string;
  rfp_id: string;
  user_id: string;
  purpose: 'questionnaire-import' | 'vendor-workbook';
  file_name: string;
  size: number;
  bytes: Uint8Array;
  /** Questionnaire imports: the parsed grid (gzip-compressed JSON), parsed once when the file was uploaded. */
  grid: Uint8Array | null;
  sha256: string | null;
  /** The import plan last previewed (JSON of ImportPlan), so the page can come back to it. */
  plan_json: string | null;
  created_at: string;
}

/** One questionnaire import into an RFP, with the file's hash, so a file imported again is recognised. */
export interface QuestionnaireImportTable {
  id: string;
  rfp_id: string;
  sha256: string;
  file_name: string;
  user_id: string | null;
  actor_email: string | null;
  /** Questions added and updated. */
  created: number;
  updated: number;
  created_at: string;
}

/** The questionnaire as it was when the RFP opened at `version` (db/queries/questionnaire-versions.ts). */
export interface QuestionnaireVersionTable {
  id: string;
  rfp_id: string;
  version: number;
  /** A `QuestionnaireSnapshot` as JSON. */
  snapshot_json: string;
  taken_by: string | null;
  actor_email: string | null;
  taken_at: string;
}

/** Secrets the installation generated for itself, one per purpose (e.g. `vendor-workbook-signing`); never exported. */
export interface InstallationSecretTable {
  name: string;
  value: string;
  created_at: string;
}

export type MailStatus = 'pending' | 'sent' | 'failed';

export interface MailOutboxTable {
  id: string;
  /** What the mail is about, e.g. `assignment.created` (for filtering and metrics; never shown to the recipient). */
  kind: string;
  to_address: string;
  to_user_id: string | null;
  rfp_id: string | null;
  subject: string;
  text_body: string;
  /** Made from the same parts as the text, every piece of it escaped: no user text becomes HTML. */
  html_body: string;
  dedupe_key: string | null;
  status: MailStatus;
  attempts: number;
  next_attempt_at: string;
  /** The sender process holding the row until `lease_until`; another process may take it only after that. */
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  /** The Message-ID the mail was sent with (`<id@…>`, the same on every attempt, so a receiver can tell a repeat). */
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface MailAttemptTable {
  id: Generated<number>;
  mail_id: string;
  attempt: number;
  worker: string;
  started_at: string;
  finished_at: string;
  outcome: 'sent' | 'retry' | 'failed';
  /** The SMTP server's answer or the error, without credentials. */
  detail: string;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  rfp_id: string | null;
  /** One of NOTIFICATION_KINDS (app/mail/notification-kinds.ts). */
  kind: string;
  subject: string;
  text_body: string;
  /** Where the notification leads in the app (a path on this site). */
  link_path: string | null;
  dedupe_key: string | null;
  mail_state: 'mailed' | 'digest' | 'in_app';
  created_at: string;
  read_at: string | null;
}

export interface NotificationPreferenceTable {
  user_id: string;
  modes_json: string;
  updated_at: string;
}

export interface AnswerTable {
  id: string;
  rfp_id: string;
  submission_id: string;
  question_id: string;
  /** JSON: string (text, yes_no, choice), string[] (multi_choice), number, or null. */
  value_json: string;
  source: 'manual' | 'import';
  updated_by: string | null;
  updated_at: string;
}

export interface AttachmentTable {
  id: string;
  rfp_id: string;
  submission_id: string;
  question_id: string | null;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  uploaded_at: string;
}

export type CoiStatus = 'pending' | 'none' | 'declared';

export interface AssignmentTable {
  rfp_id: string;
  user_id: string;
  /** JSON array of section ids, or null for the whole RFP. */
  section_ids_json: string | null;
  coi_status: CoiStatus;
  coi_statement: string | null;
  coi_statement_sha256: string | null;
  coi_details: string | null;
  attested_at: string | null;
  assigned_by: string | null;
  assigned_at: string;
}

export interface RecusalTable {
  rfp_id: string;
  user_id: string;
  vendor_id: string;
  reason: string;
  created_at: string;
  /** Where the recusal came from: the attestation, a conflict declared after attesting, or the lead officer. */
  origin: Generated<RecusalOrigin>;
  /** Who recorded it (the evaluator, or the lead); null for recusals made before this was kept. */
  recorded_by: string | null;
}

export type RecusalOrigin = 'attestation' | 'declaration' | 'lead';

export type ScoresheetStatus = 'in_progress' | 'submitted';

export interface ScoresheetTable {
  rfp_id: string;
  submission_id: string;
  evaluator_id: string;
  status: ScoresheetStatus;
  submitted_at: string | null;
  updated_at: string;
}

/** The engine's unredacted outcome for one RFP and engine options, shared by every app process (db/queries/results-cache.ts). */
export interface ResultsCacheTable {
  rfp_id: string;
  /** The engine options it was computed with, as stable JSON. */
  variant: string;
  /** `rfp.results_version` when it was computed. */
  version: number;
  /** SHA-256 of the engine input it was computed from. */
  input_sha256: string;
  /** The outcome as JSON (non-finite numbers encoded, see results-cache.ts). */
  payload: string;
  computed_at: string;
}

export interface ScoreTable {
  id: string;
  rfp_id: string;
  submission_id: string;
  criterion_id: string;
  evaluator_id: string;
  value: number;
  rationale: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** An evaluator's unsaved rationale (and level), kept as they type; their own, never counted or exported. */
export interface RationaleDraftTable {
  rfp_id: string;
  evaluator_id: string;
  submission_id: string;
  criterion_id: string;
  value: number | null;
  rationale: string;
  updated_at: string;
}

/** A vendor organisation's working answer to one question, by key (issue 15); sealed from staff until the bid opening. */
export interface VendorDraftAnswerTable {
  rfp_id: string;
  vendor_id: string;
  question_key: string;
  value_json: string;
  /** Bumped by every save: a save made against an older revision is refused (two contacts, one response). */
  revision: number;
  updated_by: string | null;
  updated_at: string;
}

/** One submission or withdrawal of a vendor's response, with its receipt (issue 15, item 4). */
export interface VendorResponseVersionTable {
  id: string;
  rfp_id: string;
  vendor_id: string;
  number: number;
  kind: 'submitted' | 'withdrawn';
  questionnaire_version: number;
  content: string;
  sha256: string;
  submitted_by: string | null;
  submitted_at: string;
}

export interface BidOpeningTable {
  rfp_id: string;
  opened_by: string | null;
  opened_at: string;
}

export interface ConsensusScoreTable {
  id: string;
  rfp_id: string;
  submission_id: string;
  criterion_id: string;
  value: number;
  rationale: string;
  decided_by: string | null;
  decided_at: string;
}

export interface Database {
  app_user: AppUserTable;
  session: SessionTable;
  login_throttle: LoginThrottleTable;
  oidc_sign_in: OidcSignInTable;
  user_identity: UserIdentityTable;
  oidc_session: OidcSessionTable;
  rfp: RfpTable;
  rfp_member: RfpMemberTable;
  vendor: VendorTable;
  vendor_contact: VendorContactTable;
  portal_access: PortalAccessTable;
  vendor_question: VendorQuestionTable;
  qa_addendum: QaAddendumTable;
  submission: SubmissionTable;
  audit_event: AuditEventTable;
  section: SectionTable;
  criterion: CriterionTable;
  question: QuestionTable;
  pending_upload: PendingUploadTable;
  questionnaire_import: QuestionnaireImportTable;
  questionnaire_version: QuestionnaireVersionTable;
  installation_secret: InstallationSecretTable;
  mail_outbox: MailOutboxTable;
  mail_attempt: MailAttemptTable;
  notification: NotificationTable;
  notification_preference: NotificationPreferenceTable;
  answer: AnswerTable;
  attachment: AttachmentTable;
  assignment: AssignmentTable;
  recusal: RecusalTable;
  scoresheet: ScoresheetTable;
  score: ScoreTable;
  consensus_score: ConsensusScoreTable;
  rationale_draft: RationaleDraftTable;
  vendor_draft_answer: VendorDraftAnswerTable;
  vendor_response_version: VendorResponseVersionTable;
  bid_opening: BidOpeningTable;
  results_cache: ResultsCacheTable;
  account_security: AccountSecurityTable;
  recovery_code: RecoveryCodeTable;
  login_challenge: LoginChallengeTable;
  invitation: InvitationTable;
  password_reset: PasswordResetTable;
  installation_setting: InstallationSettingTable;
}

export type User = Selectable<AppUserTable>;
export type NewUser = Insertable<AppUserTable>;
export type UserUpdate = Updateable<AppUserTable>;
export type Session = Selectable<SessionTable>;
export type Rfp = Selectable<RfpTable>;
export type NewRfp = Insertable<RfpTable>;
export type RfpMember = Selectable<RfpMemberTable>;
export type Vendor = Selectable<VendorTable>;
export type Submission = Selectable<SubmissionTable>;
export type AuditEvent = Omit<Selectable<AuditEventTable>, 'salt'>;
export type Section = Selectable<SectionTable>;
export type Criterion = Selectable<CriterionTable>;
export type Question = Selectable<QuestionTable>;
export type Answer = Selectable<AnswerTable>;
export type Attachment = Selectable<AttachmentTable>;
export type Assignment = Selectable<AssignmentTable>;
export type Recusal = Selectable<RecusalTable>;
export type Scoresheet = Selectable<ScoresheetTable>;
export type Score = Selectable<ScoreTable>;
export type ConsensusScore = Selectable<ConsensusScoreTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
/** Keeps ColumnType importable for later tables with differing select/insert types. */
export type _Reserved = ColumnType<never, never, never>;
