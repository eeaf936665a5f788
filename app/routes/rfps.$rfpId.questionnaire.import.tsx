import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS } from '#app/import/import-fields';
import {
  COLLISION_CHOICES,
  type CollisionChoice,
  IMPORT_MAX_BYTES as MAX_BYTES,
  type ImportMapping,
  importMappingSchema,
  inspectGrid,
  loadUploadGrid,
  packUploadGrid,
  parseUpload,
  planOf,
  previewGrid,
  previousImports,
  resolveMaxQuestions,
  saveImport,
  sha256Of,
  UploadRejectedError,
} from '#app/import/questionnaire-import.server';
import { FileInput, FormErrorSummary } from '#app/components/form-fields';
import { assertQuestionnaireEditable } from '#app/rfp/locks.server';
import { ANSWER_TYPE_LABELS } from '#app/rfp/questionnaire-forms';
import { getDb, getPendingUpload, listQuestionKeys, savePendingUpload } from '#app/utils/db.server';
import { formError } from '#app/utils/form';
import { isMultipart, megabytes, readUploadedFile } from '#app/utils/upload.server';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import a questionnaire · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

const PREVIEW_LIMIT = 300;
const SKIPPED_LIMIT = 500;

/** The mapping chosen on the mapping form (query string or hidden fields); undefined when none was sent. */
function mappingFrom(params: URLSearchParams): ImportMapping | undefined {
  if (!params.has('sheet')) return undefined;
  const columns: Record<string, number> = {};
  for (const field of IMPORT_FIELDS) {
    const value = Number(params.get(`col_${field}`) ?? '');
    if (Number.isInteger(value) && value > 0) columns[field] = value;
  }
  const parsed = importMappingSchema.safeParse({
    sheet: params.get('sheet'),
    headerRow: Number(params.get('headerRow') ?? 1),
    columns,
    orientation: params.get('orientation') === 'columns' ? 'columns' : 'rows',
  });
  return parsed.success ? parsed.data : undefined;
}

/** What to do with keys already in the RFP (default: skip those rows). */
function collisionFrom(params: URLSearchParams): CollisionChoice {
  const value = params.get('onCollision');
  return COLLISION_CHOICES.find((c) => c === value) ?? 'skip';
}

function rejection(error: unknown) {
  if (error instanceof UploadRejectedError) return json({ errors: formError(error.message) }, { status: error.status });
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  const url = new URL(request.url);
  const uploadId = url.searchParams.get('upload');
  const base = { rfp: access.rfp, maxMb: Math.round(MAX_BYTES / 1_000_000), maxQuestions: resolveMaxQuestions(), editable: access.rfp.status === 'draft' };
  const none = { upload: null, inspect: null, mapping: null, preview: null, onCollision: 'skip' as CollisionChoice, earlier: [] };
  if (!uploadId) return json({ ...base, ...none, problem: null });
  const db = getDb();
  const upload = await getPendingUpload(db, { id: uploadId, rfpId: access.rfp.id, userId: access.user.id });
  if (!upload) return json({ ...base, ...none, problem: 'That upload has expired or is not yours. Upload the file again.' });
  try {
    const chosen = mappingFrom(url.searchParams);
    const onCollision = collisionFrom(url.searchParams);
    // Parsed once, when it was uploaded: every mapping change previews the stored grid.
    const grid = await loadUploadGrid(db, upload, { maxBytes: MAX_BYTES });
    const inspect = inspectGrid(grid, upload.file_name, { sheet: chosen?.sheet });
    const mapping = chosen ?? inspect.proposed;
    const preview = await previewGrid(grid, upload.file_name, planOf(mapping, onCollision), await listQuestionKeys(db, access.rfp.id), { maxBytes: MAX_BYTES });
    const earlier = upload.sha256 ? await previousImports(db, access.rfp.id, upload.sha256) : [];
    let shown = 0;
    const sections = preview.sections.map((s) => {
      const questions = s.questions.slice(0, Math.max(0, PREVIEW_LIMIT - shown));
      shown += questions.length;
      return { ...s, total: s.questions.length, questions };
    });
    // The page lists the first skipped rows; the count says how many there are.
    const skipped = { skipped: preview.skipped.slice(0, SKIPPED_LIMIT), skippedTotal: preview.skipped.length };
    return json({ ...base, upload: { id: upload.id, fileName: upload.file_name, size: upload.size }, inspect, mapping, onCollision, earlier, preview: { ...preview, ...skipped, sections }, problem: null });
  } catch (error) {
    if (error instanceof UploadRejectedError) {
      return json({ ...base, ...none, upload: { id: upload.id, fileName: upload.file_name, size: upload.size }, problem: error.message }, { status: error.status });
    }
    throw error;
  }
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
    let parsed;
    try {
      // Checked (type from the bytes, zip limits, macros, external links) and parsed, once, before it is kept at all.
      parsed = await parseUpload(bytes, fileName, { maxBytes: MAX_BYTES });
    } catch (error) {
      return rejection(error);
    }
    const id = await savePendingUpload(db, { rfpId: access.rfp.id, userId: access.user.id, fileName, bytes, grid: await packUploadGrid(parsed.grid), sha256: parsed.sha256 });
    return redirect(`${base}?upload=${id}`);
  }

  const form = await request.formData();
  if (form.get('intent') !== 'confirm') return json({ errors: formError('Upload a file first.') }, { status: 400 });
  const upload = await getPendingUpload(db, { id: String(form.get('upload') ?? ''), rfpId: access.rfp.id, userId: access.user.id });
  if (!upload) return json({ errors: formError('That upload has expired or is not yours. Upload the file again.') }, { status: 400 });
  const params2 = new URLSearchParams();
  for (const [key, value] of form.entries()) if (typeof value === 'string') params2.set(key, value);
  const mapping = mappingFrom(params2);
  if (!mapping) return json({ errors: formError('The column mapping is incomplete. Choose the sheet and the question column.') }, { status: 400 });
  // The preview is rebuilt on the server from the stored grid: what is saved is what the file says under this plan, not
  // what a browser sent; the fingerprint of the preview the officer saw only lets the server notice it changed since.
  let counts;
  try {
    const grid = await loadUploadGrid(db, upload, { maxBytes: MAX_BYTES });
    const expected = form.get('fingerprint');
    counts = await saveImport(
      db,
      access.rfp,
      { id: access.user.id, email: access.user.email },
      { id: upload.id, fileName: upload.file_name, size: upload.size, sha256: upload.sha256 ?? sha256Of(upload.bytes), grid },
      planOf(mapping, collisionFrom(params2)),
      { maxBytes: MAX_BYTES, expected: typeof expected === 'string' && expected !== '' ? expected : undefined },
    );
  } catch (error) {
    return rejection(error);
  }
  return redirect(`/rfps/${access.rfp.id}/questionnaire?imported=${counts.created + counts.updated}`);
}

