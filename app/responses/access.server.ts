/**
 * Who may read vendors' answers: the lead and admins, and evaluators once they have attested on conflicts of
 * interest — never for a vendor they are recused from (DESIGN §1, §3).
 */
import { getDb } from '#app/utils/db.server';
import { forbidden, type RfpAccess, requireRfpAccess } from '#app/utils/permissions.server';

export interface ResponsesAccess extends RfpAccess {
  /** Vendor ids whose answers this viewer must not see. */
  recusedVendorIds: Set<string>;
}

export async function requireResponsesRead(request: Request, rfpId: string | undefined): Promise<ResponsesAccess> {
  const access = await requireRfpAccess(request, rfpId, 'responses:read');
  const recusedVendorIds = new Set<string>();
  if (access.memberRole === 'evaluator' && !access.can('responses:manage')) {
    const db = getDb();
    const assignment = await db
      .selectFrom('assignment')
      .select('coi_status')
      .where('rfp_id', '=', access.rfp.id)
      .where('user_id', '=', access.user.id)
      .executeTakeFirst();
    if (!assignment || assignment.coi_status === 'pending') {
      forbidden('Vendors’ responses are shown to evaluators only after they are assigned and have attested on conflicts of interest.');
    }
    const recusals = await db.selectFrom('recusal').select('vendor_id').where('rfp_id', '=', access.rfp.id).where('user_id', '=', access.user.id).execute();
    for (const r of recusals) recusedVendorIds.add(r.vendor_id);
  }
  return { ...access, recusedVendorIds };
}
