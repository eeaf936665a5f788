import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { RfpHeader } from '#app/components/rfp-header';
import { loadPriceViewFor } from '#app/confidentiality/price-blind.server';
import { requireResponsesRead } from '#app/responses/access.server';
import { getDb, getQuestionnaire } from '#app/utils/db.server';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Answers side by side · ${data?.rfp.reference ?? ''} · AI Vendor Evaluation Workbench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireResponsesRead(request, params.rfpId);
  const db = getDb();
  const [questionnaire, prices] = await Promise.all([getQuestionnaire(db, access.rfp.id), loadPriceViewFor(db, access)]);
  const sections = prices.visibleSections(questionnaire);
  return json({
    pricesHidden: prices.notice,
    rfp: access.rfp,
    tabs: rfpTabs(access.rfp.id, access.permissions),
    sections: sections.map((s) => ({ id: s.id, title: s.title, questions: s.criteria.flatMap((c) => c.questions.map((q) => ({ id: q.id, key: q.key, text: q.text }))) })),
  });
}

export default function AnswersIndex() {
  const { rfp, tabs, sections, pricesHidden } = useLoaderData<typeof loader>();
  return (
    <>
      <RfpHeader rfp={rfp} tabs={tabs} />
      <h2>Compare answers side by side</h2>
      <p>Pick a question to read every vendor’s answer to it next to each other.</p>
      {pricesHidden ? <p className="usa-hint">{pricesHidden}</p> : null}
      {sections.map((s) => (
        <section key={s.id} aria-labelledby={`s-${s.id}`}>
          <h3 id={`s-${s.id}`}>{s.title}</h3>
          <ul className="usa-list">
            {s.questions.map((q) => (
              <li key={q.id}>
                <Link to={`/rfps/${rfp.id}/answers/${q.id}`} className="usa-link">
                  {q.key}
                </Link>{' '}
                {q.text}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
