import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FormErrorSummary } from '#app/components/form-fields';
import { IMPORT_MAX_BYTES, UploadRejectedError } from '#app/import/questionnaire-import.server';
import { answerToText } from '#app/responses/answer-input';
import { applyVendorImport, previewVendorImport } from '#app/responses/vendor-import.server';
import { assertResponsesEditable } from '#app/rfp/locks.server';
import { type AnswerValue, deletePendingUpload, getDb, getPendingUpload, getSubmission, savePendingUpload } from '#app/utils/db.server';
import { formError } from '#app/utils/form';
import { isMultipart, megabytes, readUploadedFile } from '#app/utils/upload.server';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import workbook · ${data?.submission.vendor_name ?? ''} · AI Vendor Evaluation Workbench` }];

const OUTCOME_LABELS: Record<string, string> = {
  new: 'New answer',
  changed: 'Changed',
  unchanged: 'Unchanged',
  unknown_key: 'Unknown question key',
  invalid_choice: 'Not one of the options',
  missing_required: 'Required answer missing',
  too_long: 'Answer too long',
  invalid_number: 'Not a number',
  duplicate_key: 'Key appears twice',
};

async function load(request: Request, params: { rfpId?: string; submissionId?: string }) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const submission = await getSubmission(getDb(), access.rfp.id, params.submissionId ?? '');
  if (!submission) notFound('Vendor response not found');
  return { access, submission };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, submission } = await load(request, params);
  const uploadId = new URL(request.url).searchParams.get('upload');
  const base = { rfp: access.rfp, submission: { id: submission.id, vendor_name: submission.vendor_name, vendor_key: submission.vendor_key }, editable: access.rfp.status === 'open' };
  if (!uploadId) return json({ ...base, upload: null, preview: null, problem: null });
  const db = getDb();
  const upload = await getPendingUpload(db, { id: uploadId, rfpId: access.rfp.id, userId: access.user.id });
  if (!upload) return json({ ...base, upload: null, preview: null, problem: 'That upload has expired or is not yours. Upload the workbook again.' });
  try {
    const preview = await previewVendorImport(db, access.rfp, submission.id, upload.bytes, upload.file_name);
    return json({
      ...base,
      upload: { id: upload.id, fileName: upload.file_name },
      preview: {
        ...preview,
        // A re-import shows what it would change; unchanged rows are only counted.
        rows: preview.rows.filter((r) => r.outcome !== 'unchanged').map((r) => ({ ...r, old: answerToText((r.old ?? null) as AnswerValue), value: answerToText((r.value ?? null) as AnswerValue) })),
      },
      problem: null,
    });
  } catch (error) {
    if (error instanceof UploadRejectedError) return json({ ...base, upload: null, preview: null, problem: error.message }, { status: error.status });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, submission } = await load(request, params);
  assertResponsesEditable(access.rfp);
  const db = getDb();
  const base = `/rfps/${access.rfp.id}/vendors/${submission.id}`;
  if (isMultipart(request)) {
    const upload = await readUploadedFile(request, {
      maxBytes: IMPORT_MAX_BYTES,
      tooLarge: `The workbook is larger than the ${megabytes(IMPORT_MAX_BYTES)} limit.`,
      missing: 'Choose the vendor’s filled workbook (.xlsx).',
      defaultName: 'workbook.xlsx',
    });
    if (!upload.ok) return json({ errors: formError(upload.message) }, { status: upload.status });
    const { bytes, fileName } = upload.file;
    try {
      const preview = await previewVendorImport(db, access.rfp, submission.id, bytes, fileName);
      if (preview.refused) return json({ errors: formError(preview.refused) }, { status: 422 });
    } catch (error) {
      if (error instanceof UploadRejectedError) return json({ errors: formError(error.message) }, { status: error.status });
      throw error;
    }
    const id = await savePendingUpload(db, { rfpId: access.rfp.id, userId: access.user.id, fileName, bytes, purpose: 'vendor-workbook' });
    return redirect(`${base}/import?upload=${id}`);
  }
  const form = await request.formData();
  const upload = await getPendingUpload(db, { id: String(form.get('upload') ?? ''), rfpId: access.rfp.id, userId: access.user.id });
  if (form.get('intent') !== 'confirm' || !upload) return json({ errors: formError('That upload has expired or is not yours. Upload the workbook again.') }, { status: 400 });
  // Compare again on the server against the answers as they are now: what is saved is exactly what the file says.
  const preview = await previewVendorImport(db, access.rfp, submission.id, upload.bytes, upload.file_name);
  if (!preview.canApply) return json({ errors: formError(preview.refused ?? 'Correct the rows marked in red in the workbook, then upload it again.') }, { status: 400 });
  const actor = { id: access.user.id, email: access.user.email };
  const result = await db.transaction().execute(async (trx) => {
    const applied = await applyVendorImport(trx, actor, access.rfp, submission, preview, upload.file_name);
    await deletePendingUpload(trx, upload.id);
    return applied;
  });
  return redirect(`${base}?imported=${result.changed}`);
}

export default function ImportVendorWorkbook() {
  const { rfp, submission, upload, preview, problem, editable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const blocking = preview ? preview.rows.filter((r) => ['invalid_choice', 'invalid_number', 'too_long', 'duplicate_key'].includes(r.outcome)) : [];
  return (
    <>
      <Breadcrumbs trail={[{ to: `/rfps/${rfp.id}/vendors`, label: 'Vendors' }, { to: `/rfps/${rfp.id}/vendors/${submission.id}`, label: submission.vendor_name }]} current={'Import workbook'} />
      <h1>Import {submission.vendor_name}’s workbook</h1>
      <p className="usa-intro">
        Upload the questionnaire workbook the vendor filled in. Rows are matched by their hidden question key; you see every change before anything is saved, and it is saved all
        at once or not at all.
      </p>
      <p>
        Vendor has not got the workbook yet?{' '}
        <a href={`/rfps/${rfp.id}/vendor-workbook.xlsx?submission=${submission.id}`} className="usa-link">
          Download it for {submission.vendor_name}
        </a>
        .
      </p>
      <FormErrorSummary errors={actionData?.errors ?? (problem ? formError(problem) : null)} />
      {editable ? (
        <Form method="post" encType="multipart/form-data" className="usa-form">
          <div className="usa-form-group">
            <label className="usa-label" htmlFor="file">
              Filled workbook (.xlsx)
            </label>
            <input className="usa-file-input" id="file" name="file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          </div>
          <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? 'Reading the workbook…' : 'Upload and preview'}
          </button>
        </Form>
      ) : (
        <p>Responses are locked while the RFP is not open.</p>
      )}
      {upload && preview ? (
        <section aria-labelledby="preview-heading" className="margin-top-4">
          <h2 id="preview-heading">Preview of {upload.fileName}</h2>
          <p role="status">
            {preview.counts.new} new, {preview.counts.changed} changed, {preview.counts.unchanged} unchanged
            {preview.counts.unknown_key ? `, ${preview.counts.unknown_key} unknown keys` : ''}
            {preview.counts.missing_required ? `, ${preview.counts.missing_required} required answers missing` : ''}
            {blocking.length ? `, ${blocking.length} rows to correct` : ''}. Nothing is saved until you confirm.
          </p>
          {preview.warnings.length ? (
            <ul className="usa-list">
              {preview.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          {preview.rows.length === 0 ? (
            <p>This workbook changes nothing: every answer is the same as recorded.</p>
          ) : (
            <div className="wb-table-wrap">
              <table className="usa-table usa-table--borderless usa-table--compact width-full">
                <caption className="usa-sr-only">What the import would do, row by row</caption>
                <thead>
                  <tr>
                    <th scope="col">Where</th>
                    <th scope="col">Key</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Recorded now</th>
                    <th scope="col">In the workbook</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r) => (
                    <tr key={`${r.sheet}-${r.row}-${r.key}`} className={['invalid_choice', 'invalid_number', 'too_long', 'duplicate_key'].includes(r.outcome) ? 'wb-row-error' : undefined}>
                      <td>{r.sheet ? `${r.sheet}, row ${r.row}` : 'not in the workbook'}</td>
                      <td>{r.key}</td>
                      <td>
                        {OUTCOME_LABELS[r.outcome] ?? r.outcome}
                        {r.message ? <div className="usa-hint">{r.message}</div> : null}
                      </td>
                      <td className="wb-pre">{String(r.old ?? '').slice(0, 300)}</td>
                      <td className="wb-pre">{String(r.value ?? '').slice(0, 300)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {editable && preview.canApply && preview.changes.length > 0 ? (
            <Form method="post" className="margin-top-2">
              <input type="hidden" name="intent" value="confirm" />
              <input type="hidden" name="upload" value={upload.id} />
              <button type="submit" className="usa-button">
                Import {preview.changes.length} answer{preview.changes.length === 1 ? '' : 's'}
              </button>
            </Form>
          ) : null}
          {!preview.canApply ? <p className="text-secondary-dark">Correct the rows marked above in the workbook, then upload it again.</p> : null}
        </section>
      ) : null}
    </>
  );
}
