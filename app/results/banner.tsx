/**
 * The status banner of the results views: "not final" with every reason (the engine's `notFinalBecause`), the fatal
 * problems that stopped the engine, or a note that the results are complete.
 */
import { STATUS_LABELS } from '#app/rfp/status';
import type { RfpStatus } from '#db/schema';

const SHOWN = 8;

function ReasonList({ items }: { items: string[] }) {
  const head = items.slice(0, SHOWN);
  const rest = items.slice(SHOWN);
  return (
    <>
      <ul className="usa-list margin-y-1">
        {head.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
      {rest.length > 0 ? (
        <details className="wb-no-print">
          <summary>Show {rest.length} more</summary>
          <ul className="usa-list margin-y-1">
            {rest.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

export function ResultsBanner({
  final,
  status,
  notFinalBecause,
  complete,
  problems,
}: {
  final: boolean;
  status: RfpStatus;
  notFinalBecause: string[];
  /** What the complete results rest on (the view's `complete`, from wording.ts). */
  complete: string;
  problems: string[];
}) {
  if (problems.length > 0) {
    return (
      <div className="usa-alert usa-alert--error margin-bottom-3" role="region" aria-labelledby="results-problems-heading">
        <div className="usa-alert__body">
          <h2 className="usa-alert__heading" id="results-problems-heading">
            Results cannot be computed yet
          </h2>
          <p className="usa-alert__text">The scoring data has problems; the lead can fix them in the questionnaire or the responses:</p>
          <ReasonList items={problems} />
        </div>
      </div>
    );
  }
  if (!final) {
    return (
      <div className="usa-alert usa-alert--warning margin-bottom-3 wb-not-final" role="region" aria-labelledby="not-final-heading">
        <div className="usa-alert__body">
          <h2 className="usa-alert__heading" id="not-final-heading">
            Not final: these results are provisional
          </h2>
          <p className="usa-alert__text">
            The figures below are computed from what is recorded so far. They will change until these are resolved:
          </p>
          <ReasonList items={notFinalBecause} />
        </div>
      </div>
    );
  }
  return (
    <div className="usa-alert usa-alert--success usa-alert--slim margin-bottom-3" role="region" aria-label="Results status">
      <div className="usa-alert__body">
        <p className="usa-alert__text">
          {status === 'closed'
            ? `Final results: ${complete}, and the RFP is closed.`
            : `Complete: ${complete}. The RFP is in status “${STATUS_LABELS[status]}”; the results become the record when the lead closes it.`}
        </p>
      </div>
    </div>
  );
}
