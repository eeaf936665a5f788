/**
 * The guard of every vendor-portal loader and action (issue 15): a vendor contact, speaking for their own
 * organisation, in an RFP that organisation was invited to and that is out of draft. Staff are sent to their own
 * pages; any other RFP — not invited, a draft, another organisation's, or none — is "not found", so the portal
 * never tells a vendor which other RFPs exist.
 */
import { redirect } from '@remix-run/node';
import { getContactOrganisation, hasPortalAccess, type VendorContactOrganisation } from '#db/queries/vendor-portal';
import { getDb, getRfpById, type Rfp } from '#app/utils/db.server';
import { notFound } from '#app/utils/permissions.server';
import { isStaff, requireSignedIn, type SignedInUser } from '#app/utils/session.server';

export interface VendorAccess {
  user: SignedInUser;
  organisation: VendorContactOrganisation;
}

export interface VendorRfpAccess extends VendorAccess {
  rfp: Rfp;
}

export async function requireVendorContact(request: Request): Promise<VendorAccess> {
  const user = await requireSignedIn(request);
  if (isStaff(user)) throw redirect('/rfps');
  const organisation = await getContactOrganisation(getDb(), user.id);
  // A vendor account without an organisation speaks for nobody: it sees nothing.
  if (!organisation) notFound('Your account is not linked to a vendor organisation. Ask the lead officer who invited you.');
  return { user, organisation };
}

export async function requireVendorRfp(request: Request, rfpId: string | undefined): Promise<VendorRfpAccess> {
  const access = await requireVendorContact(request);
  if (!rfpId) notFound('RFP not found');
  const db = getDb();
  const rfp = await getRfpById(db, rfpId);
  if (!rfp || rfp.status === 'draft' || !(await hasPortalAccess(db, rfp.id, access.organisation.vendorId))) notFound('RFP not found');
  return { ...access, rfp };
}
