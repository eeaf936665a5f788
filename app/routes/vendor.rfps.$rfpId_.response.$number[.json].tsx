/**
 * One sealed version of the vendor's own response, as the exact bytes its receipt is the SHA-256 of: the vendor keeps
 * it and can show, with `sha256sum`, what was on record. Only the organisation's own contacts reach it.
 */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getDb } from '#app/utils/db.server';
import { notFound } from '#app/utils/permissions.server';
import { requireVendorRfp } from '#app/vendor-portal/access.server';
import { getResponseVersionContent } from '#db/queries/vendor-responses';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  const number = Number(params.number);
  if (!Number.isInteger(number) || number < 1) notFound('Version not found');
  const version = await getResponseVersionContent(getDb(), access.rfp.id, access.organisation.vendorId, number);
  if (!version) notFound('Version not found');
  return new Response(version.content, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${access.rfp.reference}-${access.organisation.vendorKey}-response-v${number}.json"`,
      'X-Content-SHA256': version.sha256,
      'Cache-Control': 'private, no-store',
    },
  });
}
