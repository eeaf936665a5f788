/**
 * The vendor portal's rows (issue 15): which organisation each vendor contact speaks for, and which RFPs each
 * organisation was invited to respond to. Nothing here reads a response or an evaluation.
 */
import { nowIso } from '../ids';
import type { RfpStatus } from '../schema';
import { type Actor, type Executor, recordAudit } from './audit';

export interface VendorContactOrganisation {
  vendorId: string;
  vendorName: string;
  vendorKey: string;
}

/** The organisation a vendor account speaks for, or undefined when the account is not a vendor contact. */
export async function getContactOrganisation(db: Executor, userId: string): Promise<VendorContactOrganisation | undefined> {
  const row = await db
    .selectFrom('vendor_contact')
    .innerJoin('vendor', 'vendor.id', 'vendor_contact.vendor_id')
    .select(['vendor.id', 'vendor.name', 'vendor.key'])
    .where('vendor_contact.user_id', '=', userId)
    .executeTakeFirst();
  return row ? { vendorId: row.id, vendorName: row.name, vendorKey: row.key } : undefined;
}

export async function addVendorContact(db: Executor, userId: string, vendorId: string, now = nowIso()): Promise<void> {
  await db.insertInto('vendor_contact').values({ user_id: userId, vendor_id: vendorId, created_at: now }).execute();
}

export interface PortalContact {
  userId: string;
  name: string;
  email: string;
  disabled: boolean;
  lastSignInAt: string | null;
}

/** A vendor organisation's contacts with an account, by name. */
export async function listVendorContacts(db: Executor, vendorId: string): Promise<PortalContact[]> {
  const rows = await db
    .selectFrom('vendor_contact')
    .innerJoin('app_user', 'app_user.id', 'vendor_contact.user_id')
    .leftJoin('account_security', 'account_security.user_id', 'app_user.id')
    .select(['app_user.id', 'app_user.name', 'app_user.email', 'app_user.disabled', 'account_security.last_sign_in_at'])
    .where('vendor_contact.vendor_id', '=', vendorId)
    .orderBy('app_user.name')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email, disabled: r.disabled === 1, lastSignInAt: r.last_sign_in_at ?? null }));
}

/** Pending invitations of contacts of this organisation (not yet accepted, revoked or expired). */
export async function listPendingContactInvitations(db: Executor, vendorId: string, now = nowIso()): Promise<Array<{ id: string; name: string; email: string; expiresAt: string }>> {
  const rows = await db
    .selectFrom('invitation')
    .select(['id', 'name', 'email', 'expires_at'])
    .where('vendor_id', '=', vendorId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, expiresAt: r.expires_at }));
}

export async function hasPortalAccess(db: Executor, rfpId: string, vendorId: string): Promise<boolean> {
  const row = await db.selectFrom('portal_access').select('rfp_id').where('rfp_id', '=', rfpId).where('vendor_id', '=', vendorId).executeTakeFirst();
  return Boolean(row);
}

/**
 * Opens the RFP to the organisation's contacts (once; inviting a second contact changes nothing). Audited in the RFP's
 * log on the first grant. Returns whether this call granted it.
 */
export async function grantPortalAccess(db: Executor, actor: Actor, input: { rfpId: string; vendorId: string; vendorName: string }, now = nowIso()): Promise<boolean> {
  if (await hasPortalAccess(db, input.rfpId, input.vendorId)) return false;
  await db.insertInto('portal_access').values({ rfp_id: input.rfpId, vendor_id: input.vendorId, invited_by: actor.id, invited_at: now }).execute();
  await recordAudit(db, actor, {
    rfpId: input.rfpId,
    entity: 'vendor',
    entityId: input.vendorId,
    action: 'portal.open',
    after: { vendor_id: input.vendorId, vendor_name: input.vendorName },
  });
  return true;
}

export interface PortalRfp {
  id: string;
  reference: string;
  title: string;
  department: string;
  status: RfpStatus;
  proposalsDueAt: string | null;
  qaDueAt: string | null;
  invitedAt: string;
}

/**
 * The RFPs an organisation's contacts may open: invited to, and published (out of draft). A draft RFP is still being
 * written, so an invitation made early shows it only once it opens.
 */
export async function listPortalRfps(db: Executor, vendorId: string): Promise<PortalRfp[]> {
  const rows = await db
    .selectFrom('portal_access')
    .innerJoin('rfp', 'rfp.id', 'portal_access.rfp_id')
    .select(['rfp.id', 'rfp.reference', 'rfp.title', 'rfp.department', 'rfp.status', 'rfp.proposals_due_at', 'rfp.qa_due_at', 'portal_access.invited_at'])
    .where('portal_access.vendor_id', '=', vendorId)
    .where('rfp.status', '!=', 'draft')
    .orderBy('portal_access.invited_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    title: r.title,
    department: r.department,
    status: r.status,
    proposalsDueAt: r.proposals_due_at,
    qaDueAt: r.qa_due_at,
    invitedAt: r.invited_at,
  }));
}
