/**
 * Loads a portable RFP file (DESIGN §9) into this installation: `workbench rfp import <file.json> [--lead EMAIL]`.
 *
 * Everything or nothing: the file is validated against the zod schema (shape and cross-references) before anything
 * is read, and then one transaction creates the RFP with its questionnaire, vendors' submissions and answers,
 * members, assignments (COI and recusals), scoresheets, scores, consensus scores and the file's audit record.
 *
 * Decisions (README "Decisions"):
 * - **Accounts.** Evaluators and observers are matched by email. Someone without an account here gets one, created
 *   **disabled** with the global role `evaluator` (observers: `viewer`) and a password hash no password matches; an
 *   admin enables the account and resets its password. Leads are never created from a file.
 * - **Lead.** `--lead EMAIL` names an existing, enabled officer or admin, who becomes a lead. Without it, the file's
 *   leads (`members`) who have officer or admin accounts here become leads; when none has, the import is refused.
 * - **Vendors.** A registry vendor with the same key is reused (its name here wins); otherwise the vendor is created.
 * - **Audit.** The file's events are appended as they are (time, actor email, action, entity, before/after, reason)
 *   with no actor id — the accounts they name belong to the other installation — followed by one `rfp.import` event.
 *   They are chained afresh in this installation's chain for the new RFP (their hashes there cover other ids and
 *   possibly redacted values, so they cannot be kept); the `rfp.import` event records the file's `auditChain` (the
 *   source's head and count), so the imported copy names the head to check against the source installation.
 * - **Evidence files** (attachments) are not part of the portable file and are not imported.
 * - **Withheld scores.** A file downloaded by someone who may not read every individual score (DESIGN §2) says so in
 *   `confidentiality`; it imports as it is — without the withheld scores, consensus scores and audit details — and the
 *   import says what is missing, so nobody takes the imported evaluation for the whole record.
 */
import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { newId, nowIso } from '../ids';
import { type Actor, appendAuditEvents, recordAudit, SYSTEM_ACTOR } from '../queries/audit';
import { insertInBatches } from '../queries/batch';
import { loadPortableResults } from '../queries/scoring-input';
import { normaliseEmail } from '../queries/users';
import type { Database, GlobalRole, MemberRole, User } from '../schema';
import { type PortableConfidentiality, type PortableRfpFile, describePortableError, portableRfpFileSchema } from './schema';

const utcInstant = (iso: string | null | undefined): string | null => (iso ? new Date(iso).toISOString() : null);

/** A refusal: one line that says what is wrong and what to do. */
export class PortableImportError extends Error {}

