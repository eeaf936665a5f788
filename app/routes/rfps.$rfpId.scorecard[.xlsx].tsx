import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { loadScorecardForRequest } from '#app/xlsx/scorecard-access.server';
import { exportFileName } from '#app/xlsx/scorecard-layout';
import { buildScorecardWorkbook } from '#app/xlsx/scorecard-workbook.server';

/**
 * The Excel scorecard (DESIGN §5): refused (403/404) exactly when the results page would be, with the panel's individual
 * scores, the responses and the audit log included only for those who may read them there. Audited as `rfp.export`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, data } = await loadScorecardForRequest(request, params.rfpId, 'workbook');
  const bytes = await buildScorecardWorkbook(data);
  await recordAudit(getDb(), { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'xlsx', panelScores: data.panelVisible, responses: data.responses !== null, audit: data.audit !== null },
  });
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDispositionAttachment(exportFileName(access.rfp.reference, 'scorecard', data.generatedAt, 'xlsx')),
      'Cache-Control': 'no-store',
    },
  });
}
