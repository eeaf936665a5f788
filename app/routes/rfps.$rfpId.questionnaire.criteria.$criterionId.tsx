import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { z } from 'zod';
import { FormErrorSummary, SelectField, SuccessMessage, TextArea, TextField } from '#app/components/form-fields';
import { assertQuestionnaireEditable, questionnaireLock, withRfpLock } from '#app/rfp/locks.server';
import { ANSWER_TYPE_LABELS, criterionSchema, KIND_LABELS, questionInputFromForm, questionSchema, rubricFromForm } from '#app/rfp/questionnaire-forms';
import { loadPriceViewFor, PRICE_WITHHELD } from '#app/confidentiality/price-blind.server';
import { createQuestion, DuplicateKeyError, getCriterion, getDb, listQuestionKeys, NotInRfpError, updateCriterion } from '#app/utils/db.server';
import { nextQuestionKey } from '#db/generated-keys';
import { explainPriceCriterion } from '#app/rfp/questionnaire-price';
import { fieldError, parseForm } from '#app/utils/form';
import { CRITERION_KINDS } from '#app/utils/permissions';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { QuestionFields } from '#app/components/question-fields';
import { ResetAfterSuccessForm } from '#app/components/reset-after-success';
import { forbidden, notFound, requireRfpAccess } from '#app/utils/permissions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.criterion.key ?? 'Criterion'} · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:read');
  const db = getDb();
  const criterion = await getCriterion(db, access.rfp.id, params.criterionId ?? '');
  if (!criterion) notFound('Criterion not found');
  if ((await loadPriceViewFor(db, access)).hidesCriterion(criterion)) forbidden(PRICE_WITHHELD);
  const canEdit = access.can('rfp:edit') && access.rfp.status === 'draft';
  return json({
    rfp: access.rfp,
    criterion,
    canEdit,
    // The key the next question gets, shown in the add form: this criterion's key and the next free number.
    nextKey: canEdit ? nextQuestionKey(criterion.key, (await listQuestionKeys(db, access.rfp.id)).map((q) => q.key)) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  assertQuestionnaireEditable(access.rfp);
  const db = getDb();
  const criterion = await getCriterion(db, access.rfp.id, params.criterionId ?? '');
  if (!criterion) notFound('Criterion not found');
  const form = await request.formData();
  const actor = { id: access.user.id, email: access.user.email };
  const intent = form.get('intent');
  if (intent === 'add-question') {
    const parsed = parseForm(form, questionSchema);
    if (!parsed.ok) return json({ errors: parsed.errors, message: null, form: 'question' }, { status: 400 });
    const built = questionInputFromForm(parsed.data);
    if ('error' in built && built.error) return json({ errors: fieldError(built.error.field, built.error.message), message: null, form: 'question' }, { status: 400 });
    const created = await withRfpLock(db, access.rfp.id, questionnaireLock, (trx) => createQuestion(trx, actor, access.rfp.id, criterion.id, built.input!)).catch((error: unknown) => {
      // Deleted since the page was read.
      if (error instanceof NotInRfpError) notFound('Criterion not found');
      throw error;
    });
    if (created.key !== parsed.data.key) {
      return json({ errors: null, message: `The key ${parsed.data.key} was taken, so the question is ${created.key}.`, form: 'question' });
    }
    return redirect(`/rfps/${access.rfp.id}/questionnaire/criteria/${criterion.id}#question-${created.id}`);
  }
  const parsed = parseForm(form, criterionSchema(access.rfp.scale_max).extend({ intent: z.literal('update') }));
  if (!parsed.ok) return json({ errors: parsed.errors, message: null, form: 'criterion' }, { status: 400 });
  const data = parsed.data;
  try {
    const saved = await withRfpLock(db, access.rfp.id, questionnaireLock, (trx) =>
      updateCriterion(trx, actor, access.rfp.id, criterion.id, {
        key: data.key,
        title: data.title,
        description: data.description.trim() || null,
        kind: data.kind,
        points: data.points,
        rubric: data.kind === 'scored' || data.kind === 'pass_fail' ? rubricFromForm(data, data.kind === 'pass_fail' ? 1 : access.rfp.scale_max) : [],
      }),
    );
    if (!saved) notFound('Criterion not found');
  } catch (error) {
    if (error instanceof DuplicateKeyError) return json({ errors: fieldError('key', error.message), message: null, form: 'criterion' }, { status: 400 });
    throw error;
  }
  return json({ errors: null, message: 'Criterion saved.', form: 'criterion' });
}

export default function CriterionPage() {
  const { rfp, criterion, canEdit, nextKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const criterionErrors = actionData?.form === 'criterion' ? errors : null;
  const questionErrors = actionData?.form === 'question' ? errors : null;
  const anchor = (level: number) => criterion.rubric.find((r) => r.level === level)?.anchor ?? '';
  const levels = Array.from({ length: rfp.scale_max + 1 }, (_, i) => i);
  // The editor follows the kind chosen in the form (before saving): a price criterion gets the formula, not a rubric.
  const [kind, setKind] = useState<string>(criterion.kind);
  return (
    <>
      <Breadcrumbs
        trail={[
          { to: '/rfps', label: 'RFPs' },
          { to: `/rfps/${rfp.id}`, label: rfp.reference },
          { to: `/rfps/${rfp.id}/questionnaire`, label: 'Questionnaire' },
        ]}
        current={criterion.key}
      />
      <h1>
        {criterion.key} · {criterion.title}
      </h1>
      <SuccessMessage message={actionData?.message} />
      {canEdit ? (
        <Form
          method="post"
          className="usa-form usa-form--large"
          noValidate
          data-unsaved-warning={`The criterion ${criterion.key}`}
          onChange={(event) => {
            const target = event.target as HTMLSelectElement;
            if (target.name === 'kind') setKind(target.value);
          }}
        >
          <FormErrorSummary errors={criterionErrors} />
          <input type="hidden" name="intent" value="update" />
          <TextField name="key" label="Key" defaultValue={criterion.key} required errors={criterionErrors?.fieldErrors.key} />
          <TextField name="title" label="Title" defaultValue={criterion.title} required errors={criterionErrors?.fieldErrors.title} />
          <TextArea name="description" label="Description (optional)" defaultValue={criterion.description ?? ''} />
          <SelectField name="kind" label="Kind" options={CRITERION_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} defaultValue={criterion.kind} />
          <TextField
            name="points"
            label="Points"
            hint="A number such as 10 or 12.5. Scored and price criteria carry points; pass/fail and info criteria carry none."
            defaultValue={String(criterion.points)}
            required
            errors={criterionErrors?.fieldErrors.points}
          />
          {kind === 'price' ? <PriceFormula formula={rfp.price_formula} weight={criterion.points} /> : null}
          {/* Hidden rather than removed, so anchors typed before switching the kind back are still there. */}
          <fieldset className="usa-fieldset margin-top-3" hidden={kind === 'price' || kind === 'info'}>
            <legend className="usa-legend usa-legend--large">Rubric</legend>
            <p className="usa-hint">
              {kind === 'pass_fail'
                ? 'A pass/fail criterion has two levels: what fails (0) and what passes (1).'
                : `A scored criterion needs an anchor for every level 0–${rfp.scale_max}: what evidence earns that score.`}
            </p>
            {levels.map((level) => (
              <div key={level} hidden={kind === 'pass_fail' && level > 1}>
                <TextArea
                  name={`rubric-${level}`}
                  label={kind === 'pass_fail' ? (level === 0 ? 'Level 0 — fails' : 'Level 1 — passes') : `Level ${level}`}
                  defaultValue={anchor(level)}
                  errors={criterionErrors?.fieldErrors[`rubric-${level}`]}
                />
              </div>
            ))}
          </fieldset>
          {kind === 'info' ? <p className="usa-hint margin-top-3">An information-only criterion is not scored: its answers are shown to evaluators for context.</p> : null}
          <button type="submit" className="usa-button margin-top-2">
            Save criterion
          </button>
        </Form>
      ) : (
        <>
          <p>
            {KIND_LABELS[criterion.kind]} · {criterion.points} points
          </p>
          {criterion.kind === 'price' ? <PriceFormula formula={rfp.price_formula} weight={criterion.points} /> : null}
          {criterion.rubric.length > 0 && criterion.kind !== 'price' ? (
            <table className="usa-table usa-table--borderless">
              <caption>Rubric</caption>
              <thead>
                <tr>
                  <th scope="col">Level</th>
                  <th scope="col">What earns it</th>
                </tr>
              </thead>
              <tbody>
                {criterion.rubric.map((r) => (
                  <tr key={r.level}>
                    <th scope="row">{r.level}</th>
                    <td className="wb-pre">{r.anchor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      )}
      <h2>Questions</h2>
      {criterion.questions.length === 0 ? <p>No questions yet: every criterion needs at least one.</p> : null}
      <ol className="usa-list">
        {criterion.questions.map((q) => (
          <li key={q.id} id={`question-${q.id}`}>
            <Link to={`/rfps/${rfp.id}/questionnaire/questions/${q.id}`} className="usa-link text-bold">
              {q.key}
            </Link>{' '}
            <span className="wb-pre">{q.text}</span> <span className="text-base">({ANSWER_TYPE_LABELS[q.answer_type]})</span>
          </li>
        ))}
      </ol>
      {canEdit ? (
        <section aria-labelledby="add-question-heading">
          <h2 id="add-question-heading">Add a question</h2>
          {/* Empty after each add: the next question must not inherit this one's guidance and references. */}
          <ResetAfterSuccessForm method="post" className="usa-form usa-form--large" noValidate data-unsaved-warning="The new question">
            <FormErrorSummary errors={questionErrors} />
            <input type="hidden" name="intent" value="add-question" />
            <QuestionFields errors={questionErrors?.fieldErrors} defaults={{ key: nextKey ?? '' }} />
            <button type="submit" className="usa-button">
              Add question
            </button>
          </ResetAfterSuccessForm>
        </section>
      ) : null}
    </>
  );
}

/** How price points are worked out, in place of a rubric: evaluators do not score price. */
function PriceFormula({ formula, weight }: { formula: 'ratio' | 'linear'; weight: number }) {
  const explained = explainPriceCriterion(formula, weight);
  return (
    <section className="usa-summary-box margin-top-3" aria-labelledby="price-formula-heading">
      <div className="usa-summary-box__body">
        <h2 className="usa-summary-box__heading" id="price-formula-heading">
          How price points are worked out
        </h2>
        <div className="usa-summary-box__text">
          <p>
            Evaluators do not score price, so this criterion has no rubric. Each vendor’s points come from the total price recorded with its response, with this
            RFP’s <strong>{explained.formulaName}</strong> formula (a scoring setting of the RFP):
          </p>
          <p className="text-bold">{explained.formula}</p>
          <p>
            W is this criterion’s points. The lowest price is the lowest among vendors that pass every knock-out, so a disqualified vendor’s low price does not
            lower anyone else’s points. {explained.example}
          </p>
          <p>A vendor with no recorded price gets no price points, and the results stay provisional until it has one. {explained.otherFormula}</p>
        </div>
      </div>
    </section>
  );
}
