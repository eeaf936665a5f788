/**
 * The comparison matrix: criteria (rows, grouped by section) × vendors (columns, in ranking order). Each cell prints
 * its value; the background encodes the score band (darker = higher) and is never the only cue. ◆ marks a divergent
 * vendor × criterion, “C” a consensus score. When the viewer may see them, a cell opens (native `<details>`) to every
 * evaluator's score and rationale, read from the server when it is opened (the page does not carry them); a
 * criterion's name links to every score and rationale on it, which works without JavaScript.
 */
import { Link } from '@remix-run/react';
import { type KeyboardEvent, type SyntheticEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { SCORE_BANDS } from './colors';
import { formatScore } from './format';
import { CELL_CONSENSUS, CELL_DIVERGENT, CELL_NOT_COUNTED, CELL_OPENS } from './matrix-compact';
import { intersect, placePopover } from './popover-placement';
import type { CompactCell, CompactMatrixView, CriterionDrillView, DrillEntry, FocusView } from './types';

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

function CellBody({ cell }: { cell: CompactCell }) {
  const [text, , points, flags, note] = cell;
  return (
    <>
      <b>{text}</b>
      {note ? <span className="usa-sr-only">{` ${note}`}</span> : null}
      {flags & CELL_CONSENSUS ? (
        <abbr className="wb-cell__mark" title="Consensus score">
          C
        </abbr>
      ) : null}
      {/* The spread is said in the drill-down, which the page loads when the cell is opened. */}
      {flags & CELL_DIVERGENT ? (
        <i role="img" aria-label="divergent">
          ◆
        </i>
      ) : null}
      {points !== null ? (
        flags & CELL_NOT_COUNTED ? (
          <small className="wb-cell__points--not-counted">
            <s>{`${points} pts`}</s> {NOT_COUNTED}
          </small>
        ) : (
          <small>{`${points} pts`}</small>
        )
      ) : null}
    </>
  );
}

/** The class that colours a cell: its band or tone, and the divergence frame (see app.css). */
function cellClass([, colour, , flags]: CompactCell): string | undefined {
  const classes = [colour === null ? '' : typeof colour === 'number' ? `wb-b${colour}` : `wb-${colour}`, flags & CELL_DIVERGENT ? 'wb-dv' : ''];
  return classes.filter(Boolean).join(' ') || undefined;
}

/**
 * Places an open drill-down's popover inside the matrix's visible frame (popover-placement.ts) and scrolls it into
 * view; run again when its content arrives, since that changes its size.
 */
function placeDrill(details: HTMLDetailsElement) {
  const body = details.querySelector<HTMLElement>('.wb-drill__body');
  if (!details.open || !body) return;
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

/**
 * One request per criterion, shared by its cells (opening the next vendor on the same row reads nothing more); a
 * failed request is forgotten so opening the cell again retries.
 */
const drillRequests = new Map<string, Promise<CriterionDrillView>>();

function loadCriterionDrill(url: string): Promise<CriterionDrillView> {
  let request = drillRequests.get(url);
  if (!request) {
    request = fetch(url, { headers: { accept: 'application/json' } }).then(async (response) => {
      if (!response.ok) throw new Error((await response.text()) || `The scores could not be read (${response.status}).`);
      return (await response.json()) as CriterionDrillView;
    });
    request.catch(() => drillRequests.delete(url));
    drillRequests.set(url, request);
  }
  return request;
}

type DrillState = { status: 'loading' } | { status: 'loaded'; drill: CriterionDrillView } | { status: 'failed'; message: string };

/** The open popover: loads the criterion's drill-downs, shows this vendor's, then takes the focus so it is read. */
function DrillBody({ url, vendorId, heading }: { url: string; vendorId: string; heading: string }) {
  const [state, setState] = useState<DrillState>({ status: 'loading' });
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    loadCriterionDrill(url).then(
      (drill) => live && setState({ status: 'loaded', drill }),
      (error: unknown) => live && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  useLayoutEffect(() => {
    const body = ref.current;
    const details = body?.closest('details');
    if (!body || !details) return;
    placeDrill(details);
    if (state.status !== 'loading') body.focus();
  }, [state]);
  const vendor = state.status === 'loaded' ? state.drill.vendors.find((v) => v.id === vendorId) : undefined;
  const evaluators = state.status === 'loaded' ? state.drill.evaluators : [];
  return (
    // tabIndex 0: a popover capped in height scrolls, and a scrolling region must be reachable by keyboard (WCAG 2.1.1).
    <div ref={ref} className="wb-drill__body" tabIndex={0} role="group" aria-label={heading} aria-busy={state.status === 'loading'}>
      <p className="text-bold margin-y-0">{heading}</p>
      {state.status === 'loading' ? <p className="margin-y-1">Loading each evaluator’s score…</p> : null}
      {state.status === 'failed' ? (
        <p className="margin-y-1" role="alert">
          {state.message}
        </p>
      ) : null}
      {vendor?.consensus ? (
        <p className="margin-y-1">
          {`Consensus: ${vendor.consensus.value}${vendor.consensus.decidedBy ? ` (${vendor.consensus.decidedBy})` : ''} — ${vendor.consensus.rationale ?? CONSENSUS_RATIONALE_WITHHELD}`}
        </p>
      ) : null}
      {vendor?.spread ? <p className="margin-y-0 font-body-3xs">{`Spread: ${vendor.spread} of the scale.`}</p> : null}
      {state.status === 'loaded' ? (
        (vendor?.entries ?? []).length === 0 ? (
          <p className="margin-y-1">No evaluator’s score on this cell can be shown.</p>
        ) : (
          <ul className="usa-list usa-list--unstyled">
            {(vendor?.entries ?? []).map((d, i) => (
              <li key={i} className="margin-bottom-1">
                <strong>{entryText(d, evaluators)}</strong>
                {d.r ? <span className="display-block">{d.r}</span> : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

function Drill({ cell, vendorId, heading, url }: { cell: CompactCell; vendorId: string; heading: string; url: string }) {
  const [open, setOpen] = useState(false);
  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>) => {
    const details = event.currentTarget;
    // One popover at a time.
    if (details.open) {
      for (const other of details.closest('table')?.querySelectorAll<HTMLDetailsElement>('details[open]') ?? []) {
        if (other !== details) other.open = false;
      }
    }
    setOpen(details.open);
  };
  return (
    <details onToggle={onToggle} onKeyDown={onDrillKeyDown}>
      <summary>
        <CellBody cell={cell} />
      </summary>
      {open ? <DrillBody url={url} vendorId={vendorId} heading={heading} /> : null}
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

/** `basePath`: the results page's path, for the links to one criterion's rationales and the drill-downs' data. */
export function ComparisonMatrix({ matrix, basePath }: { matrix: CompactMatrixView; basePath: string }) {
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
                    {matrix.drillable ? <a href={`?criterion=${encodeURIComponent(row.criterionId)}#criterion-rationales`}>{row.title}</a> : row.title}
                    <span className="display-block text-normal font-mono-3xs">
                      {row.key}
                      {row.kind === 'pass_fail' ? ' · knock-out' : row.kind === 'price' ? ' · price' : ''}
                    </span>
                  </th>
                  <td className="text-right">{row.kind === 'pass_fail' ? '—' : row.points}</td>
                  {row.cells.map((cell, i) => {
                    const vendor = matrix.vendors[i];
                    // No class of its own (see app.css): only the tone, band and divergence, which colour it.
                    return (
                      <td key={vendor?.id ?? i} className={cellClass(cell)}>
                        {cell[3] & CELL_OPENS && vendor ? (
                          <Drill cell={cell} vendorId={vendor.id} heading={`${vendor.name} — ${row.title}`} url={`${basePath}/criterion/${encodeURIComponent(row.criterionId)}`} />
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

function MatrixLegend({ matrix }: { matrix: CompactMatrixView }) {
  const S = matrix.scaleMax;
  return (
    <div className="wb-legend" aria-label="Key to the comparison matrix" role="group">
      <span className="text-bold">Key:</span>
      {SCORE_BANDS.map((b) => (
        <span key={b.index} className={`wb-legend__swatch wb-b${b.index}`}>
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
