/**
 * Server guards. Every loader and action calls one of these itself (Remix runs loaders in parallel,
 * so a parent route's check does not protect a child).
 */
import { getDb, getMemberRole, getRfpById, type MemberRole, type Rfp } from './db.server';
import { type GlobalPermission, hasGlobalPermission, type RfpPermission, rfpPermissions } from './permissions';
import { type CurrentUser, requireUser } from './session.server';

export function notFound(message = 'Not found'): never {
  throw new Response(message, { status: 404, statusText: 'Not Found' });
}

export function forbidden(message = 'You do not have permission to do this.'): never {
  throw new Response(message, { status: 403, statusText: 'Forbidden' });
}

export async function requireGlobalPermission(request: Request, permission: GlobalPermission): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!hasGlobalPermission(user.role, permission)) forbidden();
  return user;
}

export interface RfpAccess {
  user: CurrentUser;
  rfp: Rfp;
  memberRole: MemberRole | null;
  permissions: Set<RfpPermission>;
  can(permission: RfpPermission): boolean;
}

/**
 * Loads the RFP and checks the signed-in user's access to it. Not a member (and not an admin) → 404,
 * so the RFP's existence does not leak; a member without the permission → 403.
 */
export async function requireRfpAccess(
  request: Request,
  rfpId: string | undefined,
  permission: RfpPermission,
): Promise<RfpAccess> {
  const user = await requireUser(request);
  if (!rfpId) notFound();
  const db = getDb();
  const rfp = await getRfpById(db, rfpId);
  if (!rfp) notFound('RFP not found');
  const memberRole = (await getMemberRole(db, rfp.id, user.id)) ?? null;
  const permissions = rfpPermissions(user.role, memberRole);
  if (permissions.size === 0) notFound('RFP not found');
  if (!permissions.has(permission)) forbidden();
  return { user, rfp, memberRole, permissions, can: (p) => permissions.has(p) };
}
