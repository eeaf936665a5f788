import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { RfpHeader } from '#app/components/rfp-header';
import { STATUS_LABELS } from '#app/rfp/status';
import { ResultsBanner } from '#app/results/banner';
import { loadResultsForViewer } from '#app/results/results.server';
import { buildScorecardView } from '#app/results/scorecard';
import { formatDateTime } from '#app/utils/format';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Scorecard · ${data?.scorecard.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

/** On one page: the scorecard lists this many vendors and disagreements; the results page has them all. */
const MAX_RANKED = 6;
const MAX_DISAGREEMENTS = 8;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, bundle, outcome } = await loadResultsForViewer(request, params.rfpId, { drillDown: false });
  const { rfp } = access;
  const scorecard = buildScorecardView(
    { rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title, status: rfp.status }, bundle, outcome, panelVisible: false },
    formatDateTime(new Date().toISOString()),
  );
  return json({ scorecard, tabs: rfpTabs(rfp.id, access.permissions) });
}

function PrintButton() {
  return (
    <button type="button" className="usa-button" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}

export default function Scorecard() {
  const { scorecard: s, tabs } = useLoaderData<typeof loader>();
  const ranked = s.ranking.filter((r) => r.qualified);
  const shownRanked = ranked.slice(0, MAX_RANKED);
  const shownDisagreements = s.disagreements.slice(0, MAX_DISAGREEMENTS);
  return (
    <>
      <div className="wb-no-print">
        <RfpHeader rfp={s.rfp} tabs={tabs} />
        <div className="wb-actions margin-bottom-2">
          <PrintButton />
          <Link to={`/rfps/${s.rfp.id}/results`} className="usa-button usa-button--outline">
            Full results and comparison matrix
          </Link>
        </div>
      </div>
      <article className="wb-scorecard" aria-labelledby="scorecard-heading">
        <header className="wb-scorecard__head">
          <h2 id="scorecard-heading" className="margin-y-0">
            Leadership scorecard
          </h2>
          <p className="margin-y-05">
            <span className="text-bold">{s.rfp.reference}</span> · {s.rfp.title} · {STATUS_LABELS[s.rfp.status]} · prepared {s.generatedOn}
          </p>
        </header>
        <ResultsBanner final={s.final} status={s.rfp.status} notFinalBecause={s.notFinalBecause} complete={s.complete} problems={s.problems} />

        <section className="wb-scorecard__lead" aria-labelledby="recommendation-heading">
          <h3 id="recommendation-heading">Recommended vendor</h3>
          <p className="wb-scorecard__recommendation">{s.recommendation}</p>
          {s.margin ? <p>{s.margin}</p> : null}
        </section>

        {shownRanked.length > 0 ? (
          <section aria-labelledby="sc-ranking-heading">
            <h3 id="sc-ranking-heading">Ranking</h3>
            <table className="usa-table usa-table--borderless usa-table--compact width-full">
              <caption className="usa-sr-only">Qualified vendors by total points</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Vendor</th>
                  {s.sections.map((sec) => (
                    <th key={sec.id} scope="col" className="text-right">
                      {sec.title} <span className="text-normal">({sec.available})</span>
                    </th>
                  ))}
                  <th scope="col" className="text-right">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {shownRanked.map((r) => (
                  <tr key={r.vendorId}>
                    <td>{r.rank}</td>
                    <th scope="row">{r.name}</th>
                    {r.sections.map((p, i) => (
                      <td key={s.sections[i]?.id ?? i} className="text-right">
                        {p}
                      </td>
                    ))}
                    <td className="text-right text-bold">{r.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {ranked.length > shownRanked.length ? (
              <p className="font-body-3xs">…and {ranked.length - shownRanked.length} more qualified vendors on the results page.</p>
            ) : null}
          </section>
        ) : null}

        <section aria-labelledby="sc-robust-heading">
          <h3 id="sc-robust-heading">How robust is the recommendation?</h3>
          <p>{s.robustnessSummary}</p>
          {s.robustness && s.robustness.breakEven.some((b) => b.status === 'changes') ? (
            <ul className="usa-list">
              {s.robustness.breakEven
                .filter((b) => b.status === 'changes')
                .map((b) => (
                  <li key={b.sectionId}>
                    <span className="text-bold">{b.section}:</span> {b.sentence}
                  </li>
                ))}
            </ul>
          ) : null}
        </section>

        <section aria-labelledby="sc-knockouts-heading">
          <h3 id="sc-knockouts-heading">Knock-outs</h3>
          {s.knockouts.length === 0 ? (
            <p>{s.knockoutsNote}</p>
          ) : (
            <ul className="usa-list">
              {s.knockouts.map((k) => (
                <li key={k.vendor}>
                  <span className="text-bold">{k.vendor}</span> is disqualified: {k.reasons.join(' ')}
                </li>
              ))}
            </ul>
          )}
          {s.excluded.length > 0 ? (
            <p>
              Not evaluated:{' '}
              {s.excluded.map((x, i) => (
                <span key={x.name}>
                  {i > 0 ? '; ' : ''}
                  {x.name} ({x.status.toLowerCase()}
                  {x.reason ? `: ${x.reason}` : ''})
                </span>
              ))}
              .
            </p>
          ) : null}
        </section>

        <section aria-labelledby="sc-disagree-heading">
          <h3 id="sc-disagree-heading">Where evaluators disagreed, and how it was settled</h3>
          {s.disagreements.length === 0 ? (
            <p>{s.disagreementsNote}</p>
          ) : (
            <table className="usa-table usa-table--borderless usa-table--compact width-full">
              <caption className="usa-sr-only">Divergent scores and split knock-out votes with their consensus resolution</caption>
              <thead>
                <tr>
                  <th scope="col">Criterion · vendor</th>
                  <th scope="col">Disagreement</th>
                  <th scope="col">Resolution</th>
                </tr>
              </thead>
              <tbody>
                {shownDisagreements.map((d, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {d.criterion} · {d.vendor}
                    </th>
                    <td>{d.what}</td>
                    <td>
                      {d.resolution}
                      {d.rationale ? <span className="display-block">“{d.rationale}”</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {s.disagreements.length > shownDisagreements.length ? (
            <p className="font-body-3xs">…and {s.disagreements.length - shownDisagreements.length} more on the results page.</p>
          ) : null}
        </section>

        <section aria-labelledby="sc-method-heading">
          <h3 id="sc-method-heading">Method</h3>
          <p>{s.methodShort}</p>
        </section>
      </article>
    </>
  );
}
