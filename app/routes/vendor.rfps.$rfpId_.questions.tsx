import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { FormErrorSummary, SelectField, SuccessMessage, TextArea } from '#app/components/form-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { getDb } from '#app/utils/db.server';
import { requireVendorRfp } from '#app/vendor-portal/access.server';
import { QUESTION_MAX_CHARS } from '#app/vendor-portal/qa-limits';
import { askVendorQuestion, vendorQuestionsPage } from '#app/vendor-portal/questions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Questions and answers · ${data?.rfp.reference ?? 'RFP'} · Vendor portal · AI Vendor Evaluation Workbench` }];

/** Questions and answers of the Q&A period, as a vendor contact sees them (issue 15, item 5). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  return json(await vendorQuestionsPage(getDb(), access));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  const outcome = await askVendorQuestion(getDb(), access, await request.formData());
  if (!outcome.ok) return json({ errors: outcome.errors, message: null }, { status: outcome.status });
  return json({ errors: null, message: 'Your question was sent to the lead officer. Its answer is published on this page, to every invited vendor, without naming your organisation.' });
}

export default function VendorQuestions() {
  const { rfp, questionsDue, closedReason, questionOptions, own, addenda } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <Breadcrumbs trail={[{ to: '/vendor', label: 'Vendor portal' }, { to: `/vendor/rfps/${rfp.id}`, label: rfp.reference }]} current="Questions and answers" />
      <h1>Questions and answers</h1>
      <p className="usa-intro">{`${rfp.reference}: ${rfp.title}`}</p>
      <p>The lead officer answers vendors’ questions in numbered Q&amp;A addenda, published to every invited vendor without naming who asked.</p>

      <section aria-labelledby="ask-heading" className="margin-top-4">
        <h2 id="ask-heading">Ask a question</h2>
        {closedReason ? (
          <div className="usa-alert usa-alert--info usa-alert--slim">
            <div className="usa-alert__body">
              <p className="usa-alert__text">{closedReason}</p>
            </div>
          </div>
        ) : (
          <>
            <p>{questionsDue ? `Questions are accepted until ${questionsDue}.` : 'No deadline for questions is set: they are accepted while the RFP is open for proposals.'}</p>
            <SuccessMessage message={actionData?.message} />
            <ResetAfterSuccessForm method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="Your question">
              <FormErrorSummary errors={errors} />
              <SelectField name="questionKey" label="What it is about" options={questionOptions} placeholder="The RFP in general" errors={errors?.fieldErrors.questionKey} />
              <TextArea
                name="text"
                label="Your question"
                hint={`At most ${QUESTION_MAX_CHARS.toLocaleString('en-US')} characters. It may be reworded before it is published, so that it does not identify your organisation.`}
                maxLength={QUESTION_MAX_CHARS}
                required
                errors={errors?.fieldErrors.text}
              />
              <button type="submit" className="usa-button">
                Send the question
              </button>
            </ResetAfterSuccessForm>
          </>
        )}
      </section>

      <section aria-labelledby="own-heading" className="margin-top-5">
        <h2 id="own-heading">Your organisation’s questions</h2>
        {own.length === 0 ? (
          <p>Your organisation has not asked a question about this RFP.</p>
        ) : (
          <ul className="usa-list usa-list--unstyled wb-qa-list">
            {own.map((q) => (
              <li key={q.id} className="wb-qa-item">
                <p className="margin-y-05">
                  {q.addendumNumber !== null ? (
                    <span className="usa-tag wb-qa--published">{`Answered in Q&A addendum ${q.addendumNumber}`}</span>
                  ) : (
                    <span className="usa-tag wb-qa--awaiting">Awaiting answer</span>
                  )}{' '}
                  <span className="usa-hint">{`Asked ${q.asked}${q.questionKey ? ` · about ${q.questionKey}` : ' · about the RFP in general'}`}</span>
                </p>
                <p className="wb-pre margin-y-05">{q.text}</p>
                {q.addendumNumber !== null ? (
                  <p className="margin-y-05">
                    <a className="usa-link" href={`#addendum-${q.addendumNumber}`}>{`Read the answer in Q&A addendum ${q.addendumNumber}`}</a>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="addenda-heading" className="margin-top-5">
        <h2 id="addenda-heading">Published answers</h2>
        {addenda.length === 0 ? (
          <p>No Q&A addendum has been published yet. You are told by mail when one is.</p>
        ) : (
          addenda.map((a) => (
            <section key={a.number} aria-labelledby={`addendum-${a.number}`} className="margin-bottom-4">
              <h3 id={`addendum-${a.number}`}>{`Q&A addendum ${a.number}, published ${a.published}`}</h3>
              <ol className="usa-list wb-qa-list">
                {a.questions.map((q, i) => (
                  <li key={i} className="wb-qa-item">
                    <p className="text-bold margin-y-05">{q.questionKey ? `Question about ${q.questionKey}` : 'Question about the RFP in general'}</p>
                    <p className="wb-pre margin-y-05">{q.question}</p>
                    <p className="text-bold margin-top-105 margin-bottom-05">Answer</p>
                    <p className="wb-pre margin-y-05">{q.answer}</p>
                  </li>
                ))}
              </ol>
            </section>
          ))
        )}
      </section>
    </>
  );
}
