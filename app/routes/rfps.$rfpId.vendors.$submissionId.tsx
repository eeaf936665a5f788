import { AnswerControl } from "#app/components/answer-control";
import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
} from "@remix-run/react";
import { z } from "zod";
import { ConfirmPanel } from "#app/components/confirm-panel";
import {
  FileInput,
  FormErrorSummary,
  SelectField,
  SuccessMessage,
  TextArea,
  TextField,
} from "#app/components/form-fields";
import { UploadRejectedError } from "#app/import/upload-guard.server";
import { answerFromForm } from "#app/responses/answer-input";
import {
  ACCEPTED_EVIDENCE,
  deleteEvidence,
  describeEvidenceType,
  MAX_EVIDENCE_BYTES,
  type StoredEvidence,
  storeEvidence,
} from "#app/responses/evidence-files.server";
import {
  SUBMISSION_STATUS_HINTS,
  SUBMISSION_STATUS_LABELS,
} from "#app/responses/labels";
import {
  assertResponsesEditable,
  responsesLock,
  withRfpLock,
} from "#app/rfp/locks.server";
import { ANSWER_TYPE_LABELS } from "#app/rfp/questionnaire-forms";
import {
  addAttachment,
  type AnswerValue,
  findPriceQuestion,
  getAnswers,
  getDb,
  getQuestionnaire,
  getSubmission,
  hasRecordedResponse,
  InvalidPriceError,
  newId,
  removeAttachment,
  replaceAttachment,
  saveAnswers,
  updateSubmission,
} from "#app/utils/db.server";
import { formatDate } from "#app/utils/format";
import { fieldError, formError, parseForm } from "#app/utils/form";
import {
  isMultipart,
  megabytes,
  readUploadedFile,
} from "#app/utils/upload.server";
import { notFound, requireRfpAccess } from "#app/utils/permissions.server";
import { Breadcrumbs } from "#app/components/breadcrumbs";
import { ResetAfterSuccessForm } from "#app/components/reset-after-success";
import { installationTimeZone, todayInZone } from "#app/utils/time-zone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.submission.vendor_name ?? "Vendor"} · ${
      data?.rfp.reference ?? ""
    } · AI Vendor Evaluation Workbench`,
  },
];

async function load(
  request: Request,
  params: { rfpId?: string; submissionId?: string }
) {
  const access = await requireRfpAccess(
    request,
    params.rfpId,
    "responses:manage"
  );
  const submission = await getSubmission(
    getDb(),
    access.rfp.id,
    params.submissionId ?? ""
  );
  if (!submission) notFound("Vendor response not found");
  return { access, submission };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, submission } = await load(request, params);
  const db = getDb();
  const [sections, answers, attachments, priceQuestion] = await Promise.all([
    getQuestionnaire(db, access.rfp.id),
    getAnswers(db, submission.id),
    db
      .selectFrom("attachment")
      .select([
        "id",
        "file_name",
        "media_type",
        "size",
        "sha256",
        "question_id",
        "uploaded_at",
      ])
      .where("submission_id", "=", submission.id)
      .orderBy("uploaded_at")
      .execute(),
    findPriceQuestion(db, access.rfp.id),
  ]);
  const url = new URL(request.url);
  const fileNamed = (id: string | null) =>
    attachments.find((a) => a.id === id) ?? null;
  const questions = sections.flatMap((s) =>
    s.criteria.flatMap((c) =>
      c.questions.map((q) => ({ ...q, sectionId: s.id }))
    )
  );
  const answerOf = (id: string): AnswerValue => answers.get(id) ?? null;
  return json({
    rfp: access.rfp,
    submission,
    editable: access.rfp.status === "open",
    sections: sections.map((s) => {
      const qs = s.criteria.flatMap((c) => c.questions);
      return {
        id: s.id,
        title: s.title,
        answered: qs.filter((q) => answerOf(q.id) !== null).length,
        total: qs.length,
        questions: qs.map((q) => ({
          id: q.id,
          key: q.key,
          text: q.text,
          guidance: q.guidance,
          answer_type: q.answer_type,
          options: q.options,
          required: q.required,
          value: answerOf(q.id),
          isPrice: q.id === priceQuestion?.id,
        })),
      };
    }),
    missingRequired: questions
      .filter((q) => q.required && answerOf(q.id) === null)
      .map((q) => ({ id: q.id, key: q.key, sectionId: q.sectionId })),
    attachments: attachments.map((a) => ({
      ...a,
      kind: describeEvidenceType(a.media_type),
      questionKey: questions.find((q) => q.id === a.question_id)?.key ?? null,
    })),
    questionChoices: questions
      .filter((q) => q.answer_type === "attachment")
      .map((q) => ({ value: q.id, label: `${q.key}: ${q.text.slice(0, 80)}` })),
    priceQuestion: priceQuestion
      ? {
          ...priceQuestion,
          sectionId:
            questions.find((q) => q.id === priceQuestion.id)?.sectionId ?? null,
        }
      : null,
    /** The file whose removal is being confirmed, and the one being replaced (from the page's address). */
    removing: fileNamed(url.searchParams.get("remove")),
    replacing: fileNamed(url.searchParams.get("replace")),
    maxEvidenceMb: Math.round(MAX_EVIDENCE_BYTES / 1024 / 1024),
    acceptedEvidence: ACCEPTED_EVIDENCE,
  });
}

const submissionSchema = z
  .object({
    intent: z.literal("submission"),
    status: z.enum(
      ["expected", "received", "responsive", "non_responsive", "withdrawn"],
      { error: "Choose a status." }
    ),
    statusReason: z.string().max(2000).default(""),
    receivedAt: z
      .string()
      .default("")
      .refine(
        (v) => v === "" || /^\d{4}-\d{2}-\d{2}$/.test(v),
        "Enter the date as YYYY-MM-DD."
      ),
    price: z
      .string()
      .default("")
      .refine(
        (v) => v.trim() === "" || /^\$?[\d,]+(\.\d{1,2})?$/.test(v.trim()),
        "Enter the price in dollars, e.g. 1,240,000."
      ),
  })
  .refine(
    (v) =>
      !(v.status === "non_responsive" || v.status === "withdrawn") ||
      v.statusReason.trim() !== "",
    {
      path: ["statusReason"],
      message: "Give the reason a response is non-responsive or withdrawn.",
    }
  )
  .refine((v) => v.status !== "expected" || v.receivedAt === "", {
    path: ["receivedAt"],
    message:
      "An expected response has not been received: clear the date, or choose Received.",
  })
  .refine((v) => v.status !== "expected" || v.price.trim() === "", {
    path: ["price"],
    message:
      "An expected response has no price yet: clear the price, or choose Received.",
  });

const attachmentSchema = z.object({
  attachmentId: z.string().min(1, "Choose a file."),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, submission } = await load(request, params);
  assertResponsesEditable(access.rfp);
  const db = getDb();
  const actor = { id: access.user.id, email: access.user.email };
  const back = `/rfps/${access.rfp.id}/vendors/${submission.id}`;

  if (isMultipart(request)) {
    const upload = await readUploadedFile(request, {
      maxBytes: MAX_EVIDENCE_BYTES,
      tooLarge: `The file is larger than the ${megabytes(
        MAX_EVIDENCE_BYTES
      )} limit for evidence.`,
      missing: "Choose a file to attach.",
      defaultName: "evidence",
    });
    if (!upload.ok)
      return json(
        { errors: formError(upload.message), message: null },
        { status: upload.status }
      );
    const { bytes, fileName, form } = upload.file;
    const replacing =
      form.get("intent") === "replace-attachment"
        ? String(form.get("attachmentId") ?? "")
        : null;
    const questionId = String(form.get("questionId") ?? "") || null;
    let stored: StoredEvidence;
    try {
      stored = storeEvidence(bytes, fileName);
    } catch (error) {
      if (error instanceof UploadRejectedError)
        return json(
          { errors: formError(error.message), message: null },
          { status: error.status }
        );
      throw error;
    }
    const file = {
      file_name: fileName,
      media_type: stored.mediaType,
      size: stored.size,
      sha256: stored.sha256,
      storage_key: stored.storageKey,
    };
    let replaced: string | undefined;
    try {
      replaced = await withRfpLock(
        db,
        access.rfp.id,
        responsesLock,
        async (trx) => {
          if (replacing !== null)
            return replaceAttachment(
              trx,
              actor,
              {
                rfpId: access.rfp.id,
                submissionId: submission.id,
                attachmentId: replacing,
              },
              file
            );
          const validQuestion = questionId
            ? await trx
                .selectFrom("question")
                .select("id")
                .where("rfp_id", "=", access.rfp.id)
                .where("id", "=", questionId)
                .executeTakeFirst()
            : undefined;
          await addAttachment(trx, actor, {
            id: newId(),
            rfp_id: access.rfp.id,
            submission_id: submission.id,
            question_id: validQuestion?.id ?? null,
            ...file,
            uploaded_by: actor.id,
            uploaded_at: new Date().toISOString(),
          });
          return undefined;
        }
      );
    } catch (error) {
      deleteEvidence(stored.storageKey); // nothing names the new file: refused or failed, it is not kept
      throw error;
    }
    if (replacing !== null) {
      if (replaced === undefined) {
        deleteEvidence(stored.storageKey);
        notFound(
          "That file is not part of this response (it may have been removed)."
        );
      }
      deleteEvidence(replaced);
      return redirect(
        `${back}?replaced=${encodeURIComponent(fileName)}#evidence-heading`
      );
    }
    return json({
      errors: null,
      message: `Attached ${fileName} (${describeEvidenceType(
        stored.mediaType
      )}, sha256 ${stored.sha256.slice(0, 12)}…).`,
    });
  }

  const form = await request.formData();
  if (form.get("intent") === "submission") {
    const parsed = parseForm(form, submissionSchema);
    if (!parsed.ok)
      return json({ errors: parsed.errors, message: null }, { status: 400 });
    const price =
      parsed.data.price.trim() === ""
        ? null
        : Number(parsed.data.price.replace(/[$,]/g, ""));
    if (price !== null && !(price > 0))
      return json(
        {
          errors: fieldError("price", "The price must be more than 0."),
          message: null,
        },
        { status: 400 }
      );
    const { status } = parsed.data;
    // A response that arrives is dated the day it is marked received (in the installation's zone), unless the officer gives its date.
    const arriving =
      submission.status === "expected" &&
      (status === "received" || status === "responsive");
    const receivedDate =
      parsed.data.receivedAt ||
      (arriving ? todayInZone(installationTimeZone()) : "");
    const refused = await withRfpLock(
      db,
      access.rfp.id,
      responsesLock,
      async (trx) => {
        if (
          status === "expected" &&
          (await hasRecordedResponse(trx, submission.id))
        ) {
          return "Answers or files of this response are recorded, so it is no longer expected. Choose another status.";
        }
        await updateSubmission(trx, actor, access.rfp.id, submission.id, {
          status,
          statusReason: parsed.data.statusReason.trim() || null,
          receivedAt: receivedDate ? `${receivedDate}T12:00:00.000Z` : null,
          price,
        });
        return null;
      }
    );
    if (refused)
      return json(
        { errors: fieldError("status", refused), message: null },
        { status: 400 }
      );
    return json({ errors: null, message: "Response details saved." });
  }

  if (form.get("intent") === "remove-attachment") {
    const parsed = parseForm(form, attachmentSchema);
    if (!parsed.ok)
      return json({ errors: parsed.errors, message: null }, { status: 400 });
    const removed = await withRfpLock(
      db,
      access.rfp.id,
      responsesLock,
      async (trx) => {
        const row = await trx
          .selectFrom("attachment")
          .select("file_name")
          .where("id", "=", parsed.data.attachmentId)
          .where("submission_id", "=", submission.id)
          .executeTakeFirst();
        const storageKey = await removeAttachment(trx, actor, {
          rfpId: access.rfp.id,
          submissionId: submission.id,
          attachmentId: parsed.data.attachmentId,
        });
        return storageKey === undefined || !row
          ? undefined
          : { storageKey, fileName: row.file_name };
      }
    );
    if (!removed)
      notFound(
        "That file is not part of this response (it may have been removed already)."
      );
    deleteEvidence(removed.storageKey);
    return redirect(
      `${back}?removed=${encodeURIComponent(removed.fileName)}#evidence-heading`
    );
  }

  if (form.get("intent") === "answers") {
    const sectionId = String(form.get("sectionId") ?? "");
    const section = (await getQuestionnaire(db, access.rfp.id)).find(
      (s) => s.id === sectionId
    );
    if (!section) notFound("Section not found");
    const priceQuestion = await findPriceQuestion(db, access.rfp.id);
    const values: Array<{ questionId: string; value: AnswerValue }> = [];
    const problems: Record<string, string[]> = {};
    for (const q of section.criteria.flatMap((c) => c.questions)) {
      // Only questions present in the posted form are touched: a stale or partial form cannot erase other answers.
      if (!form.has(`present-${q.id}`)) continue;
      const result = answerFromForm(
        { ...q, isPrice: q.id === priceQuestion?.id },
        form.getAll(`answer-${q.id}`).map(String)
      );
      if ("error" in result) problems[`answer-${q.id}`] = [result.error];
      else values.push({ questionId: q.id, value: result.value });
    }
    // Each problem links to its answer's field in the error summary.
    if (Object.keys(problems).length)
      return json(
        { errors: { fieldErrors: problems, formErrors: [] }, message: null },
        { status: 400 }
      );
    let changed: number;
    try {
      ({ changed } = await withRfpLock(
        db,
        access.rfp.id,
        responsesLock,
        (trx) =>
          saveAnswers(trx, actor, {
            rfpId: access.rfp.id,
            submissionId: submission.id,
            source: "manual",
            values,
          })
      ));
    } catch (error) {
      // The form checked the price already; this is the database's own refusal, reached only by a forged post.
      if (error instanceof InvalidPriceError)
        return json(
          { errors: formError(error.message), message: null },
          { status: 400 }
        );
      throw error;
    }
    return redirect(`${back}?section=${section.id}&saved=${changed}`);
  }
  return json(
    { errors: formError("Unknown action."), message: null },
    { status: 400 }
  );
}

