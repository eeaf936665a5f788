import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { FormErrorSummary, SuccessMessage } from '#app/components/form-fields';
import { RfpHeader } from '#app/components/rfp-header';
import { bankOfCriterion } from '#app/rfp/lifecycle.server';
import { assertQuestionnaireEditable, questionnaireLock, withRfpLock } from '#app/rfp/locks.server';
import { assess, cleanRiskAnswers, getDb, getQuestionnaire, riskIntake, saveRiskIntake, storedRiskAnswers } from '#app/utils/db.server';
import { formDataToObject, formError } from '#app/utils/form';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { rfpTabs } from '#app/utils/rfp-tabs';
import { requiredForLevel } from '#scoring/risk-tier';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `AI risk tier · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const answers = storedRiskAnswers(access.rfp);
  const assessment = Object.keys(answers).length > 0 ? assess(answers) : null;
  const criteria = (await getQuestionnaire(getDb(), access.rfp.id)).flatMap((s) => s.criteria);
  const baseKeys = new Set(criteria.map((c) => c.key.replace(/-\d+$/, '')));
  const knockouts = new Set(criteria.filter((c) => c.kind === 'pass_fail').map((c) => c.key.replace(/-\d+$/, '')));
  const banksPresent = new Set([...baseKeys].map((k) => bankOfCriterion(k)).filter(Boolean));
  const requirements = assessment && assessment.unanswered.length === 0 ? requiredForLevel(assessment.level) : null;
  const intake = riskIntake();
  return json({
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    questions: intake.questions.map((q) => ({ key: q.key, title: q.title, text: q.text, guidance: q.guidance ?? null, options: q.options.map((o) => ({ value: o.value, label: o.label })) })),
    answers,
    assessment,
    requirements: requirements
      ? {
          enforced: assessment!.level === 'III' || assessment!.level === 'IV',
          banks: requirements.banks.map((b) => ({ id: b, present: banksPresent.has(b) })),
          knockouts: requirements.knockouts.map((k) => ({ key: k, present: knockouts.has(k) })),
          recommendedKnockouts: requirements.recommended.knockouts.map((k) => ({ key: k, present: knockouts.has(k) })),
        }
      : null,
    canEdit: access.can('rfp:edit') && access.rfp.status === 'draft',
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  assertQuestionnaireEditable(access.rfp);
  const { answers, invalid } = cleanRiskAnswers(formDataToObject(await request.formData()));
  if (invalid.length > 0) return json({ errors: formError(`These answers are not options of their question: ${invalid.join(', ')}.`), message: null }, { status: 400 });
  // The RFP as re-read under the lock: the audit event's "before" is the intake as it is now.
  const assessment = await withRfpLock(getDb(), access.rfp.id, questionnaireLock, (trx, rfp) => saveRiskIntake(trx, { id: access.user.id, email: access.user.email }, rfp, answers));
  const message =
    assessment.unanswered.length === 0
      ? `Saved. The use case is impact level ${assessment.level}.`
      : `Saved. Answer the ${assessment.unanswered.length} remaining question${assessment.unanswered.length === 1 ? '' : 's'} to set the impact level.`;
  return json({ errors: null, message });
}

export default function RiskTier() {
  const { rfp, tabs, questions, answers, assessment, requirements, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 desktop:grid-col-5 desktop:order-last" aria-labelledby="result-heading">
          <h2 id="result-heading">Impact level</h2>
          {assessment ? (
            <>
              <p className="font-heading-xl margin-y-1">
                {assessment.unanswered.length === 0 ? `Level ${assessment.level}` : `Provisional: level ${assessment.level}`}
              </p>
              <p>
                Impact score {assessment.score} of {assessment.maxScore} ({assessment.percent.toFixed(1)} %).
              </p>
              <h3>Why</h3>
              <ul className="usa-list">
                {assessment.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>Not assessed yet. Answer the intake to set the level.</p>
          )}
          {requirements ? (
            <section id="risk-requirements" aria-labelledby="req-heading">
              <h3 id="req-heading">{requirements.enforced ? 'Required at this level' : 'Recommended at this level'}</h3>
              <table className="usa-table usa-table--borderless usa-table--compact width-full">
                <caption className="usa-sr-only">Question banks and knock-outs for this level</caption>
                <tbody>
                  {requirements.banks.map((b) => (
                    <tr key={b.id}>
                      <th scope="row">Bank: {b.id}</th>
                      <td>{b.present ? 'Included' : <strong className="text-secondary-dark">Missing</strong>}</td>
                    </tr>
                  ))}
                  {[...requirements.knockouts, ...requirements.recommendedKnockouts].map((k) => (
                    <tr key={k.key}>
                      <th scope="row">Knock-out: {k.key}</th>
                      <td>{k.present ? 'Included' : <strong className="text-secondary-dark">Missing</strong>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {requirements.enforced ? <p className="usa-hint">The RFP cannot open while a required bank or knock-out is missing.</p> : null}
            </section>
          ) : null}
        </section>
        <div className="grid-col-12 desktop:grid-col-7">
          <h2>Use-case intake</h2>
          <p>Scored in the manner of an algorithmic impact assessment: the higher the stakes for residents, the more the RFP must ask of vendors.</p>
          <FormErrorSummary errors={actionData?.errors} />
          <SuccessMessage message={actionData?.message} />
          <Form method="post" className="usa-form usa-form--large" data-unsaved-warning="The use-case intake">
            {questions.map((q) => (
              <fieldset key={q.key} className="usa-fieldset margin-bottom-3" disabled={!canEdit}>
                <legend className="usa-legend text-bold">{q.title}</legend>
                <p className="margin-y-05">{q.text}</p>
                {q.guidance ? <p className="usa-hint margin-top-0">{q.guidance}</p> : null}
                {q.options.map((o) => (
                  <div className="usa-radio" key={o.value}>
                    <input className="usa-radio__input" type="radio" id={`${q.key}-${o.value}`} name={q.key} value={o.value} defaultChecked={answers[q.key] === o.value} />
                    <label className="usa-radio__label" htmlFor={`${q.key}-${o.value}`}>
                      {o.label}
                    </label>
                  </div>
                ))}
              </fieldset>
            ))}
            {canEdit ? (
              <button type="submit" className="usa-button">
                Save and assess
              </button>
            ) : null}
          </Form>
        </div>
      </div>
    </>
  );
}
