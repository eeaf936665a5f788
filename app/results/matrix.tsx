/**
 * The comparison matrix: criteria (rows, grouped by section) × vendors (columns, in ranking order). Each cell prints
 * its value; the background encodes the score band (darker = higher) and is never the only cue. ◆ marks a divergent
 * vendor × criterion, “C” a consensus score. When the viewer may see them, a cell opens (native `<details>`, no
 * JavaScript needed) to every evaluator's score and rationale.
 */
import { Link } from '@remix-run/react';
import type { KeyboardEvent, SyntheticEvent } from 'react';
import { SCORE_BANDS } from './colors';
import { formatScore } from './format';
import { intersect, placePopover } from './popover-placement';
import type { DrillEntry, FocusView, MatrixCellView, MatrixView } from './types';

const STATE_NOTE: Record<string, string> = {
  not_submitted: ' (sheet not submitted: not counted)',
  recused: ' (recused: not counted)',
};

/** Beside a disqualified vendor's price points: it is not ranked, so they count for nothing. */
export const NOT_COUNTED = 'not counted (disqualified)';

/** A consensus rationale the reader may not read (app/confidentiality/panel.ts). */
const CONSENSUS_RATIONALE_WITHHELD = 'rationale withheld from you';

function entryText(d: DrillEntry, evaluators: readonly string[]): string {
  return `${evaluators[d.e] ?? 'Former evaluator'}: ${d.v}${d.s ? (STATE_NOTE[d.s] ?? '') : ''}`;
}

function CellBody({ cell }: { cell: MatrixCellView }) {
  return (
    <>
      <span className="wb-cell__value">{cell.text}</span>
      {cell.note ? <span className="usa-sr-only">{` ${cell.note}`}</span> : null}
      {cell.source === 'consensus' ? (
        <abbr className="wb-cell__mark" title="Consensus score">
          C
        </abbr>
      ) : null}
      {cell.divergent ? (
        <span className="wb-cell__mark" title={`Divergent: spread ${cell.spread ?? ''} of the scale`}>
          <span aria-hidden="true">◆</span>
          <span className="usa-sr-only">{`divergent, spread ${cell.spread ?? ''} of the scale`}</span>
        </span>
      ) : null}
      {cell.points !== null ? (
        cell.pointsNotCounted ? (
          <span className="wb-cell__points wb-cell__points--not-counted">
            <s>{`${cell.points} pts`}</s> {NOT_COUNTED}
          </span>
        ) : (
          <span className="wb-cell__points">{`${cell.points} pts`}</span>
        )
      ) : null}
    </>
  );
}

/**
 * On opening a drill-down: closes the others (one popover at a time), then places this one inside the matrix's
 * visible frame (popover-placement.ts) and scrolls it into view. Without JavaScript the popover opens below the cell.
 */
