import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { RfpHeader } from '#app/components/rfp-header';
import { ResultsBanner } from '#app/results/banner';
import { ResultsChart } from '#app/results/charts';
import { formatPoints } from '#app/results/format';
import { ComparisonMatrix, FocusedCriterion } from '#app/results/matrix';
import { compactMatrix } from '#app/results/matrix-compact';
import { RankingTable } from '#app/results/ranking-table';
import { loadResultsForViewer } from '#app/results/results.server';
import { buildResultsView } from '#app/results/view-model';
import { rfpTabs } from '#app/utils/rfp-tabs';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Results · ${data?.view.rfp.reference ?? 'RFP'} · AI Vendor Evaluation Workbench` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  // ?criterion=<id>: read every score and rationale on one criterion (how large evaluations show rationales).
  const focusCriterionId = new URL(request.url).searchParams.get('criterion')?.slice(0, 100) || null;
  const { access, bundle, outcome, panelVisible, panel } = await loadResultsForViewer(request, params.rfpId, { drillDown: true, focusCriterionId });
  const { rfp } = access;
  const view = buildResultsView({
    rfp: { id: rfp.id, reference: rfp.reference, title: rfp.title, status: rfp.status },
    bundle,
    outcome,
    panelVisible,
    focusCriterionId,
    withheldVendors: bundle.vendors.flatMap((v) => {
      const reason = panel.panelOpen ? panel.withheldBecause(v.id) : null;
      return reason === null ? [] : [{ name: v.name, reason }];
    }),
  });
  return json({
    // The matrix without its drill-downs: a cell's individual scores and rationales load when it is opened.
    view: { ...view, matrix: view.matrix ? compactMatrix(view.matrix, panelVisible) : null },
    totalPoints: Number(rfp.total_points),
    tabs: rfpTabs(rfp.id, access.permissions),
  });
}

export default function Results() {
  const { view, tabs, totalPoints } = useLoaderData<typeof loader>();
  const { rfp, ranking, sections } = view;
  // ?table=<chart id>: that chart's table rendered and open (the way to it without JavaScript).
  const [searchParams] = useSearchParams();
  return (
    <div className="wb-wide-page wb-results-page">
      <RfpHeader rfp={rfp} tabs={tabs} />
      <div className="wb-actions margin-bottom-2">
        <h2 className="margin-y-0 margin-right-auto">Results</h2>
        <Link to={`/rfps/${rfp.id}/scorecard`} className="usa-button usa-button--outline wb-no-print">
          Leadership scorecard (printable)
        </Link>
        <Link to={`/rfps/${rfp.id}/scorecard.xlsx`} reloadDocument className="usa-button usa-button--outline wb-no-print">
          Excel scorecard (.xlsx)
        </Link>
        <Link to={`/rfps/${rfp.id}/matrix.csv`} reloadDocument className="usa-button usa-button--outline wb-no-print">
          Matrix (.csv)
        </Link>
        {tabs.some((t) => t.to === `/rfps/${rfp.id}/audit`) ? (
          <Link to={`/rfps/${rfp.id}/audit.csv`} reloadDocument className="usa-button usa-button--outline wb-no-print">
            Audit log (.csv)
          </Link>
        ) : null}
      </div>
      <ResultsBanner final={view.final} status={rfp.status} notFinalBecause={view.notFinalBecause} complete={view.complete} problems={view.problems} />
      {view.warnings.length > 0 ? (
        <div className="usa-alert usa-alert--info usa-alert--slim margin-bottom-3" role="region" aria-label="Notes on the scoring data">
          <div className="usa-alert__body">
            <ul className="usa-list margin-y-0">
              {view.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}

      <section aria-labelledby="ranking-heading">
        <h2 id="ranking-heading">Ranking</h2>
        {ranking.length === 0 ? <p>No vendor can be ranked yet.</p> : <RankingTable ranking={ranking} sections={sections} totalPoints={formatPoints(totalPoints)} />}
        {view.excluded.length > 0 ? (
          <>
            <h3>Not in the evaluation</h3>
            <ul className="usa-list">
              {view.excluded.map((x) => (
                <li key={x.name}>
                  {x.name} — {x.status}
                  {x.reason ? `: ${x.reason}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <details className="wb-how-details">
          <summary>How this is computed (DESIGN §4)</summary>
          <ul className="usa-list">
            {view.method.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </details>
      </section>

      {view.robustness ? (
        <section aria-labelledby="robustness-heading">
          <h2 id="robustness-heading">Would a different weighting change the winner?</h2>
          <table className="usa-table usa-table--borderless usa-table--compact width-full">
            <caption className="usa-sr-only">Break-even change of each section’s weight</caption>
            <thead>
              <tr>
                <th scope="col">Section</th>
                <th scope="col" className="text-right">
                  Weight (points)
                </th>
                <th scope="col">Break-even</th>
              </tr>
            </thead>
            <tbody>
              {view.robustness.breakEven.map((b) => (
                <tr key={b.sectionId}>
                  <th scope="row">{b.section}</th>
                  <td className="text-right font-mono-xs">{b.weight}</td>
                  <td>{b.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.robustness.monteCarlo ? <p>{view.robustness.monteCarlo.sentence}</p> : null}
          <p>{view.robustness.priceSwap}</p>
        </section>
      ) : null}

      {view.charts.length > 0 ? (
        <section aria-labelledby="charts-heading">
          <h2 id="charts-heading">Charts</h2>
          {view.charts.map((chart) => (
            <ResultsChart key={chart.id} chart={chart} totalPoints={totalPoints} tableShown={searchParams.get('table') === chart.id} />
          ))}
        </section>
      ) : null}

      {view.matrix ? (
        <section aria-labelledby="matrix-heading">
          <h2 id="matrix-heading">Comparison matrix</h2>
          <p>
            Each cell shows the criterion value on the 0–{view.matrix.scaleMax} scale and the points it earns. {view.panel.note}
            {view.panel.visible ? ' A criterion’s name shows every score and rationale on it.' : ''}
          </p>
          {view.matrix.focus ? (
            <FocusedCriterion focus={view.matrix.focus} evaluators={view.matrix.evaluators} closeHref={`/rfps/${rfp.id}/results#matrix-heading`} />
          ) : null}
          <ComparisonMatrix matrix={view.matrix} basePath={`/rfps/${rfp.id}/results`} />
        </section>
      ) : null}
    </div>
  );
}
