import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { FormErrorSummary, SuccessMessage, TextArea } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { mailOrigin } from '#app/mail/origin.server';
import { getDb } from '#app/utils/db.server';
import { formError } from '#app/utils/form';
import { notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { ANSWER_MAX_CHARS, QUESTION_MAX_CHARS } from '#app/vendor-portal/qa-limits';
import { answerVendorQuestion, leadQuestionsPage, publishQaAddendum } from '#app/vendor-portal/questions-lead.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Vendor questions · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

/**
 * The lead's Q&A page (issue 15, item 5): every vendor question with who asked, the answers, and the publication of
 * answered questions as a numbered addendum mailed to every invited vendor. The permission is the one that manages the
 * RFP's vendors and their portal contacts.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  return json({ rfp: access.rfp, tabs: rfpTabs(access.rfp.id, access.permissions), ...(await leadQuestionsPage(getDb(), access.rfp)) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'responses:manage');
  const formData = await request.formData();
  const intent = formData.get('intent');
  const questionId = typeof formData.get('questionId') === 'string' ? String(formData.get('questionId')) : null;
  const actor = { id: access.user.id, email: access.user.email };
  const outcome =
    intent === 'answer'
      ? await answerVendorQuestion(getDb(), actor, access.rfp.id, formData)
      : intent === 'publish'
        ? await publishQaAddendum(getDb(), actor, access.rfp.id, formData, mailOrigin(request))
        : ({ ok: false, status: 400, errors: formError('Choose what to do: save an answer, or publish an addendum.') } as const);
  if (!outcome.ok) {
    if (outcome.status === 404) notFound(outcome.errors.formErrors[0]);
    return json({ intent, questionId, errors: outcome.errors, message: null }, { status: outcome.status });
  }
  return json({ intent, questionId, errors: null, message: outcome.message });
}

export default function LeadQuestions() {
  const { rfp, tabs, questionsDue, lock, nextAddendum, counts, questions, addenda } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const publishable = questions.filter((q) => q.addendumNumber === null && q.answer !== null);
  const answerErrorsFor = (id: string) => (actionData?.intent === 'answer' && actionData.questionId === id ? actionData.errors : null);
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Vendor questions</h2>
      <p>
        {`${questionsDue ? `Vendors may ask until ${questionsDue}.` : 'No deadline for questions is set: vendors may ask while the RFP is open.'} An answer reaches vendors only when you publish it in a Q&A addendum, which goes to every invited vendor and never names who asked.`}
      </p>
      <p>{`${counts.total} ${counts.total === 1 ? 'question' : 'questions'}: ${counts.awaiting} awaiting an answer, ${counts.publishable} answered and not yet published, ${counts.published} published.`}</p>
      {lock ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{lock}</p>
          </div>
        </div>
      ) : null}
      {actionData?.intent === 'answer' ? <SuccessMessage message={actionData.message} /> : null}
      {actionData?.intent !== 'answer' && actionData?.intent !== 'publish' && actionData?.errors ? <FormErrorSummary errors={actionData.errors} /> : null}

      {questions.length === 0 ? (
        <p>No vendor has asked a question yet.</p>
      ) : (
        <ol className="usa-list usa-list--unstyled wb-qa-list">
          {questions.map((q, i) => (
            <li key={q.id} className="wb-qa-item">
              <h3 id={`q-${q.id}`} className="margin-bottom-05">
                {`Question ${i + 1} from ${q.vendorName}`}
              </h3>
              <p className="margin-y-05">
                {q.addendumNumber !== null ? (
                  <span className="usa-tag wb-qa--published">{`Published in addendum ${q.addendumNumber}`}</span>
                ) : q.answer !== null ? (
                  <span className="usa-tag wb-qa--answered">Answered, not yet published</span>
                ) : (
                  <span className="usa-tag wb-qa--awaiting">Awaiting answer</span>
                )}{' '}
                <span className="usa-hint">{`Asked by ${q.askedBy}, ${q.asked}${q.questionKey ? ` · about ${q.questionKey}` : ' · about the RFP in general'}`}</span>
              </p>
              <p className="text-bold margin-top-105 margin-bottom-05">As asked</p>
              <p className="wb-pre margin-y-05">{q.text}</p>
              {q.addendumNumber !== null || lock ? (
                <>
                  {q.publishedText ? (
                    <>
                      <p className="text-bold margin-top-105 margin-bottom-05">As published</p>
                      <p className="wb-pre margin-y-05">{q.publishedText}</p>
                    </>
                  ) : null}
                  <p className="text-bold margin-top-105 margin-bottom-05">Answer</p>
                  <p className="wb-pre margin-y-05">{q.answer ?? 'Not answered.'}</p>
                  {q.answered ? <p className="usa-hint margin-y-05">{`Answered by ${q.answered}`}</p> : null}
                </>
              ) : (
                // Remounted when the saved answer changes, so the fields show what is saved now.
                <Form method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The answer" key={`${q.id}:${q.answered ?? ''}`}>
                  <FormErrorSummary errors={answerErrorsFor(q.id)} fieldIds={{ publishedText: `published-${q.id}`, answer: `answer-${q.id}` }} />
                  <input type="hidden" name="intent" value="answer" />
                  <input type="hidden" name="questionId" value={q.id} />
                  <TextArea
                    name="publishedText"
                    id={`published-${q.id}`}
                    label="The question as published"
                    hint="Vendors read this wording. Reword it if it would identify the vendor; the question as asked is kept."
                    defaultValue={q.publishedText ?? q.text}
                    maxLength={QUESTION_MAX_CHARS}
                    errors={answerErrorsFor(q.id)?.fieldErrors.publishedText}
                  />
                  <TextArea
                    name="answer"
                    id={`answer-${q.id}`}
                    label="Answer"
                    defaultValue={q.answer ?? ''}
                    maxLength={ANSWER_MAX_CHARS}
                    required
                    errors={answerErrorsFor(q.id)?.fieldErrors.answer}
                  />
                  {q.answered ? <p className="usa-hint">{`Last saved by ${q.answered}`}</p> : null}
                  <button type="submit" className="usa-button usa-button--outline">
                    {q.answer !== null ? 'Save the answer' : 'Save the answer (not yet published)'}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}

      <section aria-labelledby="publish-heading" className="margin-top-5">
        <h2 id="publish-heading">{`Publish Q&A addendum ${nextAddendum}`}</h2>
        {actionData?.intent === 'publish' ? <SuccessMessage message={actionData.message} /> : null}
        {lock ? (
          <p>{lock}</p>
        ) : publishable.length === 0 ? (
          <p>No answered question is waiting to be published. Answer a question above first.</p>
        ) : (
          <Form method="post" className="usa-form usa-form--large" noValidate>
            <FormErrorSummary errors={actionData?.intent === 'publish' ? actionData.errors : null} fieldIds={{ questionId: `publish-${publishable[0]!.id}` }} />
            <input type="hidden" name="intent" value="publish" />
            <fieldset className="usa-fieldset">
              <legend className="usa-legend">Answered questions to publish</legend>
              {publishable.map((q) => (
                <div className="usa-checkbox" key={q.id}>
                  <input className="usa-checkbox__input" type="checkbox" id={`publish-${q.id}`} name="questionId" value={q.id} defaultChecked />
                  <label className="usa-checkbox__label" htmlFor={`publish-${q.id}`}>
                    {`Question ${questions.indexOf(q) + 1} from ${q.vendorName}${q.questionKey ? `, about ${q.questionKey}` : ''}: ${q.summary}`}
                  </label>
                </div>
              ))}
            </fieldset>
            <p className="usa-hint">Every contact of every invited vendor is mailed the addendum: the questions as published and their answers, without naming who asked. A published addendum is not changed afterwards.</p>
            <button type="submit" className="usa-button">
              {`Publish addendum ${nextAddendum} to every invited vendor`}
            </button>
          </Form>
        )}
        {addenda.length > 0 ? (
          <>
            <h3>Published addenda</h3>
            <ul className="usa-list">
              {addenda.map((a) => (
                <li key={a.number}>{`Q&A addendum ${a.number}, published ${a.published}: ${a.count} ${a.count === 1 ? 'question' : 'questions'}`}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
