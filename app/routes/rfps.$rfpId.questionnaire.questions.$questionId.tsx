import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { FormErrorSummary, SuccessMessage } from '#app/components/form-fields';
import { QuestionFields } from '#app/components/question-fields';
import { assertQuestionnaireEditable, questionnaireLock, withRfpLock } from '#app/rfp/locks.server';
import { ANSWER_TYPE_LABELS, optionsToText, questionInputFromForm, questionSchema } from '#app/rfp/questionnaire-forms';
import { loadPriceViewFor, PRICE_WITHHELD } from '#app/confidentiality/price-blind.server';
import { DuplicateKeyError, getCriterion, getDb, getQuestion, updateQuestion } from '#app/utils/db.server';
import { fieldError, parseForm } from '#app/utils/form';
import { forbidden, notFound, requireRfpAccess } from '#app/utils/permissions.server';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.question.key ?? 'Question'} · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const db = getDb();
  const question = await getQuestion(db, access.rfp.id, params.questionId ?? '');
  if (!question) notFound('Question not found');
  if ((await loadPriceViewFor(db, access)).hidesQuestion(question.id)) forbidden(PRICE_WITHHELD);
  const criterion = await getCriterion(db, access.rfp.id, question.criterion_id);
  return json({
    rfp: access.rfp,
    question,
    criterion: criterion ? { id: criterion.id, key: criterion.key, title: criterion.title } : null,
    canEdit: access.can('rfp:edit') && access.rfp.status === 'draft',
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  assertQuestionnaireEditable(access.rfp);
  const db = getDb();
  const question = await getQuestion(db, access.rfp.id, params.questionId ?? '');
  if (!question) notFound('Question not found');
  const parsed = parseForm(await request.formData(), questionSchema);
  if (!parsed.ok) return json({ errors: parsed.errors, message: null }, { status: 400 });
  const built = questionInputFromForm(parsed.data);
  if ('error' in built && built.error) return json({ errors: fieldError(built.error.field, built.error.message), message: null }, { status: 400 });
  try {
    const saved = await withRfpLock(db, access.rfp.id, questionnaireLock, (trx) =>
      updateQuestion(trx, { id: access.user.id, email: access.user.email }, access.rfp.id, question.id, { ...built.input!, key: parsed.data.key }),
    );
    if (!saved) notFound('Question not found');
  } catch (error) {
    if (error instanceof DuplicateKeyError) return json({ errors: fieldError('key', error.message), message: null }, { status: 400 });
    throw error;
  }
  return json({ errors: null, message: 'Question saved.' });
}

export default function QuestionPage() {
  const { rfp, question, criterion, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs trail={[{ to: `/rfps/${rfp.id}`, label: rfp.reference }, { to: `/rfps/${rfp.id}/questionnaire`, label: 'Questionnaire' }, criterion && { to: `/rfps/${rfp.id}/questionnaire/criteria/${criterion.id}`, label: criterion.key }]} current={question.key} />
      <h1>Question {question.key}</h1>
      <SuccessMessage message={actionData?.message} />
      {canEdit ? (
        <Form method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning={`Question ${question.key}`}>
          <FormErrorSummary errors={actionData?.errors} />
          <QuestionFields
            errors={actionData?.errors?.fieldErrors}
            defaults={{
              key: question.key,
              text: question.text,
              guidance: question.guidance ?? '',
              strongAnswer: question.strong_answer ?? '',
              answerType: question.answer_type,
              options: optionsToText(question.options),
              required: question.required,
              references: question.references.join('\n'),
            }}
          />
          <button type="submit" className="usa-button">
            Save question
          </button>
        </Form>
      ) : (
        <dl className="wb-meta">
          <dt>Question</dt>
          <dd className="wb-pre">{question.text}</dd>
          <dt>Guidance for the vendor</dt>
          <dd className="wb-pre">{question.guidance ?? '—'}</dd>
          <dt>What a strong answer shows</dt>
          <dd className="wb-pre">{question.strong_answer ?? '—'}</dd>
          <dt>Answer type</dt>
          <dd>
            {ANSWER_TYPE_LABELS[question.answer_type]}
            {question.required ? ', required' : ', optional'}
          </dd>
          {question.options.length > 0 ? (
            <>
              <dt>Options</dt>
              <dd className="wb-pre">{optionsToText(question.options)}</dd>
            </>
          ) : null}
          <dt>Framework references</dt>
          <dd>{question.references.join('; ') || '—'}</dd>
        </dl>
      )}
    </>
  );
}
