import type { LoaderFunctionArgs } from '@remix-run/node';
import { issueVendorWorkbook, vendorWorkbookFileName } from '#app/responses/vendor-workbook-source.server';
import { getDb, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { requireVendorRfp } from '#app/vendor-portal/access.server';

/**
 * The questionnaire workbook a vendor contact downloads: signed and issued to their own organisation, so a workbook
 * returned for another vendor is flagged at import. Always blank — it is built from the vendor-facing questionnaire
 * and carries no answer the city holds.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  const db = getDb();
  const submission = await db.selectFrom('submission').select('id').where('rfp_id', '=', access.rfp.id).where('vendor_id', '=', access.organisation.vendorId).executeTakeFirst();
  const { vendorId, vendorKey, vendorName } = access.organisation;
  const recipient = submission ? { vendorId, vendorKey, name: vendorName, submissionId: submission.id } : undefined;
  const bytes = await issueVendorWorkbook(db, access.rfp, recipient, {});
  await recordAudit(db, { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'vendor-xlsx', questionnaireVersion: access.rfp.questionnaire_version, vendor: access.organisation.vendorKey, signed: true, portal: true },
  });
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDispositionAttachment(vendorWorkbookFileName(access.rfp, access.organisation.vendorKey)),
      'Cache-Control': 'no-store',
    },
  });
}