export default function ImportQuestionnaire() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { rfp, upload, inspect, mapping, preview, problem, earlier, onCollision } = data;
  const headers = inspect?.headers ?? [];
  const columnOptions = headers.map((h, i) => ({ value: String(i + 1), label: `Column ${i + 1}${h ? `: ${h.slice(0, 60)}` : ''}` }));
  return (
    <>
      <Breadcrumbs trail={[{ to: `/rfps/${rfp.id}`, label: rfp.reference }, { to: `/rfps/${rfp.id}/questionnaire`, label: 'Questionnaire' }]} current={'Import'} />
      <h1>Import a questionnaire</h1>
      <p className="usa-intro">
        Bring in a questionnaire written elsewhere (.xlsx or .csv, {`up to ${data.maxMb} MB and ${data.maxQuestions.toLocaleString('en-US')} questions`}). You choose which columns hold what and see the result before anything is saved.
      </p>
      <FormErrorSummary errors={actionData?.errors ?? (problem ? formError(problem) : null)} />
      {!data.editable ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The questionnaire is locked while the RFP is not a draft.</p>
          </div>
        </div>
      ) : null}

      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">{upload ? `1. File: ${upload.fileName}` : '1. Upload the file'}</h2>
        <Form method="post" encType="multipart/form-data" className="usa-form">
          <div className="usa-form-group">
            <label className="usa-label" htmlFor="file">
              {upload ? 'Upload a different file' : 'Questionnaire file'}
            </label>
            <span className="usa-hint" id="file-hint">
              Excel workbook (.xlsx) or comma-separated values (.csv). Macro-enabled workbooks and workbooks with external links are refused.
            </span>
            <FileInput accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" describedBy="file-hint" required />
          </div>
          <button type="submit" className="usa-button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? 'Checking the file…' : 'Upload and preview'}
          </button>
        </Form>
      </section>

      {upload && inspect && mapping ? (
        <section aria-labelledby="mapping-heading" className="margin-top-4">
          <h2 id="mapping-heading">2. Which column holds what</h2>
          {inspect.warnings.length > 0 ? (
            <ul className="usa-list">
              {inspect.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          <Form method="get" className="usa-form usa-form--large">
            <input type="hidden" name="upload" value={upload.id} />
            <div className="usa-form-group">
              <label className="usa-label" htmlFor="sheet">
                Sheet
              </label>
              <select className="usa-select" id="sheet" name="sheet" defaultValue={mapping.sheet}>
                {inspect.sheets.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name} ({s.rowCount} rows{s.hidden ? ', hidden' : ''})
                  </option>
                ))}
              </select>
            </div>
            <div className="usa-form-group">
              <label className="usa-label" htmlFor="headerRow">
                Header row (0 if there is none)
              </label>
              <input className="usa-input usa-input--small" id="headerRow" name="headerRow" type="number" min={0} defaultValue={mapping.headerRow} />
            </div>
            <div className="usa-form-group">
              <label className="usa-label" htmlFor="orientation">
                Layout
              </label>
              <select className="usa-select" id="orientation" name="orientation" defaultValue={mapping.orientation ?? 'rows'}>
                <option value="rows">One question per row</option>
                <option value="columns">One question per column (sideways)</option>
              </select>
            </div>
            {IMPORT_FIELDS.map((field) => (
              <div className="usa-form-group" key={field}>
                <label className="usa-label" htmlFor={`col_${field}`}>
                  {IMPORT_FIELD_LABELS[field]}
                </label>
                <select className="usa-select" id={`col_${field}`} name={`col_${field}`} defaultValue={String(mapping.columns[field] ?? '')}>
                  <option value="">(not in this file)</option>
                  {columnOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div className="usa-form-group">
              <label className="usa-label" htmlFor="onCollision">
                Keys already used by questions of this RFP
              </label>
              <select className="usa-select" id="onCollision" name="onCollision" defaultValue={data.onCollision}>
                <option value="skip">Skip those rows</option>
                <option value="update">Update those questions</option>
                <option value="new_keys">Add them with new keys</option>
              </select>
            </div>
            <button type="submit" className="usa-button usa-button--outline">
              Update the preview
            </button>
          </Form>
        </section>
      ) : null}

      {upload && preview && mapping ? (
        <section aria-labelledby="preview-heading" className="margin-top-4">
          <h2 id="preview-heading">3. Preview</h2>
          <p role="status">
            {preview.sections.reduce((n, s) => n + s.total, 0)} questions in {preview.sections.length} sections from {preview.totalRows} rows; {preview.skippedTotal} rows skipped
            {preview.blankRows ? `, ${preview.blankRows} blank` : ''}. Nothing is saved until you confirm. {`One import takes at most ${data.maxQuestions.toLocaleString('en-US')} questions.`}
          </p>
          {earlier.length > 0 ? (
            <div className="usa-alert usa-alert--warning usa-alert--slim">
              <div className="usa-alert__body">
                <p className="usa-alert__text">
                  This file was already imported into {rfp.reference} on {earlier[earlier.length - 1]!.createdAt.slice(0, 10)}
                  {earlier[earlier.length - 1]!.actorEmail ? ` by ${earlier[earlier.length - 1]!.actorEmail}` : ''}. Keys already in the RFP are listed below.
                </p>
              </div>
            </div>
          ) : null}
          {preview.collisions.length > 0 ? (
            <p>
              {preview.collisions.length} key(s) of the file are already used by questions of this RFP (
              {preview.collisions
                .slice(0, 10)
                .map((c) => c.key)
                .join(', ')}
              {preview.collisions.length > 10 ? ', …' : ''}):{' '}
              {onCollision === 'update' ? 'those questions are updated.' : onCollision === 'new_keys' ? 'those rows are added with new keys.' : 'those rows are skipped.'}
            </p>
          ) : null}
          {preview.warnings.length > 0 ? (
            <div className="usa-alert usa-alert--warning usa-alert--slim">
              <div className="usa-alert__body">
                <ul className="usa-list">
                  {preview.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
          {preview.sections.map((s) => (
            <div key={s.title} className="wb-table-wrap">
              <table className="usa-table usa-table--borderless usa-table--compact width-full">
                <caption>
                  {s.title} ({s.total} questions{s.total > s.questions.length ? `, first ${s.questions.length} shown` : ''})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Key</th>
                    <th scope="col">Question</th>
                    <th scope="col">Type</th>
                    <th scope="col">Required</th>
                  </tr>
                </thead>
                <tbody>
                  {s.questions.map((q) => (
                    <tr key={`${q.row}-${q.key}`}>
                      <td>{q.row}</td>
                      <td>{q.key}</td>
                      <td className="wb-pre">{q.text.length > 400 ? `${q.text.slice(0, 400)}…` : q.text}</td>
                      <td>
                        {ANSWER_TYPE_LABELS[q.answerType]}
                        {q.options.length ? `: ${q.options.map((o) => o.label).join(' / ')}` : ''}
                      </td>
                      <td>{q.required ? 'Yes' : 'No'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
          {preview.skippedTotal > 0 ? (
            <details>
              <summary>
                Skipped rows and why ({preview.skippedTotal}
                {preview.skippedTotal > preview.skipped.length ? `, the first ${preview.skipped.length} listed` : ''})
              </summary>
              <ul className="usa-list">
                {preview.skipped.map((s) => (
                  <li key={`${s.row}-${s.reason}`}>
                    Row {s.row}: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {data.editable && preview.sections.length > 0 ? (
            <Form method="post" className="margin-top-3">
              <input type="hidden" name="intent" value="confirm" />
              <input type="hidden" name="upload" value={upload.id} />
              <input type="hidden" name="sheet" value={mapping.sheet} />
              <input type="hidden" name="headerRow" value={String(mapping.headerRow)} />
              <input type="hidden" name="orientation" value={mapping.orientation ?? 'rows'} />
              <input type="hidden" name="onCollision" value={onCollision} />
              <input type="hidden" name="fingerprint" value={preview.fingerprint} />
              {IMPORT_FIELDS.map((field) => (mapping.columns[field] ? <input key={field} type="hidden" name={`col_${field}`} value={String(mapping.columns[field])} /> : null))}
              <p>Each section becomes a section with one scored criterion of the same name; set its points and rubric in the builder afterwards.</p>
              <button type="submit" className="usa-button">
                Import {preview.sections.reduce((n, s) => n + s.total, 0)} questions
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
