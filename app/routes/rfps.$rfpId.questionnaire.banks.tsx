import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { z } from 'zod';
import { FormErrorSummary, SuccessMessage } from '#app/components/form-fields';
import { assertQuestionnaireEditable, questionnaireLock, withRfpLock } from '#app/rfp/locks.server';
import { ANSWER_TYPE_LABELS, KIND_LABELS } from '#app/rfp/questionnaire-forms';
import { addBankQuestions, addWholeBank, BankAlreadyAddedError, bankPresence, getDb, getQuestionnaire, questionBanks, searchBanks } from '#app/utils/db.server';
import { plural } from '#app/utils/wording';
import { formError } from '#app/utils/form';
import { requireRfpAccess } from '#app/utils/permissions.server';
import { Breadcrumbs } from '#app/components/breadcrumbs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Question banks · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  const bank = url.searchParams.get('bank') ?? '';
  const db = getDb();
  const present = (await getQuestionnaire(db, access.rfp.id)).flatMap((s) => s.criteria);
  const presence = await bankPresence(db, access.rfp.id);
  return json({
    rfp: access.rfp,
    q,
    bank,
    banks: questionBanks().map((b) => ({
      id: b.id,
      title: b.title,
      description: b.description,
      criteria: b.criteria.length,
      questions: b.criteria.reduce((n, c) => n + c.questions.length, 0),
      // How many of its criteria the RFP has, so the card says "Added" and adding it again asks first.
      added: presence.get(b.id)?.present.length ?? 0,
    })),
    hits: searchBanks(q, bank || undefined),
    presentCriteria: present.map((c) => c.key),
    presentQuestions: present.flatMap((c) => c.questions.map((x) => x.key)),
    editable: access.rfp.status === 'draft',
  });
}

const schema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add-bank'), bankId: z.string().min(1), duplicates: z.enum(['skip', 'copy']).optional() }),
  z.object({ intent: z.literal('add-questions'), questionKeys: z.array(z.string().min(1)).min(1, 'Tick at least one question.') }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireRfpAccess(request, params.rfpId, 'rfp:edit');
  assertQuestionnaireEditable(access.rfp);
  const form = await request.formData();
  const parsed = schema.safeParse({ intent: form.get('intent'), bankId: form.get('bankId'), duplicates: form.get('duplicates') ?? undefined, questionKeys: form.getAll('questionKeys') });
  if (!parsed.success) return json({ errors: formError(parsed.error.issues[0]?.message ?? 'Choose what to add.'), message: null, confirmBank: null }, { status: 400 });
  const input = parsed.data;
  const actor = { id: access.user.id, email: access.user.email };
  try {
    const message = await withRfpLock(getDb(), access.rfp.id, questionnaireLock, async (trx) => {
      if (input.intent === 'add-bank') {
        const { added, skipped } = await addWholeBank(trx, actor, access.rfp.id, input.bankId, input.duplicates);
        const bank = questionBanks().find((b) => b.id === input.bankId)!;
        const kept = skipped > 0 ? ` ${plural(skipped, 'criterion', 'criteria')} already in this RFP ${skipped === 1 ? 'was' : 'were'} left as ${skipped === 1 ? 'it is' : 'they are'}.` : '';
        return `Added ${plural(added, 'criterion', 'criteria')} from “${bank.title}”.${kept}`;
      }
      const added = await addBankQuestions(trx, actor, access.rfp.id, input.questionKeys);
      return `Added ${plural(added, 'question')}.`;
    });
    return json({ errors: null, message, confirmBank: null });
  } catch (error) {
    // Part of the bank is in the RFP already: nothing was added; the page asks what to do.
    if (error instanceof BankAlreadyAddedError) {
      return json({ errors: null, message: null, confirmBank: { bankId: error.bankId, present: error.present, total: error.total } }, { status: 409 });
    }
    if (error instanceof Error && /There is no/.test(error.message)) return json({ errors: formError(error.message), message: null, confirmBank: null }, { status: 400 });
    throw error;
  }
}

