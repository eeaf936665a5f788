import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { FileInput, FormErrorSummary } from '#app/components/form-fields';
import { Collisions } from '#app/components/import/collisions';
import { CodeTable, PreviewSummary, QuestionsTable, RowFatesTable, SectionTree, SharesTable } from '#app/components/import/preview-tables';
import { SheetChooser } from '#app/components/import/sheet-chooser';
import { SheetMapping } from '#app/components/import/sheet-mapping';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { confirmImport, loadImportPage, updatePlan } from '#app/import/import-page.server';
import { IMPORT_MAX_BYTES as MAX_BYTES, packUploadGrid, parseUpload, resolveMaxQuestions, UploadRejectedError } from '#app/import/questionnaire-import.server';
import { assertQuestionnaireEditable } from '#app/rfp/locks.server';
import { getDb, savePendingUpload } from '#app/utils/db.server';
import { formError } from '#app/utils/form';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { isMultipart, megabytes, readUploadedFile } from '#app/utils/upload.server';
import { plural } from '#app/utils/wording';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Import a questionnaire · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` },
];

function rejection(error: unknown) {
  if (error instanceof UploadRejectedError) return json({ errors: formError(error.message) }, { status: error.status });
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  const base = { rfp: access.rfp, maxMb: Math.round(MAX_BYTES / 1_000_000), maxQuestions: resolveMaxQuestions(), editable: access.rfp.status === 'draft' };
  const page = await loadImportPage(getDb(), access.rfp, access.user, new URL(request.url).searchParams);
  return json({ ...base, page }, { status: page.status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  assertQuestionnaireEditable(access.rfp);
  const db = getDb();
  const base = `/rfps/${access.rfp.id}/questionnaire/import`;
  if (isMultipart(request)) {
    const upload = await readUploadedFile(request, {
      maxBytes: MAX_BYTES,
      tooLarge: `The file is larger than the ${megabytes(MAX_BYTES)} limit.`,
      missing: 'Choose an .xlsx or .csv file to upload.',
      defaultName: 'upload',
    });
    if (!upload.ok) return json({ errors: formError(upload.message) }, { status: upload.status });
    const { bytes, fileName } = upload.file;
    try {
      // Checked (type from the bytes, zip limits, macros, external links) and parsed, once, before it is kept at all.
      const parsed = await parseUpload(bytes, fileName, { maxBytes: MAX_BYTES });
      const id = await savePendingUpload(db, {
        rfpId: access.rfp.id,
        userId: access.user.id,
        fileName,
        bytes,
        grid: await packUploadGrid(parsed.grid),
        sha256: parsed.sha256,
      });
      return redirect(`${base}?upload=${id}`);
    } catch (error) {
      return rejection(error);
    }
  }

  const form = new URLSearchParams();
  for (const [key, value] of (await request.formData()).entries()) if (typeof value === 'string') form.append(key, value);
  try {
    const intent = form.get('intent');
    if (intent === 'update') {
      const outcome = await updatePlan(db, access.rfp, access.user, form);
      return outcome.ok ? redirect(`${base}?${outcome.query}`) : json({ errors: { fieldErrors: {}, formErrors: outcome.problems } }, { status: 400 });
    }
    if (intent === 'confirm') {
      const saved = await confirmImport(db, access.rfp, access.user, form);
      return redirect(`/rfps/${access.rfp.id}/questionnaire?${saved.query}`);
    }
    return json({ errors: formError('Upload a file first.') }, { status: 400 });
  } catch (error) {
    return rejection(error);
  }
}

export default function ImportQuestionnaire() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { rfp, page } = data;
  const busy = navigation.state === 'submitting';
  const intent = navigation.formData?.get('intent');
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: `/rfps/${rfp.id}`, label: rfp.reference },
          { to: `/rfps/${rfp.id}/questionnaire`, label: 'Questionnaire' },
        ]}
        current={'Import'}
      />
      <h1>Import a questionnaire</h1>
      <p className="usa-intro">
        Bring in a questionnaire written elsewhere (.xlsx or .csv, {`up to ${data.maxMb} MB and ${data.maxQuestions.toLocaleString('en-US')} questions`}
        ). You choose the sheets and which columns hold what, and see the result before anything is saved.
      </p>
      <FormErrorSummary errors={actionData?.errors ?? (page.problem ? formError(page.problem) : null)} />
      {!data.editable ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The questionnaire is locked while the RFP is not a draft.</p>
          </div>
        </div>
      ) : null}

      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">{page.upload ? `1. File: ${page.upload.fileName}` : '1. Upload the file'}</h2>
        {page.alreadyImported ? (
          <div className="usa-alert usa-alert--warning usa-alert--slim" role="status">
            <div className="usa-alert__body">
              <p className="usa-alert__text">{page.alreadyImported}</p>
            </div>
          </div>
        ) : null}
        <ResetAfterSuccessForm method="post" encType="multipart/form-data" className="usa-form">
          <div className="usa-form-group">
            <label className="usa-label" htmlFor="file">
              {page.upload ? 'Upload a different file' : 'Questionnaire file'}
            </label>
            <span className="usa-hint" id="file-hint">
              Excel workbook (.xlsx) or comma-separated values (.csv). Macro-enabled workbooks and workbooks with external links are refused.
            </span>
            <FileInput accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" describedBy="file-hint" required />
          </div>
          <button type="submit" className="usa-button" disabled={busy}>
            {busy && !intent ? 'Reading the file…' : 'Upload and preview'}
          </button>
        </ResetAfterSuccessForm>
      </section>

      {page.upload && page.mapping ? (
        <Form method="post" className="wb-import-plan" id="import-plan">
          <input type="hidden" name="upload" value={page.upload.id} />
          <section aria-labelledby="mapping-heading" className="margin-top-4">
            <h2 id="mapping-heading">2. Sheets and columns</h2>
            {page.mapping.warnings.length > 0 ? (
              <ul className="usa-list">
                {page.mapping.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            <SheetChooser sheets={page.mapping.sheets} />
            {page.mapping.forms.map((sheet) => (
              <SheetMapping key={sheet.index} sheet={sheet} />
            ))}
            <button type="submit" name="intent" value="update" className="usa-button usa-button--outline margin-top-3" disabled={busy}>
              {busy && intent === 'update' ? 'Updating the preview…' : 'Update the preview'}
            </button>
          </section>

          {page.preview ? (
            <section aria-labelledby="preview-heading" className="margin-top-4">
              <h2 id="preview-heading">3. Preview</h2>
              <PreviewSummary view={page.preview} maxQuestions={data.maxQuestions} />
              {page.preview.warnings.length > 0 ? (
                <div className="usa-alert usa-alert--warning usa-alert--slim">
                  <div className="usa-alert__body">
                    <ul className="usa-list">
                      {page.preview.warnings.map((w) => (
                        <li key={w}>{w}</li>
                      ))}
                    </ul>
                  </div>
                </div>
              ) : null}
              <SectionTree view={page.preview} />
              <CodeTable view={page.preview} />
              <SharesTable view={page.preview} />
              <Collisions view={page.preview} choice={page.onCollision} />
              {page.preview.codes.length + page.preview.shares.length > 0 || page.preview.collisions.length > 0 ? (
                <button type="submit" name="intent" value="update" className="usa-button usa-button--outline margin-top-2" disabled={busy}>
                  Update the preview
                </button>
              ) : null}
              <QuestionsTable view={page.preview} />
              <RowFatesTable view={page.preview} />
            </section>
          ) : null}
        </Form>
      ) : null}

      {data.editable && page.upload && page.preview && page.preview.counts.questions > 0 ? (
        <Form method="post" className="margin-top-3" id="import-confirm" aria-labelledby="confirm-heading">
          <h2 id="confirm-heading">4. Import</h2>
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="upload" value={page.upload.id} />
          <input type="hidden" name="fingerprint" value={page.preview.fingerprint} />
          <p id="confirm-hint">Imports exactly the preview above, all or nothing. If you changed a choice above, update the preview first.</p>
          <button type="submit" className="usa-button" disabled={busy} aria-describedby="confirm-hint">
            {busy && intent === 'confirm' ? 'Importing…' : `Import ${plural(page.preview.counts.questions, 'question')}`}
          </button>
        </Form>
      ) : null}
    </>
  );
}
