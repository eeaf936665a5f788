import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { FileInput, FormErrorSummary, TextArea } from '#app/components/form-fields';
import { TextDiff } from '#app/components/text-diff';
import { IMPORT_MAX_BYTES, UploadRejectedError } from '#app/import/questionnaire-import.server';
import { answerToText } from '#app/responses/answer-input';
import { applyVendorImport, previewVendorImport } from '#app/responses/vendor-import.server';
import type { ImportFlag, ImportFlagCode } from '#app/xlsx/vendor-response-import.server';
import { assertResponsesEditable, responsesLock, withRfpLock } from '#app/rfp/locks.server';
import { type AnswerValue, deletePendingUpload, getDb, getPendingUpload, getSubmission, savePendingUpload } from '#app/utils/db.server';
import { fieldError, formError, parseForm } from '#app/utils/form';
import { isMultipart, megabytes, readUploadedFile } from '#app/utils/upload.server';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';

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
  invalid_price: 'Price not more than 0',
  duplicate_key: 'Key appears twice',
};

const FLAG_LABELS: Record<ImportFlagCode, string> = {
  unsigned: 'No signature',
  bad_signature: 'Signature does not match',
  other_rfp: 'Issued for another RFP',
  other_version: 'Another questionnaire version',
  other_vendor: 'Issued to another vendor',
  question_edited: 'Question text edited in the workbook',
  options_edited: 'Answer type or options edited in the workbook',
  question_changed_since_issue: 'Question changed since the workbook was issued',
  options_changed_since_issue: 'Options changed since the workbook was issued',
  not_issued: 'Row not in the workbook as issued',
};

const BLOCKING = ['invalid_choice', 'invalid_number', 'invalid_price', 'too_long', 'duplicate_key'];

const confirmSchema = z.object({
  intent: z.literal('confirm'),
  upload: z.string().min(1),
  flagsDigest: z.string().default(''),
  acceptFlags: z.literal('yes').optional(),
  reason: z.string().trim().max(2000, 'The reason must be at most 2,000 characters.').default(''),
});

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
    const preview = await previewVendorImport(db, access.rfp, submission, upload.bytes, upload.file_name);
    return json({
      ...base,
      upload: { id: upload.id, fileName: upload.file_name },
      preview: {
        ...preview,
        // A re-import shows what it would change (and every flagged row); unchanged rows are otherwise only counted.
        rows: preview.rows
          .filter((r) => r.outcome !== 'unchanged' || r.flags.length > 0)
          .map((r) => ({ ...r, old: answerToText((r.old ?? null) as AnswerValue), value: answerToText((r.value ?? null) as AnswerValue) })),
        flaggedRows: preview.rows.filter((r) => r.flags.length > 0).length,
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
      const preview = await previewVendorImport(db, access.rfp, submission, bytes, fileName);
      if (preview.refused) return json({ errors: formError(preview.refused) }, { status: 422 });
    } catch (error) {
      if (error instanceof UploadRejectedError) return json({ errors: formError(error.message) }, { status: error.status });
      throw error;
    }
    const id = await savePendingUpload(db, { rfpId: access.rfp.id, userId: access.user.id, fileName, bytes, purpose: 'vendor-workbook' });
    return redirect(`${base}/import?upload=${id}`);
  }
  const parsed = parseForm(await request.formData(), confirmSchema);
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
  const upload = await getPendingUpload(db, { id: parsed.data.upload, rfpId: access.rfp.id, userId: access.user.id });
  if (!upload) return json({ errors: formError('That upload has expired or is not yours. Upload the workbook again.') }, { status: 400 });
  // Compare again on the server against the answers as they are now: what is saved is exactly what the file says.
  const preview = await previewVendorImport(db, access.rfp, submission, upload.bytes, upload.file_name);
  if (!preview.canApply) return json({ errors: formError(preview.refused ?? 'Correct the rows marked in red in the workbook, then upload it again.') }, { status: 400 });
  if (preview.flagged) {
    if (parsed.data.acceptFlags !== 'yes') {
      return json({ errors: fieldError('acceptFlags', 'This workbook is flagged. Tick “Accept the flagged workbook” and give a reason to import it, or ask the vendor for a correct workbook.') }, { status: 400 });
    }
    if (parsed.data.reason === '') return json({ errors: fieldError('reason', 'Give the reason for accepting the flagged workbook; it is kept in the audit log.') }, { status: 400 });
    // The acceptance covers the flags the lead was shown, and only those.
    if (parsed.data.flagsDigest !== preview.flagsDigest) {
      return json({ errors: formError('The flags on this workbook are not the ones you accepted (the questionnaire changed since the preview). Review the preview again.') }, { status: 409 });
    }
  }
  const actor = { id: access.user.id, email: access.user.email };
  const acceptance = preview.flagged ? { reason: parsed.data.reason } : undefined;
  const result = await withRfpLock(db, access.rfp.id, responsesLock, async (trx, rfp) => {
    // The submission as it is now (its price is kept unless the workbook sets one).
    const current = await getSubmission(trx, rfp.id, submission.id);
    if (!current) notFound('Vendor response not found');
    const applied = await applyVendorImport(trx, actor, rfp, current, preview, upload.file_name, acceptance);
    await deletePendingUpload(trx, upload.id);
    return applied;
  });
  return redirect(`${base}?imported=${result.changed}`);
}