export default function SubmissionPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { rfp, submission, sections, missingRequired, attachments, editable } =
    data;
  const current =
    sections.find((s) => s.id === searchParams.get("section")) ?? sections[0];
  const saved = searchParams.get("saved");
  const imported = searchParams.get("imported");
  const removed = searchParams.get("removed");
  const replaced = searchParams.get("replaced");
  const evidenceMessage =
    removed !== null
      ? `Removed ${removed}. The audit log keeps its name, size and SHA-256.`
      : replaced !== null
      ? `Replaced the file with ${replaced}. The audit log keeps both files’ details.`
      : null;
  const errors = actionData?.errors;
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: `/rfps/${rfp.id}`, label: rfp.reference },
          { to: `/rfps/${rfp.id}/vendors`, label: "Vendors" },
        ]}
        current={submission.vendor_name}
      />
      <h1>{submission.vendor_name}</h1>
      <p>
        {SUBMISSION_STATUS_LABELS[submission.status]} ·{" "}
        {submission.status === "expected"
          ? "no response recorded yet"
          : `received ${formatDate(submission.received_at)}`}
        {editable ? null : " · responses are locked while the RFP is not open"}
      </p>
      <FormErrorSummary errors={errors} />
      <SuccessMessage
        message={
          actionData?.message ??
          evidenceMessage ??
          (saved !== null
            ? `Saved: ${saved} answer${saved === "1" ? "" : "s"} changed.`
            : imported !== null
            ? `Imported the workbook: ${imported} answer${
                imported === "1" ? "" : "s"
              } changed.`
            : null)
        }
      />
      <p>
        <Link
          to={`/rfps/${rfp.id}/vendors/${submission.id}/import`}
          className="usa-button usa-button--outline"
        >
          Import this vendor’s filled workbook
        </Link>
        <Link
          to={`/rfps/${rfp.id}/vendor-workbook.xlsx?submission=${submission.id}`}
          reloadDocument
          className="usa-button usa-button--outline"
        >
          Download the workbook for {submission.vendor_name} (.xlsx)
        </Link>
        <Link
          to={`/rfps/${rfp.id}/vendors/${submission.id}/portal`}
          className="usa-button usa-button--outline"
        >
          Vendor portal contacts
        </Link>
      </p>
      <div className="grid-row grid-gap-lg">
        <aside
          className="grid-col-12 desktop:grid-col-3"
          aria-labelledby="sections-heading"
        >
          <h2 id="sections-heading">Sections</h2>
          <ul className="usa-sidenav">
            {sections.map((s) => (
              <li className="usa-sidenav__item" key={s.id}>
                <Link
                  to={`?section=${s.id}`}
                  className={s.id === current?.id ? "usa-current" : undefined}
                  aria-current={s.id === current?.id ? "page" : undefined}
                >
                  {s.title}{" "}
                  <span>
                    ({s.answered}/{s.total})
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          <h2>Missing required answers</h2>
          {missingRequired.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul className="usa-list">
              {missingRequired.map((m) => (
                <li key={m.id}>
                  <Link to={`?section=${m.sectionId}#q-${m.id}`}>{m.key}</Link>
                </li>
              ))}
            </ul>
          )}
        </aside>
        <div className="grid-col-12 desktop:grid-col-9">
          {current ? (
            // Keyed by the saved answers, so a value saved elsewhere (the price, from Response details) is shown, not a stale default.
            <Form
              method="post"
              className="usa-form usa-form--large wb-wide-form"
              data-unsaved-warning={`Answers in ${current.title}`}
              key={`${current.id}|${JSON.stringify(
                current.questions.map((q) => q.value)
              )}`}
            >
              <input type="hidden" name="intent" value="answers" />
              <input type="hidden" name="sectionId" value={current.id} />
              <h2>{current.title}</h2>
              {current.questions.map((q) => (
                <div
                  className="usa-form-group wb-answer-block"
                  key={q.id}
                  id={`q-${q.id}`}
                >
                  <input type="hidden" name={`present-${q.id}`} value="1" />
                  <label
                    className="usa-label"
                    htmlFor={
                      q.answer_type === "multi_choice"
                        ? undefined
                        : `answer-${q.id}`
                    }
                    id={`label-${q.id}`}
                  >
                    <strong>{q.key}</strong>{" "}
                    <span className="wb-pre">{q.text}</span>
                    {q.required ? " (required)" : " (optional)"}
                  </label>
                  <div className="usa-hint">
                    {ANSWER_TYPE_LABELS[q.answer_type]}
                    {q.isPrice
                      ? " · the vendor’s total price in dollars, more than 0; it is the price recorded in Response details"
                      : ""}
                    {q.guidance ? ` · ${q.guidance}` : ""}
                  </div>
                  {q.answer_type === "multi_choice" ? (
                    <fieldset
                      className="usa-fieldset"
                      aria-labelledby={`label-${q.id}`}
                    >
                      <AnswerControl name={`answer-${q.id}`} answerType={q.answer_type} options={q.options} value={q.value} disabled={!editable} />
                    </fieldset>
                  ) : (
                    <AnswerControl name={`answer-${q.id}`} answerType={q.answer_type} options={q.options} value={q.value} disabled={!editable} />
                  )}
                </div>
              ))}
              {editable ? (
                <button type="submit" className="usa-button">
                  Save {current.title}
                </button>
              ) : null}
            </Form>
          ) : (
            <p>The questionnaire has no sections yet.</p>
          )}
          <section aria-labelledby="details-heading" className="margin-top-4">
            <h2 id="details-heading">Response details</h2>
            {/* Keyed by what it shows: saving answers can receive the response or record its price, and the fields'
                defaults must then show the new values rather than keep the old ones. */}
            <Form
              method="post"
              className="usa-form"
              noValidate
              data-unsaved-warning="Response details"
              key={`${submission.status}|${submission.received_at ?? ""}|${
                submission.price ?? ""
              }`}
            >
              <input type="hidden" name="intent" value="submission" />
              <SelectField
                name="status"
                label="Status"
                hint={`Now: ${
                  SUBMISSION_STATUS_HINTS[submission.status]
                }. A response is expected until an answer or a file of it is recorded; non-responsive and withdrawn responses are not evaluated.`}
                options={Object.entries(SUBMISSION_STATUS_LABELS).map(
                  ([value, label]) => ({ value, label })
                )}
                defaultValue={submission.status}
                errors={errors?.fieldErrors.status}
              />
              <TextArea
                name="statusReason"
                label="Reason (required for non-responsive or withdrawn)"
                defaultValue={submission.status_reason ?? ""}
                errors={errors?.fieldErrors.statusReason}
              />
              <TextField
                name="receivedAt"
                label="Received on"
                type="date"
                defaultValue={submission.received_at?.slice(0, 10) ?? ""}
                errors={errors?.fieldErrors.receivedAt}
              />
              <TextField
                name="price"
                label="Total price for the contract term (US dollars)"
                hint={
                  data.priceQuestion
                    ? `The same value as the answer to ${data.priceQuestion.key}: changing either changes both. More than 0.`
                    : "No question of the questionnaire asks for the price, so it is recorded here only. More than 0."
                }
                defaultValue={
                  submission.price === null ? "" : String(submission.price)
                }
                errors={errors?.fieldErrors.price}
              />
              {editable ? (
                <button type="submit" className="usa-button">
                  Save details
                </button>
              ) : null}
            </Form>
          </section>
          <section aria-labelledby="evidence-heading" className="margin-top-4">
            <h2 id="evidence-heading">Evidence</h2>
            {attachments.length === 0 ? (
              <p>No files yet.</p>
            ) : (
              <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked wb-compact-stack width-full">
                <caption className="usa-sr-only">Evidence files</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">For</th>
                    <th scope="col">Type and size</th>
                    <th scope="col">SHA-256</th>
                    {editable ? (
                      <th scope="col">
                        <span className="usa-sr-only">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {attachments.map((a) => (
                    <tr key={a.id}>
                      <th scope="row" data-label="File">
                        <a
                          href={`/rfps/${rfp.id}/attachments/${a.id}`}
                          className="usa-link"
                        >
                          {a.file_name}
                        </a>
                      </th>
                      <td data-label="For">
                        {a.questionKey ?? "Whole response"}
                      </td>
                      <td data-label="Type and size">
                        {a.kind}, {(a.size / 1024).toFixed(1)} KB
                      </td>
                      <td data-label="SHA-256">
                        <code>{a.sha256.slice(0, 16)}…</code>
                      </td>
                      {editable ? (
                        <td className="text-no-wrap" data-label="Change">
                          <Link
                            to={`?replace=${a.id}#evidence-heading`}
                            className="usa-link margin-right-2"
                            aria-label={`Replace ${a.file_name}`}
                          >
                            Replace
                          </Link>
                          <Link
                            to={`?remove=${a.id}#evidence-heading`}
                            className="usa-link text-secondary-dark"
                            aria-label={`Remove ${a.file_name}`}
                          >
                            Remove
                          </Link>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {editable && data.removing ? (
              <ConfirmPanel
                title={`Remove ${data.removing.file_name}?`}
                fields={{
                  intent: "remove-attachment",
                  attachmentId: data.removing.id,
                }}
                cancelTo="?#evidence-heading"
                confirmLabel="Remove the file"
              >
                <p>
                  The file leaves this response and evaluators will not see it.
                  The audit log keeps its name, size and SHA-256 (
                  {data.removing.sha256.slice(0, 12)}…).
                </p>
              </ConfirmPanel>
            ) : null}
            {editable && data.replacing ? (
              <Form
                method="post"
                encType="multipart/form-data"
                className="usa-form margin-bottom-3"
                aria-labelledby="replace-heading"
              >
                <input type="hidden" name="intent" value="replace-attachment" />
                <input
                  type="hidden"
                  name="attachmentId"
                  value={data.replacing.id}
                />
                <h3 id="replace-heading">Replace {data.replacing.file_name}</h3>
                <div className="usa-form-group">
                  <label className="usa-label" htmlFor="replacement">
                    New file
                  </label>
                  <span className="usa-hint" id="replacement-hint">
                    It takes the old file’s place (and question); the audit log
                    keeps both files’ details. {data.acceptedEvidence}; up to{" "}
                    {data.maxEvidenceMb} MB.
                  </span>
                  <FileInput
                    id="replacement"
                    describedBy="replacement-hint"
                    required
                  />
                </div>
                <button type="submit" className="usa-button">
                  Replace file
                </button>
                <Link
                  to="?#evidence-heading"
                  className="usa-button usa-button--outline"
                >
                  Cancel
                </Link>
              </Form>
            ) : null}
            {editable && !data.replacing ? (
              // After an upload the file input is empty again, so the same file is not attached twice by mistake.
              <ResetAfterSuccessForm
                method="post"
                encType="multipart/form-data"
                className="usa-form"
              >
                <div className="usa-form-group">
                  <label className="usa-label" htmlFor="file">
                    Attach a file
                  </label>
                  <span className="usa-hint" id="file-hint">
                    {data.acceptedEvidence}; up to {data.maxEvidenceMb} MB. The
                    type is checked from the file’s content.
                  </span>
                  <FileInput describedBy="file-hint" required />
                </div>
                <SelectField
                  name="questionId"
                  label="For question (optional)"
                  placeholder="Whole response"
                  options={data.questionChoices}
                />
                <button type="submit" className="usa-button">
                  Attach file
                </button>
              </ResetAfterSuccessForm>
            ) : null}
          </section>
        </div>
      </div>
    </>
  );
}
