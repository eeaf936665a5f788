import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { loadPriceViewFor, PRICE_WITHHELD } from '#app/confidentiality/price-blind.server';
import { requireResponsesRead } from '#app/responses/access.server';
import { answerToText } from '#app/responses/answer-input';
import { SUBMISSION_STATUS_LABELS } from '#app/responses/labels';
import { ANSWER_TYPE_LABELS } from '#app/rfp/questionnaire-forms';
import { getAnswersToQuestion, getDb, getQuestion, getQuestionnaire, listSubmissions } from '#app/utils/db.server';
import { forbidden, notFound } from '#app/utils/permissions.server';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.question.key ?? 'Question'} side by side · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireResponsesRead(request, params.rfpId);
  const db = getDb();
  const question = await getQuestion(db, access.rfp.id, params.questionId ?? '');
  if (!question) notFound('Question not found');
  if ((await loadPriceViewFor(db, access)).hidesQuestion(question.id)) forbidden(PRICE_WITHHELD);
  const [submissions, answers, sections] = await Promise.all([listSubmissions(db, access.rfp.id), getAnswersToQuestion(db, access.rfp.id, question.id), getQuestionnaire(db, access.rfp.id)]);
  const order = sections.flatMap((s) => s.criteria.flatMap((c) => c.questions.map((q) => ({ id: q.id, key: q.key }))));
  const index = order.findIndex((q) => q.id === question.id);
  const visible = submissions.filter((s) => !access.recusedVendorIds.has(s.vendor_id));
  return json({
    rfp: access.rfp,
    question: { key: question.key, text: question.text, guidance: question.guidance, strong_answer: question.strong_answer, answer_type: question.answer_type },
    vendors: visible.map((s) => ({ id: s.id, name: s.vendor_name, status: s.status, answer: answerToText(answers.get(s.id) ?? null) })),
    hiddenCount: submissions.length - visible.length,
    previous: order[index - 1] ?? null,
    next: order[index + 1] ?? null,
  });
}

export default function SideBySide() {
  const { rfp, question, vendors, hiddenCount, previous, next } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ to: `/rfps/${rfp.id}`, label: rfp.reference }, { to: `/rfps/${rfp.id}/answers`, label: 'Answers side by side' }]} current={question.key} />
      <h1>
        {question.key}: <span className="wb-pre">{question.text}</span>
      </h1>
      <p className="usa-hint">
        {ANSWER_TYPE_LABELS[question.answer_type]}
        {question.guidance ? ` · Guidance to vendors: ${question.guidance}` : ''}
      </p>
      {question.strong_answer ? (
        <div className="usa-summary-box margin-bottom-2">
          <div className="usa-summary-box__body">
            <h2 className="usa-summary-box__heading">What a strong answer shows</h2>
            <p className="usa-summary-box__text wb-pre">{question.strong_answer}</p>
          </div>
        </div>
      ) : null}
      {hiddenCount > 0 ? <p>{hiddenCount} vendor’s answer is not shown because you are recused from that vendor.</p> : null}
      <div className="wb-side-by-side">
        {vendors.map((v) => (
          <section key={v.id} aria-labelledby={`v-${v.id}`} className="wb-side-card">
            <h2 id={`v-${v.id}`} className="wb-card-title margin-top-0">
              {v.name}
            </h2>
            <p className="usa-hint margin-top-0">{SUBMISSION_STATUS_LABELS[v.status]}</p>
            {v.answer ? <p className="wb-pre">{v.answer}</p> : <p className="text-italic">No answer.</p>}
          </section>
        ))}
      </div>
      <nav aria-label="Other questions" className="margin-top-3 display-flex flex-justify">
        {previous ? (
          <Link to={`/rfps/${rfp.id}/answers/${previous.id}`} className="usa-link">
            ← {previous.key}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/rfps/${rfp.id}/answers/${next.id}`} className="usa-link">
            {next.key} →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