export default function BankPicker() {
  const { rfp, q, bank, banks, hits, presentCriteria, presentQuestions, editable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const presentC = new Set(presentCriteria);
  const presentQ = new Set(presentQuestions);
  return (
    <>
      <Breadcrumbs trail={[{ to: `/rfps/${rfp.id}`, label: rfp.reference }, { to: `/rfps/${rfp.id}/questionnaire`, label: 'Questionnaire' }]} current={'Question banks'} />
      <h1>Add from question banks</h1>
      <p className="usa-intro">Questions written for buying AI, with rubrics and framework references. Added items are copies you can edit.</p>
      {!editable ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The questionnaire is locked while the RFP is not a draft.</p>
          </div>
        </div>
      ) : null}
      <FormErrorSummary errors={actionData?.errors} />
      <SuccessMessage message={actionData?.message} />
      <h2>Banks</h2>
      <ul className="usa-card-group">
        {banks.map((b) => (
          <li key={b.id} className="usa-card tablet:grid-col-6 desktop:grid-col-4">
            <div className="usa-card__container">
              <div className="usa-card__header">
                <h3 className="usa-card__heading">{b.title}</h3>
                {b.added > 0 ? (
                  <p className="margin-y-05">
                    <span className="usa-tag bg-green">{b.added === b.criteria ? 'Added' : `${b.added} of ${plural(b.criteria, 'criterion', 'criteria')} added`}</span>
                  </p>
                ) : null}
              </div>
              <div className="usa-card__body">
                <p>{b.description}</p>
                <p className="text-base">
                  {plural(b.criteria, 'criterion', 'criteria')}, {plural(b.questions, 'question')}
                </p>
              </div>
              <div className="usa-card__footer">
                {actionData?.confirmBank?.bankId === b.id ? (
                  <AddAgain bank={b} present={actionData.confirmBank.present} total={actionData.confirmBank.total} />
                ) : (
                  <>
                    <Link to={`?bank=${b.id}`} className="usa-button usa-button--outline">
                      Browse<span className="usa-sr-only"> {b.title}</span>
                    </Link>
                    {editable ? (
                      <Form method="post" className="display-inline">
                        <input type="hidden" name="intent" value="add-bank" />
                        <input type="hidden" name="bankId" value={b.id} />
                        <button type="submit" className={`usa-button${b.added > 0 ? ' usa-button--outline' : ''}`}>
                          {b.added > 0 ? 'Add again…' : 'Add whole bank'}
                          <span className="usa-sr-only"> {b.title}</span>
                        </button>
                      </Form>
                    ) : null}
                  </>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
      <h2 id="search-heading">Find questions</h2>
      <Form method="get" role="search" aria-labelledby="search-heading" className="usa-form wb-inline-form">
        <div>
          <label className="usa-label" htmlFor="q">
            Words, a key or a framework reference
          </label>
          <input className="usa-input" id="q" name="q" type="search" defaultValue={q} />
        </div>
        <div>
          <label className="usa-label" htmlFor="bank">
            Bank
          </label>
          <select className="usa-select" id="bank" name="bank" defaultValue={bank}>
            <option value="">All banks</option>
            {banks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="usa-button">
          Search
        </button>
      </Form>
      <p role="status">
        {plural(hits.length, 'criterion', 'criteria')} with {plural(hits.reduce((n, h) => n + h.questions.length, 0), 'matching question')}.
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="add-questions" />
        {hits.map((h) => (
          <fieldset key={h.criterionKey} className="usa-fieldset wb-criterion">
            <legend className="text-bold">
              {h.criterionKey} · {h.criterionTitle} <span className="text-normal text-base">({h.bankTitle}; {KIND_LABELS[h.kind]}; suggested {h.suggestedPoints} pts)</span>
              {presentC.has(h.criterionKey) ? <span className="usa-tag margin-left-1">In this RFP</span> : null}
            </legend>
            {h.questions.map((question) => (
              <div className="usa-checkbox" key={question.key}>
                <input className="usa-checkbox__input" id={`q-${question.key}`} type="checkbox" name="questionKeys" value={question.key} disabled={!editable || presentQ.has(question.key)} />
                <label className="usa-checkbox__label" htmlFor={`q-${question.key}`}>
                  <strong>{question.key}</strong> {question.text}
                  <span className="usa-checkbox__label-description">
                    {ANSWER_TYPE_LABELS[question.answerType as keyof typeof ANSWER_TYPE_LABELS]} · {question.references.join('; ')}
                    {presentQ.has(question.key) ? ' · already in this RFP' : ''}
                  </span>
                </label>
              </div>
            ))}
          </fieldset>
        ))}
        {editable && hits.length > 0 ? (
          <button type="submit" className="usa-button margin-top-2">
            Add ticked questions
          </button>
        ) : null}
      </Form>
    </>
  );
}

/**
 * Adding a bank that is (partly) in the RFP already asks first, in the bank's own card: add only what is missing,
 * or copies of every criterion under new keys (rarely wanted: vendors would answer the same questions twice).
 */
function AddAgain({ bank, present, total }: { bank: { id: string; title: string }; present: string[]; total: number }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const missing = total - present.length;
  return (
    <div className="usa-alert usa-alert--warning usa-alert--slim" role="alertdialog" aria-labelledby={`again-${bank.id}`}>
      <div className="usa-alert__body">
        <h4 className="usa-alert__heading" id={`again-${bank.id}`} tabIndex={-1} ref={heading}>
          {missing === 0 ? 'This bank is already in the RFP' : `${present.length} of its ${total} criteria are already in the RFP`}
        </h4>
        <p className="usa-alert__text">Already added: {present.join(', ')}.</p>
        <Form method="post" className="margin-top-1">
          <input type="hidden" name="intent" value="add-bank" />
          <input type="hidden" name="bankId" value={bank.id} />
          {missing > 0 ? (
            <button type="submit" name="duplicates" value="skip" className="usa-button margin-bottom-1">
              Add the {plural(missing, 'missing criterion', 'missing criteria')}
            </button>
          ) : null}
          <button type="submit" name="duplicates" value="copy" className="usa-button usa-button--outline margin-bottom-1">
            Add copies of all {plural(total, 'criterion', 'criteria')}
          </button>
          <Link to="." className="usa-button usa-button--unstyled">
            Cancel
          </Link>
        </Form>
      </div>
    </div>
  );
}
