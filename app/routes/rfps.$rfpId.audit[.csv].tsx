import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadPanelViewerFor } from '#app/confidentiality/panel.server';
import { getDb, listAuditEvents, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { auditCsv } from '#app/xlsx/matrix-csv.server';
import { AUDIT_EVENT_LIMIT } from '#app/xlsx/scorecard-data.server';
import { exportFileName } from '#app/xlsx/scorecard-layout';

/** The RFP's audit log as CSV, oldest first, redacted as the audit log page is: for those who may read it. Audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'audit:read');
  const db = getDb();
  const panel = await loadPanelViewerFor(db, access);
  const events = (await listAuditEvents(db, { rfpId: access.rfp.id, limit: AUDIT_EVENT_LIMIT })).reverse().map((e) => panel.redactAuditEvent(e));
  const text = auditCsv(events);
  await recordAudit(db, { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'audit-csv', events: events.length },
  });
  const generatedAt = new Date().toISOString();
  return new Response(text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': contentDispositionAttachment(exportFileName(access.rfp.reference, 'audit', generatedAt, 'csv')),
      'Cache-Control': 'no-store',
    },
  });
}
