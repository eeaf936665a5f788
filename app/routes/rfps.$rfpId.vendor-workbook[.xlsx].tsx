import type { LoaderFunctionArgs } from '@remix-run/node';
import { vendorWorkbookFileName, vendorWorkbookInput } from '#app/responses/vendor-workbook-source.server';
import { getDb, getSubmission, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { buildVendorWorkbook } from '#app/xlsx/vendor-workbook.server';

/**
 * The questionnaire as a workbook for vendors to fill in (DESIGN §5). `?submission=<id>` prefills that vendor's
 * current answers, for a vendor correcting their response.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const db = getDb();
  const submissionId = new URL(request.url).searchParams.get('submission');
  const submission = submissionId ? await getSubmission(db, access.rfp.id, submissionId) : undefined;
  if (submissionId && !submission) notFound('Vendor response not found');
  const input = await vendorWorkbookInput(db, access.rfp, submission ? { name: submission.vendor_name, submissionId: submission.id } : undefined);
  const bytes = await buildVendorWorkbook(input);
  await recordAudit(db, { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'vendor-xlsx', questionnaireVersion: access.rfp.questionnaire_version, vendor: submission?.vendor_key ?? null },
  });
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDispositionAttachment(vendorWorkbookFileName(access.rfp, submission?.vendor_key)),
      'Cache-Control': 'no-store',
    },
  });
}
