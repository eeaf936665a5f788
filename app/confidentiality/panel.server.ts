/**
 * Builds the {@link PanelViewer} for one reader of one RFP from the database: their recusals, their own scoresheets
 * (when assigned) and the RFP's submissions (to attribute audit entries to vendors). Every loader and download that
 * can carry individual scores builds one with this; so would anything that sends them elsewhere (mail: one viewer per
 * recipient, built from the recipient's account, not the sender's).
 */
import type { Executor, MemberRole, Rfp } from '#app/utils/db.server';
import type { RfpAccess } from '#app/utils/permissions.server';
import { PanelViewer } from './panel';

export { PanelViewer, WITHHELD } from './panel';

export interface PanelReader {
  rfp: Pick<Rfp, 'id' | 'status'>;
  userId: string;
  memberRole: MemberRole | null;
}

/** The viewer for `reader` (three small reads, by RFP and user). */
export async function loadPanelViewer(db: Executor, reader: PanelReader): Promise<PanelViewer> {
  const { rfp, userId } = reader;
  const [recusals, assignment, sheets, submissions] = await Promise.all([
    db.selectFrom('recusal').select('vendor_id').where('rfp_id', '=', rfp.id).where('user_id', '=', userId).execute(),
    db.selectFrom('assignment').select('user_id').where('rfp_id', '=', rfp.id).where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('scoresheet').select(['submission_id', 'status']).where('rfp_id', '=', rfp.id).where('evaluator_id', '=', userId).execute(),
    db.selectFrom('submission').select(['id', 'vendor_id']).where('rfp_id', '=', rfp.id).execute(),
  ]);
  const vendorOfSubmission = new Map(submissions.map((s) => [s.id, s.vendor_id]));
  const ownSheets =
    assignment === undefined
      ? null
      : new Map(sheets.flatMap((s) => {
          const vendorId = vendorOfSubmission.get(s.submission_id);
          return vendorId === undefined ? [] : [[vendorId, s.status] as const];
        }));
  return PanelViewer.for({
    userId,
    memberRole: reader.memberRole,
    status: rfp.status,
    recusedFrom: recusals.map((r) => r.vendor_id),
    ownSheets,
    vendorOfSubmission,
  });
}

/** The viewer for the signed-in reader of a guarded request. */
export function loadPanelViewerFor(db: Executor, access: Pick<RfpAccess, 'rfp' | 'user' | 'memberRole'>): Promise<PanelViewer> {
  return loadPanelViewer(db, { rfp: access.rfp, userId: access.user.id, memberRole: access.memberRole });
}