/** Parses and validates a portable file's text; a problem comes back as one line naming the JSON path. */
export function parsePortableFile(text: string): PortableRfpFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PortableImportError(`The file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validatePortableFile(json);
}

/** Validates parsed JSON against the portable file schema (shape and cross-references). */
export function validatePortableFile(json: unknown): PortableRfpFile {
  const parsed = portableRfpFileSchema.safeParse(json);
  if (!parsed.success) throw new PortableImportError(`Not a valid portable RFP file: ${describePortableError(parsed.error)}`);
  return parsed.data;
}

export interface ImportOptions {
  /** An existing officer or admin who becomes a lead of the imported RFP. */
  leadEmail?: string;
  actor?: Actor;
}

export interface ImportSummary {
  rfpId: string;
  reference: string;
  status: PortableRfpFile['rfp']['status'];
  leads: string[];
  /** The file's leads who have no officer or admin account here (not made members). */
  leadsNotFound: string[];
  /** Accounts created (disabled) for evaluators and observers, by email. */
  createdAccounts: string[];
  vendorsCreated: number;
  vendorsReused: number;
  counts: {
    sections: number;
    criteria: number;
    questions: number;
    submissions: number;
    answers: number;
    evaluators: number;
    scores: number;
    consensus: number;
    audit: number;
  };
  /** Whether this installation's scoring engine ranks the imported evaluation as the file's `results` say. */
  resultsMatch: boolean;
  /** What the file says was withheld from it (its recipient could not read those scores); `null` for a complete file. */
  withheld: PortableConfidentiality['withheld'] | null;
}

type Trx = Transaction<Database>;

/** A value no argon2 check accepts: the account cannot sign in until an admin resets its password. */
function unusablePasswordHash(): string {
  return `!imported-disabled:${randomBytes(32).toString('base64url')}`;
}

/** `none` / `declared[: details]` / null → the assignment's COI columns. */
function parseCoi(coi: string | null): { status: 'pending' | 'none' | 'declared'; details: string | null } {
  if (coi === null) return { status: 'pending', details: null };
  if (coi === 'none') return { status: 'none', details: null };
  const details = coi.startsWith('declared: ') ? coi.slice('declared: '.length) : '';
  return { status: 'declared', details: details === '' ? null : details };
}

async function findUsers(trx: Trx, emails: string[]): Promise<Map<string, User>> {
  const unique = [...new Set(emails.map(normaliseEmail))];
  if (unique.length === 0) return new Map();
  const rows = await trx.selectFrom('app_user').selectAll().where('email', 'in', unique).execute();
  return new Map(rows.map((u) => [u.email, u]));
}

/**
 * Imports a portable file (validated first) in one transaction. Refuses, writing nothing, when the file is invalid,
 * an RFP with its reference exists, or no lead can be determined. See the module comment for accounts and vendors.
 */
export async function importPortableRfp(db: Kysely<Database>, input: unknown, options: ImportOptions = {}): Promise<ImportSummary> {
  const file = validatePortableFile(input);
  const actor = options.actor ?? SYSTEM_ACTOR;
  const summary = await db.transaction().execute((trx) => writeImport(trx, file, actor, options.leadEmail));
  // Read-only and outside the transaction: recompute the results and compare them with the file's.
  const rfp = await db.selectFrom('rfp').selectAll().where('id', '=', summary.rfpId).executeTakeFirstOrThrow();
  const results = await loadPortableResults(db, rfp);
  return { ...summary, resultsMatch: JSON.stringify(results) === JSON.stringify(file.results) };
}

async function writeImport(trx: Trx, file: PortableRfpFile, actor: Actor, leadEmail: string | undefined): Promise<ImportSummary> {
  const { reference } = file.rfp;
  const now = nowIso();
  if (await trx.selectFrom('rfp').select('id').where('reference', '=', reference).executeTakeFirst()) {
    throw new PortableImportError(`An RFP with the reference ${reference} already exists here; nothing was imported.`);
  }

  // ---------- who: the lead(s), existing accounts, accounts to create ----------
  const fileMembers = file.members ?? [];
  const users = await findUsers(trx, [
    ...(leadEmail ? [leadEmail] : []),
    ...fileMembers.map((m) => m.email),
    ...file.evaluators.map((e) => e.email),
    ...file.consensus.flatMap((c) => (c.decidedBy ? [c.decidedBy] : [])),
  ]);
  const canLead = (u: User | undefined): boolean => u !== undefined && (u.role === 'officer' || u.role === 'admin');
  const leads: User[] = [];
  if (leadEmail) {
    const lead = users.get(normaliseEmail(leadEmail));
    if (!lead) throw new PortableImportError(`--lead ${leadEmail}: there is no account with that email here.`);
    if (!canLead(lead)) throw new PortableImportError(`--lead ${leadEmail}: the account's role is ${lead.role}; a lead must be an officer or admin.`);
    if (lead.disabled) throw new PortableImportError(`--lead ${leadEmail}: the account is disabled.`);
    leads.push(lead);
  }
  const leadsNotFound: string[] = [];
  for (const m of fileMembers.filter((m) => m.role === 'lead')) {
    const user = users.get(normaliseEmail(m.email));
    if (user && canLead(user)) {
      if (!leads.some((l) => l.id === user.id)) leads.push(user);
    } else {
      leadsNotFound.push(normaliseEmail(m.email));
    }
  }
  if (leads.length === 0) {
    throw new PortableImportError(
      fileMembers.some((m) => m.role === 'lead')
        ? `The file's lead (${leadsNotFound.join(', ')}) has no officer or admin account here; name the lead with --lead <email>.`
        : 'The file does not name a lead; name one with --lead <email> (an existing officer or admin).',
    );
  }

  const createdAccounts: string[] = [];
  const accountFor = async (email: string, name: string, role: GlobalRole): Promise<User> => {
    const key = normaliseEmail(email);
    const existing = users.get(key);
    if (existing) return existing;
    const user: User = { id: newId(), email: key, name: name.trim() || key, role, password_hash: unusablePasswordHash(), disabled: 1, created_at: now, updated_at: now };
    await trx.insertInto('app_user').values(user).execute();
    const { password_hash: _hash, ...visible } = user;
    await recordAudit(trx, actor, { entity: 'user', entityId: user.id, action: 'user.create', after: visible, reason: `Created disabled by the import of ${reference}.` });
    users.set(key, user);
    createdAccounts.push(key);
    return user;
  };
  const evaluatorUsers = new Map<string, User>();
  for (const e of file.evaluators) evaluatorUsers.set(normaliseEmail(e.email), await accountFor(e.email, e.name, 'evaluator'));
  const observers: User[] = [];
  for (const m of fileMembers.filter((m) => m.role === 'observer')) observers.push(await accountFor(m.email, m.name, 'viewer'));

  // ---------- vendors (registry) ----------
  const vendorIds = new Map<string, string>();
  let vendorsCreated = 0;
  const registered = file.vendors.length
    ? await trx
        .selectFrom('vendor')
        .select(['id', 'key'])
        .where(
          'key',
          'in',
          file.vendors.map((v) => v.key),
        )
        .execute()
    : [];
  for (const row of registered) vendorIds.set(row.key, row.id);
  for (const v of file.vendors) {
    if (vendorIds.has(v.key)) continue;
    const vendor = { id: newId(), key: v.key, name: v.name, website: v.website ?? null, contact_name: null, contact_email: null, created_at: now };
    await trx.insertInto('vendor').values(vendor).execute();
    await recordAudit(trx, actor, { entity: 'vendor', entityId: vendor.id, action: 'vendor.create', after: vendor, reason: `Created by the import of ${reference}.` });
    vendorIds.set(v.key, vendor.id);
    vendorsCreated += 1;
  }

  // ---------- the RFP and its questionnaire ----------
  const rfpId = newId();
  const { settings } = file.rfp;
  await trx
    .insertInto('rfp')
    .values({
      id: rfpId,
      reference,
      title: file.rfp.title,
      department: file.rfp.department,
      summary: file.rfp.summary ?? '',
      status: file.rfp.status,
      scale_max: settings.scaleMax,
      aggregation: settings.aggregation,
      divergence_threshold: settings.divergenceThreshold,
      price_formula: settings.priceFormula,
      total_points: settings.totalPoints ?? 100,
      allow_half_points: settings.allowHalfPoints ? 1 : 0,
      price_blind: settings.priceBlind ? 1 : 0,
      risk_tier: file.rfp.riskTier,
      // Stored as UTC instants like every timestamp here, whatever offset the file wrote.
      qa_due_at: utcInstant(file.rfp.qaDueAt),
      proposals_due_at: utcInstant(file.rfp.proposalsDueAt),
      evaluation_due_at: utcInstant(file.rfp.evaluationDueAt),
      created_by: leads[0]!.id,
      created_at: now,
      updated_at: now,
      risk_intake_json: file.rfp.riskIntake ? JSON.stringify(file.rfp.riskIntake) : null,
      questionnaire_version: file.rfp.questionnaireVersion ?? 1,
    })
    .execute();

  const sectionIds = new Map<string, string>();
  const criterionIds = new Map<string, string>();
  const questionIds = new Map<string, string>();
  const sectionRows: Array<Insertable<Database['section']>> = [];
  const criterionRows: Array<Insertable<Database['criterion']>> = [];
  const questionRows: Array<Insertable<Database['question']>> = [];
  file.sections.forEach((s, si) => {
    const sectionId = newId();
    sectionIds.set(s.key, sectionId);
    sectionRows.push({ id: sectionId, rfp_id: rfpId, key: s.key, title: s.title, position: si, created_at: now });
    s.criteria.forEach((c, ci) => {
      const criterionId = newId();
      criterionIds.set(c.key, criterionId);
      criterionRows.push({
        id: criterionId,
        rfp_id: rfpId,
        section_id: sectionId,
        key: c.key,
        title: c.title,
        description: c.description ?? null,
        kind: c.kind,
        points: c.points,
        rubric_json: JSON.stringify(c.rubric),
        position: ci,
        created_at: now,
      });
      c.questions.forEach((q, qi) => {
        const questionId = newId();
        questionIds.set(q.key, questionId);
        questionRows.push({
          id: questionId,
          rfp_id: rfpId,
          criterion_id: criterionId,
          key: q.key,
          text: q.text,
          guidance: q.guidance ?? null,
          strong_answer: q.strongAnswer ?? null,
          answer_type: q.answerType,
          options_json: JSON.stringify(q.options),
          required: q.required ? 1 : 0,
          references_json: JSON.stringify(q.references),
          position: qi,
          created_at: now,
        });
      });
    });
  });
  await insertInBatches(trx, 'section', sectionRows);
  await insertInBatches(trx, 'criterion', criterionRows);
  await insertInBatches(trx, 'question', questionRows);

  // ---------- submissions and answers ----------
  const submissionIds = new Map<string, string>();
  const submissionRows: Array<Insertable<Database['submission']>> = [];
  const answerRows: Array<Insertable<Database['answer']>> = [];
  for (const s of file.submissions) {
    const submissionId = newId();
    submissionIds.set(s.vendor, submissionId);
    submissionRows.push({
      id: submissionId,
      rfp_id: rfpId,
      vendor_id: vendorIds.get(s.vendor)!,
      status: s.status,
      status_reason: s.statusReason ?? null,
      received_at: s.receivedAt ?? null,
      price: s.price,
      created_at: now,
    });
    for (const [key, value] of Object.entries(s.answers)) {
      const questionId = questionIds.get(key);
      // The schema has checked every key; this guards the invariant.
      if (!questionId) throw new PortableImportError(`Submission of ${s.vendor} answers unknown question ${key}; nothing was imported.`);
      answerRows.push({
        id: newId(),
        rfp_id: rfpId,
        submission_id: submissionId,
        question_id: questionId,
        value_json: JSON.stringify(value),
        source: 'import',
        updated_by: null,
        updated_at: now,
      });
    }
  }
  await insertInBatches(trx, 'submission', submissionRows);
  await insertInBatches(trx, 'answer', answerRows);

  // ---------- members, assignments, recusals ----------
  const memberRole = new Map<string, { user: User; role: MemberRole }>();
  for (const lead of leads) memberRole.set(lead.id, { user: lead, role: 'lead' });
  for (const o of observers) if (!memberRole.has(o.id)) memberRole.set(o.id, { user: o, role: 'observer' });
  for (const u of evaluatorUsers.values()) if (!memberRole.has(u.id)) memberRole.set(u.id, { user: u, role: 'evaluator' });
  await insertInBatches(
    trx,
    'rfp_member',
    [...memberRole.values()].map(({ user, role }) => ({ rfp_id: rfpId, user_id: user.id, role, added_by: actor.id, added_at: now })),
  );

  const assignmentRows: Array<Insertable<Database['assignment']>> = [];
  const recusalRows: Array<Insertable<Database['recusal']>> = [];
  for (const e of file.evaluators) {
    const user = evaluatorUsers.get(normaliseEmail(e.email))!;
    if (e.assigned !== false) {
      const coi = parseCoi(e.coi);
      const sections = e.sections ?? null;
      assignmentRows.push({
        rfp_id: rfpId,
        user_id: user.id,
        section_ids_json: sections === null ? null : JSON.stringify([...new Set(sections.map((key) => sectionIds.get(key)!))].sort()),
        coi_status: coi.status,
        coi_statement: e.coiStatement ?? null,
        coi_statement_sha256: e.coiStatementSha256 ?? null,
        coi_details: coi.details,
        attested_at: e.attestedAt ?? (coi.status === 'pending' ? null : now),
        assigned_by: leads[0]!.id,
        assigned_at: now,
      });
    }
    for (const vendor of new Set(e.recusedFrom)) {
      recusalRows.push({
        rfp_id: rfpId,
        user_id: user.id,
        vendor_id: vendorIds.get(vendor)!,
        reason: e.recusalReasons?.[vendor] ?? parseCoi(e.coi).details ?? 'Recorded in the imported file.',
        created_at: e.attestedAt ?? now,
      });
    }
  }
  await insertInBatches(trx, 'assignment', assignmentRows);
  await insertInBatches(trx, 'recusal', recusalRows);

  // ---------- scoresheets, scores, consensus ----------
  const evaluatorId = (email: string) => evaluatorUsers.get(normaliseEmail(email))!.id;
  const sheets = new Map<string, Insertable<Database['scoresheet']>>();
  const sheetKey = (evaluator: string, vendor: string) => `${evaluatorId(evaluator)}|${vendor}`;
  for (const s of file.scoresheets ?? []) {
    sheets.set(sheetKey(s.evaluator, s.vendor), {
      rfp_id: rfpId,
      submission_id: submissionIds.get(s.vendor)!,
      evaluator_id: evaluatorId(s.evaluator),
      status: s.status,
      submitted_at: s.submittedAt ?? (s.status === 'submitted' ? now : null),
      updated_at: now,
    });
  }
  if (!file.scoresheets) {
    // An older file without scoresheets: one sheet per evaluator × vendor that has scores, as the scores say.
    for (const s of file.scores) {
      sheets.set(sheetKey(s.evaluator, s.vendor), {
        rfp_id: rfpId,
        submission_id: submissionIds.get(s.vendor)!,
        evaluator_id: evaluatorId(s.evaluator),
        status: s.submitted ? 'submitted' : 'in_progress',
        submitted_at: s.submitted ? now : null,
        updated_at: now,
      });
    }
  }
  await insertInBatches(trx, 'scoresheet', [...sheets.values()]);
  await insertInBatches(
    trx,
    'score',
    file.scores.map((s) => ({
      id: newId(),
      rfp_id: rfpId,
      submission_id: submissionIds.get(s.vendor)!,
      criterion_id: criterionIds.get(s.criterion)!,
      evaluator_id: evaluatorId(s.evaluator),
      value: s.value,
      rationale: s.rationale,
      version: 1,
      created_at: s.updatedAt ?? now,
      updated_at: s.updatedAt ?? now,
    })),
  );
  await insertInBatches(
    trx,
    'consensus_score',
    file.consensus.map((c) => ({
      id: newId(),
      rfp_id: rfpId,
      submission_id: submissionIds.get(c.vendor)!,
      criterion_id: criterionIds.get(c.criterion)!,
      value: c.value,
      rationale: c.rationale,
      // Who decided, when that person has an account here; the file keeps the email in its audit record either way.
      decided_by: c.decidedBy ? (users.get(normaliseEmail(c.decidedBy))?.id ?? null) : null,
      decided_at: c.decidedAt ?? now,
    })),
  );

  // ---------- the record: the file's events as they are, then the import itself ----------
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  await appendAuditEvents(
    trx,
    file.audit.map((e) => ({
      at: e.at,
      actor_id: null,
      actor_email: e.actor,
      rfp_id: rfpId,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      action: e.action,
      before_json: json(e.before),
      after_json: json(e.after),
      reason: e.reason,
    })),
  );
  const counts: ImportSummary['counts'] = {
    sections: sectionRows.length,
    criteria: criterionRows.length,
    questions: questionRows.length,
    submissions: submissionRows.length,
    answers: answerRows.length,
    evaluators: file.evaluators.length,
    scores: file.scores.length,
    consensus: file.consensus.length,
    audit: file.audit.length,
  };
  const withheld = file.confidentiality && !file.confidentiality.complete ? file.confidentiality.withheld : null;
  await recordAudit(trx, actor, {
    rfpId,
    entity: 'rfp',
    entityId: rfpId,
    action: 'rfp.import',
    after: {
      reference,
      status: file.rfp.status,
      exportedAt: file.exportedAt ?? null,
      sourceAuditChain: file.auditChain ?? null,
      leads: leads.map((l) => l.email),
      createdAccounts,
      vendorsCreated,
      ...counts,
      ...(withheld ? { withheldFromFile: withheld } : {}),
    },
  });

  return {
    rfpId,
    reference,
    status: file.rfp.status,
    leads: leads.map((l) => l.email),
    leadsNotFound,
    createdAccounts,
    vendorsCreated,
    vendorsReused: file.vendors.length - vendorsCreated,
    counts,
    resultsMatch: false,
    withheld,
  };
}

