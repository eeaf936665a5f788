/**
 * The whole demo of DESIGN §9, loaded into an empty database: accounts, the DEMO-311-GENAI RFP and its
 * questionnaire (db/seed.ts), then the four vendors' responses entered the way an officer would — each vendor's
 * filled workbook built and imported through the same preview-and-apply path as the import screen.
 */
import type { Kysely } from 'kysely';
import { loadDemoResponses } from '#fixtures/demo/schema';
import type { Database } from '#db/schema';
import { seedDemo } from '#db/seed';
import { applyVendorImport, previewVendorImport } from '#app/responses/vendor-import.server';
import { vendorWorkbookInput } from '#app/responses/vendor-workbook-source.server';
import { getRfpById, getSubmission, listSubmissions, updateSubmission } from '#app/utils/db.server';
import { buildVendorWorkbook } from '#app/xlsx/vendor-workbook.server';

export async function loadDemo(db: Kysely<Database>): Promise<{ rfpId: string }> {
  const { rfpId, lead } = await seedDemo(db);
  const rfp = (await getRfpById(db, rfpId))!;
  const submissions = await listSubmissions(db, rfpId);
  for (const response of loadDemoResponses()) {
    const row = submissions.find((s) => s.vendor_key === response.vendor);
    if (!row) throw new Error(`Demo responses for unknown vendor ${response.vendor}`);
    // Parsing runs in a worker: do it before the transaction (no slow async work inside one).
    const workbook = await buildVendorWorkbook({ ...(await vendorWorkbookInput(db, rfp)), vendorName: row.vendor_name, answers: response.answers });
    const fileName = `${rfp.reference}-${response.vendor}.xlsx`;
    const preview = await previewVendorImport(db, rfp, row.id, new Uint8Array(workbook), fileName);
    await db.transaction().execute(async (trx) => {
      const submission = (await getSubmission(trx, rfpId, row.id))!;
      const { price } = await applyVendorImport(trx, lead, rfp, submission, preview, fileName);
      await updateSubmission(trx, lead, rfpId, row.id, { status: 'responsive', statusReason: null, receivedAt: submission.received_at, price });
    });
  }
  return { rfpId };
}
