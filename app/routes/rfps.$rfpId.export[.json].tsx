import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { buildPortableRfp, getDb, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { requireRfpAccess } from '#app/utils/permissions.server';

/**
 * Download of the portable RFP file (DESIGN §9), carrying only the individual scores the downloader may read (before
 * consensus: their own, if any; the file says what was withheld). Audited: exports of procurement records are on the record.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'export:portable');
  const db = getDb();
  const file = await buildPortableRfp(db, access.rfp, await loadPanelViewerFor(db, access));
  await recordAudit(db, { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'json', complete: file.confidentiality?.complete ?? true },
  });
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': contentDispositionAttachment(`${access.rfp.reference}.json`),
      'Cache-Control': 'no-store',
    },
  });
}
