/**
 * The one role → permission map (DESIGN §1). Global roles say what a person may do in general;
 * RFP membership says what they may do in one RFP. Shared by server guards and UI (to hide what would be refused).
 */
import type { MemberRole, UserRole } from '#db/schema';

// Plain constants, safe in the browser bundle (db.server is not).
export { ANSWER_TYPES, CRITERION_KINDS, GLOBAL_ROLES, MEMBER_ROLES, RFP_STATUSES } from '#db/schema';

/** `mail:read`: the outbox — every mail the workbench sent or is waiting to send, with its text. */
export type GlobalPermission = 'users:manage' | 'rfp:create' | 'rfp:read-any' | 'mail:read';

export type RfpPermission =
  | 'rfp:read'
  | 'rfp:edit'
  | 'members:read'
  | 'members:manage'
  | 'audit:read'
  | 'export:portable'
  /** Vendors' answers and evidence, side by side (evaluators additionally need their COI attestation). */
  | 'responses:read'
  /** Record, import and correct vendors' responses; manage submissions. */
  | 'responses:manage'
  /** Assign evaluators, set and extend the due date, reopen scoresheets, watch progress. */
  | 'evaluation:manage'
  /** Score as an evaluator (own scoresheets only). */
  | 'scores:own'
  /** Record consensus scores. */
  | 'consensus:manage'
  /** Rankings, comparison matrix, scorecard (evaluators only once the RFP reaches consensus: checked in the guard). */
  | 'results:read';

// A vendor contact holds no staff permission: the vendor portal has its own guard (app/vendor-portal/access.server.ts).
const GLOBAL: Record<UserRole, readonly GlobalPermission[]> = {
  admin: ['users:manage', 'rfp:create', 'rfp:read-any', 'mail:read'],
  officer: ['rfp:create'],
  evaluator: [],
  viewer: [],
  vendor: [],
};

const IN_RFP: Record<MemberRole, readonly RfpPermission[]> = {
  lead: [
    'rfp:read',
    'rfp:edit',
    'members:read',
    'members:manage',
    'audit:read',
    'export:portable',
    'responses:read',
    'responses:manage',
    'evaluation:manage',
    'consensus:manage',
    'results:read',
  ],
  evaluator: ['rfp:read', 'members:read', 'responses:read', 'scores:own', 'results:read'],
  observer: ['rfp:read', 'members:read', 'results:read'],
};

/** What an admin may do in any RFP, member or not: oversight, not running the procurement. */
const ADMIN_IN_ANY_RFP: readonly RfpPermission[] = ['rfp:read', 'members:read', 'members:manage', 'audit:read', 'export:portable', 'responses:read', 'results:read'];

export function hasGlobalPermission(role: UserRole, permission: GlobalPermission): boolean {
  return GLOBAL[role].includes(permission);
}

/** Permissions in one RFP; empty when the person is neither a member nor an admin (they get 404). */
export function rfpPermissions(globalRole: UserRole, memberRole: MemberRole | null | undefined): Set<RfpPermission> {
  // A vendor contact is never a member of the panel, whatever a row says.
  if (globalRole === 'vendor') return new Set();
  const granted = new Set<RfpPermission>(memberRole ? IN_RFP[memberRole] : []);
  if (globalRole === 'admin') for (const p of ADMIN_IN_ANY_RFP) granted.add(p);
  return granted;
}

/** Which global roles may hold each membership role (an observer can be anyone). */
export const MEMBER_ROLE_ELIGIBILITY: Record<MemberRole, readonly UserRole[]> = {
  lead: ['officer', 'admin'],
  evaluator: ['evaluator', 'officer', 'admin'],
  observer: ['viewer', 'evaluator', 'officer', 'admin'],
};

export const GLOBAL_ROLE_LABELS: Record<UserRole, string> = {
  admin: 'Administrator',
  officer: 'Procurement officer',
  evaluator: 'Evaluator',
  viewer: 'Leadership (viewer)',
  vendor: 'Vendor contact',
};

export const MEMBER_ROLE_LABELS: Record<MemberRole, string> = {
  lead: 'Lead officer',
  evaluator: 'Evaluator',
  observer: 'Observer (leadership)',
};
