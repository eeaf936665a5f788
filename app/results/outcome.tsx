/**
 * The outcome on a closed RFP's Overview: the recommendation with its points, the ranking in brief, who was
 * disqualified and why, when and by whom the RFP was closed, and where the full results and scorecard are.
 */
import { Link } from '@remix-run/react';
import type { OutcomeView } from './outcome.server';

export function OutcomeSummary({ outcome, rfpId }: { outcome: OutcomeView; rfpId: string }) {
  const none = outcome.recommendation.startsWith('No recommendation');
  return (
    <section className="usa-summary-box margin-bottom-3 wb-outcome" aria-labelledby="outcome-heading">
      <div className="usa-summary-box__body">
        <h2 className="usa-summary-box__heading" id="outcome-heading">
          Outcome
        </h2>
        <div className="usa-summary-box__text">
          <p className="wb-outcome__recommendation">{none ? outcome.recommendation : `Recommended vendor: ${outcome.recommendation}`}</p>
          {outcome.margin ? <p>{outcome.margin}</p> : null}
          {outcome.ranked.length > 0 ? (
            <ol className="usa-list" aria-label="Ranking">
              {outcome.ranked.map((r) => (
                <li key={`${r.rank}-${r.name}`} value={r.rank}>
                  {`${r.name} — ${r.total} of ${outcome.totalPoints} points`}
                </li>
              ))}
            </ol>
          ) : null}
          {outcome.disqualified.map((d) => (
            <p key={d.name}>
              <span className="text-bold">{`${d.name} is disqualified:`}</span> {d.reasons}
            </p>
          ))}
          {outcome.closedAt ? (
            <p>
              {`Closed ${outcome.closedAt}${outcome.closedBy ? ` by ${outcome.closedBy}` : ''}`}
              {outcome.closingReason ? `: ${outcome.closingReason}` : '.'}
            </p>
          ) : null}
          <p className="margin-bottom-0">
            <Link to={`/rfps/${rfpId}/results`}>Full results and comparison matrix</Link>
            {' · '}
            <Link to={`/rfps/${rfpId}/scorecard`}>Leadership scorecard</Link>
          </p>
        </div>
      </div>
    </section>
  );
}