function onDrillToggle(event: SyntheticEvent<HTMLDetailsElement>) {
  const details = event.currentTarget;
  const body = details.querySelector<HTMLElement>('.wb-drill__body');
  if (!details.open || !body) return;
  for (const other of details.closest('table')?.querySelectorAll<HTMLDetailsElement>('details.wb-drill[open]') ?? []) {
    if (other !== details) other.open = false;
  }
  body.style.left = '';
  body.style.maxHeight = '';
  body.style.maxWidth = '';
  delete details.dataset.side;
  const cell = (details.closest('td') ?? details).getBoundingClientRect();
  const wrap = details.closest('.wb-table-wrap')?.getBoundingClientRect() ?? cell;
  const frame = intersect(wrap, { left: 0, top: -Infinity, right: document.documentElement.clientWidth, bottom: Infinity });
  const placement = placePopover(cell, { width: body.offsetWidth, height: body.offsetHeight }, frame);
  body.style.left = `${placement.left}px`;
  details.dataset.side = placement.side;
  if (placement.maxHeight !== null) body.style.maxHeight = `${placement.maxHeight}px`;
  if (placement.maxWidth !== null) body.style.maxWidth = `${placement.maxWidth}px`;
  body.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Escape closes an open drill-down and leaves the focus on its cell. */
function onDrillKeyDown(event: KeyboardEvent<HTMLDetailsElement>) {
  const details = event.currentTarget;
  if (event.key !== 'Escape' || !details.open) return;
  details.open = false;
  details.querySelector('summary')?.focus();
}

function Drill({
  cell,
  evaluators,
  vendor,
  criterion,
  rationalesHref,
}: {
  cell: MatrixCellView;
  evaluators: string[];
  vendor: string;
  criterion: string;
  rationalesHref: string;
}) {
  const missing = (cell.drill ?? []).some((d) => d.r === undefined);
  return (
    <details className="wb-drill" onToggle={onDrillToggle} onKeyDown={onDrillKeyDown}>
      <summary>
        <CellBody cell={cell} />
        <span className="usa-sr-only">{`: each evaluator’s score for ${vendor} on ${criterion}`}</span>
      </summary>
      <div className="wb-drill__body">
        <p className="text-bold margin-y-0">{`${vendor} — ${criterion}`}</p>
        {cell.consensus ? (
          <p className="margin-y-1">
            {`Consensus: ${cell.consensus.value}${cell.consensus.decidedBy ? ` (${cell.consensus.decidedBy})` : ''} — ${cell.consensus.rationale ?? CONSENSUS_RATIONALE_WITHHELD}`}
          </p>
        ) : null}
        {missing ? (
          // Scores only (a large evaluation): one line, so thousands of cells stay cheap to render.
          <p className="margin-y-1">{(cell.drill ?? []).map((d) => entryText(d, evaluators)).join('; ')}</p>
        ) : (
          <ul className="usa-list usa-list--unstyled">
            {(cell.drill ?? []).map((d, i) => (
              <li key={i} className="margin-bottom-1">
                <strong>{entryText(d, evaluators)}</strong>
                {d.r ? <span className="display-block">{d.r}</span> : null}
              </li>
            ))}
          </ul>
        )}
        {cell.spread !== null ? <p className="margin-y-0 font-body-3xs">{`Spread: ${cell.spread} of the scale.`}</p> : null}
        {missing ? (
          <p className="margin-y-0">
            <Link to={rationalesHref}>Read the rationales on this criterion</Link>
          </p>
        ) : null}
      </div>
    </details>
  );
}

/** Every evaluator's score and rationale on one criterion (asked for with ?criterion=…), vendor by vendor. */
export function FocusedCriterion({ focus, evaluators, closeHref }: { focus: FocusView; evaluators: string[]; closeHref: string }) {
  return (
    <section id="criterion-rationales" className="wb-focus" aria-labelledby="criterion-rationales-heading">
      <h3 id="criterion-rationales-heading">{`Every score and rationale: ${focus.title} (${focus.key})`}</h3>
      <div className="wb-table-wrap" tabIndex={0} role="region" aria-labelledby="criterion-rationales-heading">
        <table className="usa-table usa-table--borderless usa-table--compact width-full">
          <caption className="usa-sr-only">{`Each evaluator’s score and rationale on ${focus.title}, by vendor`}</caption>
          <thead>
            <tr>
              <th scope="col">Vendor (value)</th>
              <th scope="col">Evaluator: score</th>
              <th scope="col">Rationale</th>
            </tr>
          </thead>
          {focus.vendors.map((v) => (
            <tbody key={v.name}>
              <tr>
                <th scope="rowgroup" rowSpan={Math.max(1, v.entries.length) + (v.consensus ? 1 : 0)}>
                  {`${v.name} (${v.text})`}
                </th>
                {v.entries.length === 0 ? (
                  <td colSpan={2}>No evaluator scored this.</td>
                ) : (
                  <>
                    <td>{entryText(v.entries[0] as DrillEntry, evaluators)}</td>
                    <td>{(v.entries[0] as DrillEntry).r ?? ''}</td>
                  </>
                )}
              </tr>
              {v.entries.slice(1).map((d, i) => (
                <tr key={i}>
                  <td>{entryText(d, evaluators)}</td>
                  <td>{d.r ?? ''}</td>
                </tr>
              ))}
              {v.consensus ? (
                <tr>
                  <td className="text-bold">{`Consensus: ${v.consensus.value}${v.consensus.decidedBy ? ` (${v.consensus.decidedBy})` : ''}`}</td>
                  <td>{v.consensus.rationale ?? CONSENSUS_RATIONALE_WITHHELD}</td>
                </tr>
              ) : null}
            </tbody>
          ))}
        </table>
      </div>
      <p>
        <Link to={closeHref}>Close the rationales</Link>
      </p>
    </section>
  );
}

/** `basePath`: the results page's path, for the links to one criterion's rationales. */
export function ComparisonMatrix({ matrix, basePath }: { matrix: MatrixView; basePath: string }) {
  const columns = matrix.vendors.length + 2;
  return (
    <>
      <div className="wb-table-wrap wb-matrix-wrap" tabIndex={0} role="region" aria-label="Comparison matrix (scrolls sideways)">
        <table className="usa-table usa-table--borderless usa-table--compact wb-matrix">
          <caption className="usa-sr-only">
            Comparison matrix: criterion values (0 to {matrix.scaleMax}) and points per vendor, with divergence and consensus marks
          </caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col" className="text-right">
                Points
              </th>
              {matrix.vendors.map((v) => (
                <th key={v.id} scope="col" className="wb-matrix__vendor">
                  {v.name}
                  <span className="display-block text-normal font-body-3xs">{v.qualified ? `Rank ${v.rank ?? ''}` : 'Disqualified'}</span>
                </th>
              ))}
            </tr>
          </thead>
          {matrix.groups.map((g) => (
            <tbody key={g.sectionId}>
              <tr className="wb-matrix__section">
                <th scope="colgroup" colSpan={columns}>
                  {g.title}
                </th>
              </tr>
              {g.rows.map((row) => (
                <tr key={row.criterionId}>
                  <th scope="row" className="wb-matrix__criterion">
                    {row.title}
                    <span className="display-block text-normal font-mono-3xs">
                      {row.key}
                      {row.kind === 'pass_fail' ? ' · knock-out' : row.kind === 'price' ? ' · price' : ''}
                    </span>
                  </th>
                  <td className="text-right">{row.kind === 'pass_fail' ? '—' : row.points}</td>
                  {row.cells.map((cell, i) => {
                    const vendor = matrix.vendors[i];
                    const className = `wb-cell wb-cell--${cell.tone}${cell.band !== null ? ` wb-cell--b${cell.band}` : ''}${cell.divergent ? ' wb-cell--divergent' : ''}`;
                    return (
                      <td key={vendor?.id ?? i} className={className}>
                        {cell.drill ? (
                          <Drill
                            cell={cell}
                            evaluators={matrix.evaluators}
                            vendor={vendor?.name ?? ''}
                            criterion={row.title}
                            rationalesHref={`${basePath}?criterion=${encodeURIComponent(row.criterionId)}#criterion-rationales`}
                          />
                        ) : (
                          <CellBody cell={cell} />
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          ))}
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td />
              {matrix.totals.map((t, i) => (
                <td key={matrix.vendors[i]?.id ?? i} className="text-bold wb-cell">
                  {t}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <MatrixLegend matrix={matrix} />
    </>
  );
}

function MatrixLegend({ matrix }: { matrix: MatrixView }) {
  const S = matrix.scaleMax;
  return (
    <div className="wb-legend" aria-label="Key to the comparison matrix" role="group">
      <span className="text-bold">Key:</span>
      {SCORE_BANDS.map((b) => (
        <span key={b.index} className={`wb-legend__swatch wb-cell--b${b.index}`}>
          {b.index === SCORE_BANDS.length - 1 ? `${formatScore(b.from * S)} to ${formatScore(b.to * S)}` : `${formatScore(b.from * S)} to under ${formatScore(b.to * S)}`}
        </span>
      ))}
      <span>darker = higher score (price: share of the price points)</span>
      <span>
        <span aria-hidden="true">◆</span> divergent (spread ≥ {matrix.divergenceThreshold} of the scale)
      </span>
      <span>
        <abbr title="Consensus score">C</abbr> consensus score
      </span>
      <span>— not scored</span>
      <span>
        <s>pts</s> {NOT_COUNTED}
      </span>
    </div>
  );
}