export default function ImportVendorWorkbook() {
  const { rfp, submission, upload, preview, problem, editable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const blocking = preview ? preview.rows.filter((r) => BLOCKING.includes(r.outcome)) : [];
  const fieldErrors = actionData?.errors.fieldErrors ?? {};
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
        . It is issued to {submission.vendor_name} and signed: if the questions in it are edited, or it is imported on another vendor’s page, the import says so.
      </p>
      <FormErrorSummary errors={actionData?.errors ?? (problem ? formError(problem) : null)} />
      {editable ? (
        <ResetAfterSuccessForm method="post" encType="multipart/form-data" className="usa-form">
          <div className="usa-form-group">
            <label className="usa-label" htmlFor="file">
              Filled workbook (.xlsx)
            </label>
            <FileInput accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          </div>
          <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? 'Reading the workbook…' : 'Upload and preview'}
          </button>
        </ResetAfterSuccessForm>
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
            {blocking.length ? `, ${blocking.length} rows to correct` : ''}
            {preview.flaggedRows ? `, ${preview.flaggedRows} flagged rows` : ''}. Nothing is saved until you confirm.
          </p>
          <p>
            {preview.signature === 'valid'
              ? preview.issuedTo
                ? `Signature verified: this workbook was issued by this workbench to ${preview.issuedTo.name}.`
                : 'Signature verified: this is the blank workbook issued by this workbench.'
              : null}
          </p>
          {preview.workbookFlags.length ? (
            <div className="usa-alert usa-alert--warning" role="region" aria-labelledby="workbook-flags-heading">
              <div className="usa-alert__body">
                <h3 className="usa-alert__heading" id="workbook-flags-heading">
                  This workbook is flagged: every row is refused unless you accept it
                </h3>
                <ul className="usa-list">
                  {preview.workbookFlags.map((f) => (
                    <li key={f.code}>
                      <strong>{FLAG_LABELS[f.code]}.</strong> {f.message}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
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
                    <tr
                      key={`${r.sheet}-${r.row}-${r.key}`}
                      className={BLOCKING.includes(r.outcome) ? 'wb-row-error' : r.flags.length > 0 ? 'wb-row-flagged' : undefined}
                    >
                      <td>{r.sheet ? `${r.sheet}, row ${r.row}` : 'not in the workbook'}</td>
                      <td>{r.key}</td>
                      <td>
                        {OUTCOME_LABELS[r.outcome] ?? r.outcome}
                        {r.message ? <div className="usa-hint">{r.message}</div> : null}
                        {r.flags.map((f) => (
                          <RowFlag key={f.code} flag={f} />
                        ))}
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
            <Form method="post" className="usa-form usa-form--large margin-top-2" data-unsaved-warning="The reason for accepting the flagged workbook">
              <input type="hidden" name="intent" value="confirm" />
              <input type="hidden" name="upload" value={upload.id} />
              <input type="hidden" name="flagsDigest" value={preview.flagsDigest} />
              {preview.flagged ? (
                <fieldset className="usa-fieldset">
                  <legend className="usa-legend">Accept the flags</legend>
                  <p>
                    Nothing flagged above is imported unless you accept it. Accept only when you know why the workbook differs (for example, the vendor confirmed in writing
                    that they answered the current questions). Your name, the reason and the flags are kept in the audit log.
                  </p>
                  <div className={`usa-form-group${fieldErrors.acceptFlags ? ' usa-form-group--error' : ''}`}>
                    {fieldErrors.acceptFlags ? (
                      <span className="usa-error-message" id="acceptFlags-error" role="alert">
                        {fieldErrors.acceptFlags.join(' ')}
                      </span>
                    ) : null}
                    <div className="usa-checkbox">
                      <input
                        className="usa-checkbox__input"
                        id="acceptFlags"
                        name="acceptFlags"
                        type="checkbox"
                        value="yes"
                        aria-describedby={fieldErrors.acceptFlags ? 'acceptFlags-error' : undefined}
                      />
                      <label className="usa-checkbox__label" htmlFor="acceptFlags">
                        Accept the flagged workbook and import it as it is
                      </label>
                    </div>
                  </div>
                  <TextArea name="reason" label="Reason for accepting" hint="Recorded in the audit log with the flags." maxLength={2000} errors={fieldErrors.reason} />
                </fieldset>
              ) : null}
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

function RowFlag({ flag }: { flag: ImportFlag }) {
  return (
    <div className="margin-top-1">
      <strong>{FLAG_LABELS[flag.code]}.</strong> {flag.message}
      {flag.before !== undefined && flag.after !== undefined ? (
        <TextDiff before={flag.before} after={flag.after} beforeLabel={flag.beforeLabel ?? 'before'} afterLabel={flag.afterLabel ?? 'after'} />
      ) : null}
    </div>
  );
}