/** The CLI's one-line report of an import. */
export function describeImport(s: ImportSummary): string {
  const c = s.counts;
  const parts = [
    `Imported ${s.reference} (${s.status}): ${c.sections} sections, ${c.criteria} criteria, ${c.questions} questions, ` +
      `${c.submissions} submissions (${s.vendorsCreated} new vendors, ${s.vendorsReused} from the registry), ${c.answers} answers, ` +
      `${c.evaluators} evaluators, ${c.scores} scores, ${c.consensus} consensus scores, ${c.audit} audit events`,
    `lead ${s.leads.join(', ')}`,
  ];
  if (s.leadsNotFound.length > 0) parts.push(`the file's lead ${s.leadsNotFound.join(', ')} has no officer account here and was not added`);
  if (s.createdAccounts.length > 0) {
    parts.push(
      `${s.createdAccounts.length} account${s.createdAccounts.length === 1 ? '' : 's'} created disabled (${s.createdAccounts.join(', ')}): ` +
        'an admin must enable them and reset their passwords before they can sign in',
    );
  }
  if (s.withheld) {
    const w = s.withheld;
    parts.push(
      `the file's individual scores were withheld from it in part (${w.scores} scores, ${w.consensus} consensus scores, ${w.auditEntries} audit entries' values and rationales): ` +
        'the imported evaluation lacks them',
    );
  }
  parts.push(s.resultsMatch ? 'results recomputed: same as the file' : "results recomputed: they differ from the file's (see the results page)");
  return `${parts.join('; ')}.`;
}
