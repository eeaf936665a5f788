import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Breadcrumbs } from '#app/components/breadcrumbs';
import { loadVendorFacingRfp } from '#app/confidentiality/vendor-facing.server';
import { getDb } from '#app/utils/db.server';
import { requireVendorRfp } from '#app/vendor-portal/access.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.rfp.reference ?? 'RFP'} · Vendor portal · AI Vendor Evaluation Workbench` }];

const ANSWER_TYPE_HINTS: Record<string, string> = {
  text: 'Answer in words',
  yes_no: 'Yes or no',
  choice: 'One of the options',
  multi_choice: 'One or more of the options',
  number: 'A number',
  attachment: 'A document (evidence)',
};

/** The RFP as a vendor reads it (issue 15, item 2): everything comes through the vendor-facing module. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireVendorRfp(request, params.rfpId);
  const rfp = await loadVendorFacingRfp(getDb(), access.rfp);
  return json({ rfp, organisation: access.organisation.vendorName });
}

export default function VendorRfp() {
  const { rfp, organisation } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs trail={[{ to: '/vendor', label: 'Vendor portal' }]} current={rfp.reference} />
      <h1>{`${rfp.reference}: ${rfp.title}`}</h1>
      {/* One full stop after a name that ends with its own ("Civic Answers Inc."). */}
      <p className="usa-intro">{`${rfp.department}. You respond on behalf of ${organisation}${organisation.endsWith('.') ? '' : '.'}`}</p>
      <div className="grid-row grid-gap-lg">
        <section className="grid-col-12 tablet:grid-col-8" aria-labelledby="summary-heading">
          <h2 id="summary-heading">What the city is buying</h2>
          <p className="wb-pre">{rfp.summary}</p>
        </section>
        <aside className="grid-col-12 tablet:grid-col-4" aria-labelledby="dates-heading">
          <h2 id="dates-heading">Key dates</h2>
          <dl className="wb-facts">
            <dt>Stage</dt>
            <dd>{rfp.stage === 'open' ? 'Open for proposals' : 'Proposals closed'}</dd>
            <dt>Questions due</dt>
            <dd>{rfp.questionsDue ?? 'Not set'}</dd>
            <dt>Proposals due</dt>
            <dd>{rfp.proposalsDue ?? 'Not set'}</dd>
            <dt>Questionnaire</dt>
            <dd>{`Version ${rfp.questionnaireVersion}: ${rfp.questionCount} questions, ${rfp.requiredCount} required`}</dd>
          </dl>
          <p>
            <Link to={`/vendor/rfps/${rfp.id}/response`} className="usa-button">
              {rfp.stage === 'open' ? 'Answer online' : 'Your response and receipts'}
            </Link>
          </p>
          <p>
            <Link to={`/vendor/rfps/${rfp.id}/workbook.xlsx`} reloadDocument className="usa-button usa-button--outline">
              Download the questionnaire workbook (.xlsx)
            </Link>
          </p>
          <p className="usa-hint">Answer online, or download the workbook issued to your organisation to read the questionnaire offline.</p>
          <h2>Questions and answers</h2>
          <p>
            <Link to={`/vendor/rfps/${rfp.id}/questions`} className="usa-link">
              Ask a question and read the published answers
            </Link>
          </p>
        </aside>
      </div>
      <h2>Questionnaire</h2>
      {rfp.sections.map((section) => (
        <section key={section.key} aria-labelledby={`section-${section.key}`} className="margin-bottom-4">
          <h3 id={`section-${section.key}`}>{section.title}</h3>
          {section.criteria.map((criterion) => (
            <div key={criterion.key} className="margin-bottom-3">
              <h4 className="margin-bottom-1">{criterion.title}</h4>
              <ol className="usa-list">
                {criterion.questions.map((q) => (
                  <li key={q.key} className="margin-bottom-2">
                    <p className="margin-y-05">
                      <strong>{q.key}</strong> {q.text}
                      {q.required ? <span className="usa-tag margin-left-1">Required</span> : null}
                    </p>
                    {q.guidance ? <p className="usa-hint margin-y-05 wb-pre">{q.guidance}</p> : null}
                    <p className="usa-hint margin-y-05">
                      {q.options.length > 0 ? `${ANSWER_TYPE_HINTS[q.answerType]}: ${q.options.map((o) => o.label).join(' · ')}` : ANSWER_TYPE_HINTS[q.answerType]}
                    </p>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </section>
      ))}
    </>
  );
}
