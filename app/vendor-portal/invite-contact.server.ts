/**
 * The lead invites a vendor's contact to respond to an RFP in the portal (issue 15, item 1): one transaction opens
 * the RFP to the organisation, creates the person's invitation (or, for a contact who already has an account,
 * simply tells them) and writes the mail to the outbox — so a link exists exactly when its mail does. Checked inside
 * that transaction: the RFP is open for proposals, the vendor is in it, and the address is not a staff account or
 * another organisation's contact (an account speaks for one organisation only).
 */
import type { Kysely } from 'kysely';
import { createInvitation, invitationMailKey } from '#db/queries/invitations';
import { enqueueMail } from '#db/queries/mail-outbox';
import { getContactOrganisation, grantPortalAccess } from '#db/queries/vendor-portal';
import type { Actor } from '#db/queries/audit';
import type { Database } from '#db/schema';
import { vendorInvitationMail, vendorRfpInvitationMail } from '#app/mail/account-mails';
import { getRfpById, getUserByEmail, normaliseEmail, recordAudit } from '#app/utils/db.server';
import { formatDateTime } from '#app/utils/format';

export interface ContactInvitationInput {
  rfpId: string;
  submissionId: string;
  name: string;
  email: string;
}

export interface ContactInvitationOptions {
  origin: string;
  validDays: number;
  invitedBy: string;
}

export type ContactInvitationOutcome =
  | { ok: true; kind: 'invited' | 'added'; email: string; vendorName: string }
  | { ok: false; status: 400 | 404 | 409; field?: 'email'; message: string };

export async function inviteVendorContact(db: Kysely<Database>, actor: Actor, input: ContactInvitationInput, options: ContactInvitationOptions): Promise<ContactInvitationOutcome> {
  const email = normaliseEmail(input.email);
  return db.transaction().execute(async (trx): Promise<ContactInvitationOutcome> => {
    const rfp = await getRfpById(trx, input.rfpId);
    if (!rfp) return { ok: false, status: 404, message: 'RFP not found.' };
    if (rfp.status !== 'open') {
      return {
        ok: false,
        status: 409,
        message: rfp.status === 'draft' ? 'Open the RFP before inviting vendors: a draft is not shown to them.' : 'Proposals are closed: vendors can no longer be invited to respond.',
      };
    }
    const submission = await trx
      .selectFrom('submission')
      .innerJoin('vendor', 'vendor.id', 'submission.vendor_id')
      .select(['submission.id', 'vendor.id as vendor_id', 'vendor.name as vendor_name'])
      .where('submission.id', '=', input.submissionId)
      .where('submission.rfp_id', '=', rfp.id)
      .executeTakeFirst();
    if (!submission) return { ok: false, status: 404, message: 'Vendor response not found.' };
    const vendor = { vendorId: submission.vendor_id, vendorName: submission.vendor_name };
    const proposalsDue = rfp.proposals_due_at ? formatDateTime(rfp.proposals_due_at) : null;
    const mailBase = { name: input.name.trim(), vendorName: vendor.vendorName, rfpReference: rfp.reference, rfpTitle: rfp.title, invitedBy: options.invitedBy, proposalsDue };

    const existing = await getUserByEmail(trx, email);
    if (existing) {
      if (existing.role !== 'vendor') {
        return { ok: false, status: 400, field: 'email', message: `${email} is a city staff account. A vendor contact needs an address of their own organisation.` };
      }
      const organisation = await getContactOrganisation(trx, existing.id);
      if (!organisation || organisation.vendorId !== vendor.vendorId) {
        return { ok: false, status: 400, field: 'email', message: `${email} is already the contact of another vendor. An account speaks for one vendor only.` };
      }
      if (existing.disabled) return { ok: false, status: 400, field: 'email', message: `${existing.name}’s account is disabled. Ask an administrator to enable it first.` };
      await grantPortalAccess(trx, actor, { rfpId: rfp.id, ...vendor });
      const mail = vendorRfpInvitationMail({ ...mailBase, name: existing.name, url: `${options.origin}/vendor/rfps/${rfp.id}` });
      await enqueueMail(trx, { kind: 'vendor.rfp_invitation', to: { address: existing.email, userId: existing.id }, rfpId: rfp.id, ...mail });
      await recordAudit(trx, actor, { rfpId: rfp.id, entity: 'vendor', entityId: vendor.vendorId, action: 'portal.invite_contact', after: { email: existing.email, name: existing.name, vendor_name: vendor.vendorName, account: 'existing' } });
      return { ok: true, kind: 'added', email: existing.email, vendorName: vendor.vendorName };
    }

    await grantPortalAccess(trx, actor, { rfpId: rfp.id, ...vendor });
    const invitation = await createInvitation(trx, actor, { email, name: input.name, role: 'vendor', validDays: options.validDays, vendor: { vendorId: vendor.vendorId, rfpId: rfp.id } });
    const mail = vendorInvitationMail({ ...mailBase, url: `${options.origin}/invitation/${invitation.token}`, expiresAt: invitation.expiresAt });
    await enqueueMail(trx, { kind: 'account.vendor_invitation', to: { address: invitation.email }, rfpId: rfp.id, ...mail, dedupeKey: invitationMailKey(invitation.id) });
    await recordAudit(trx, actor, { rfpId: rfp.id, entity: 'vendor', entityId: vendor.vendorId, action: 'portal.invite_contact', after: { email, name: input.name.trim(), vendor_name: vendor.vendorName, account: 'invited' } });
    return { ok: true, kind: 'invited', email, vendorName: vendor.vendorName };
  });
}
