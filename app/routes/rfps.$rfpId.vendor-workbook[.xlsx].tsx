import type { LoaderFunctionArgs } from '@remix-run/node';
import { issueVendorWorkbook, vendorWorkbookFileName } from '#app/responses/vendor-workbook-source.server';
import { getDb, getSubmission, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';

/**
 * The questionnaire as a signed workbook for vendors to fill in (DESIGN §5). Without parameters it is the blank
 * workbook an RFP publishes to every bidder (issued to no vendor); `?submission=<id>` issues it to that vendor, with
 * their name and current answers prefilled, so importing it on another vendor's page is flagged.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const db = getDb();
  const submissionId = new URL(request.url).searchParams.get('submission');
  const submission = submissionId ? await getSubmission(db, access.rfp.id, submissionId) : undefined;
  if (submissionId && !submission) notFound('Vendor response not found');
  const bytes = await issueVendorWorkbook(
    db,
    access.rfp,
    submission ? { vendorId: submission.vendor_id, vendorKey: submission.vendor_key, name: submission.vendor_name, submissionId: submission.id } : undefined,
  );
  await recordAudit(db, { id: access.user.id, email: access.user.email }, {
    rfpId: access.rfp.id,
    entity: 'rfp',
    entityId: access.rfp.id,
    action: 'rfp.export',
    after: { format: 'vendor-xlsx', questionnaireVersion: access.rfp.questionnaire_version, vendor: submission?.vendor_key ?? null, signed: true },
  });
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDispositionAttachment(vendorWorkbookFileName(access.rfp, submission?.vendor_key)),
      'Cache-Control': 'no-store',
    },
  });
}
