import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { matrixCsv } from '#app/xlsx/matrix-csv.server';
import { loadScorecardForRequest } from '#app/xlsx/scorecard-access.server';
import { exportFileName } from '#app/xlsx/scorecard-layout';

/** The comparison matrix as CSV (criteria × vendors, weights, totals): the same access as the results page. Audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, data } = await loadScorecardForRequest(request, params.rfpId, 'matrix');
  const text = matrixCsv(data);
  await recordAudit(getDb(), { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'matrix-csv' },
  });
  return new Response(text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': contentDispositionAttachment(exportFileName(access.rfp.reference, 'matrix', data.generatedAt, 'csv')),
      'Cache-Control': 'no-store',
    },
  });
}
