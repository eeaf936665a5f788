import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadPriceViewFor, PRICE_WITHHELD } from '#app/confidentiality/price-blind.server';
import { requireResponsesRead } from '#app/responses/access.server';
import { readEvidence } from '#app/responses/evidence-files.server';
import { getDb, recordAudit } from '#app/utils/db.server';
import { contentDispositionAttachment } from '#app/utils/download.server';
import { forbidden, notFound } from '#app/utils/permissions.server';

/**
 * Evidence download for RFP members who may read responses. Always an attachment, never rendered inline,
 * sandboxed by CSP in case a browser tries anyway.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireResponsesRead(request, params.rfpId);
  const db = getDb();
  const row = await db
    .selectFrom('attachment')
    .innerJoin('submission', 'submission.id', 'attachment.submission_id')
    .select(['attachment.id', 'attachment.file_name', 'attachment.media_type', 'attachment.storage_key', 'attachment.sha256', 'attachment.question_id', 'submission.vendor_id'])
    .where('attachment.rfp_id', '=', access.rfp.id)
    .where('attachment.id', '=', params.attachmentId ?? '')
    .executeTakeFirst();
  if (!row || access.recusedVendorIds.has(row.vendor_id)) notFound('File not found');
  if ((await loadPriceViewFor(db, access)).hidesAttachment(row)) forbidden(PRICE_WITHHELD);
  const bytes = readEvidence(row.storage_key);
  await recordAudit(db, { id: access.user.id, email: access.user.email }, { rfpId: access.rfp.id, entity: 'attachment', entityId: row.id, action: 'attachment.download', after: { sha256: row.sha256 } });
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': row.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : row.media_type,
      'Content-Disposition': contentDispositionAttachment(row.file_name),
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-store',
    },
  });
}
