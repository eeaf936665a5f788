/**
 * The four results charts (recharts). Each is a `<figure>` with a title, a computed text summary, the plot and a
 * table alternative in a native `<details>`, rendered when opened (ChartTable), plus how the figure is computed.
 *
 * Server rendering: every chart has a fixed width and height (no ResponsiveContainer) and a fixed `id`, animations
 * are off, every axis shows every tick (`interval={0}`) and ticks are plain `<text>`: recharts measures text only in
 * the browser, so anything measured would render differently on the server and break hydration.
 */
import { type ReactElement, type SyntheticEvent, useState, useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { plotMarkup } from './plot-markup.server';
import type { ChartView } from './types';

const WIDTH = 760;
const TEXT = '#1b1b1b';
const GRID = '#dfe1e2';

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
}

function categoryTick(max: number) {
  function CategoryTick({ x, y, payload }: TickProps) {
    return (
      <text x={Number(x)} y={Number(y)} dy={4} textAnchor="end" fill={TEXT} fontSize={12}>
        {truncate(String(payload?.value ?? ''), max)}
      </text>
    );
  }
  return CategoryTick;
}

function numberTick(unit: string) {
  function NumberTick({ x, y, payload }: TickProps) {
    return (
      <text x={Number(x)} y={Number(y)} dy={12} textAnchor="middle" fill={TEXT} fontSize={12}>
        {`${String(payload?.value ?? '')}${unit}`}
      </text>
    );
  }
  return NumberTick;
}

function formatTooltip(unit: string) {
  return (value: unknown) => `${String(value)}${unit}`;
}

/** A horizontal bar chart (categories down the left): grouped, or stacked with `stacked`. */
function HorizontalBars({
  chart,
  unit,
  domainMax,
  labelWidth,
  barSize,
  stacked = false,
}: {
  chart: ChartView;
  unit: string;
  domainMax: number;
  labelWidth: number;
  barSize: number;
  stacked?: boolean;
}) {
  const perCategory = stacked ? barSize + 10 : chart.series.length * barSize + 14;
  const height = Math.max(160, chart.data.length * perCategory + 90);
  return (
    <BarChart
      id={`chart-${chart.id}`}
      width={WIDTH}
      height={height}
      data={chart.data}
      layout="vertical"
      margin={{ top: chart.reference === undefined ? 8 : 26, right: 24, bottom: 8, left: 8 }}
      barCategoryGap={stacked ? 6 : 8}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" domain={[0, domainMax]} interval={0} tick={numberTick(unit)} stroke={TEXT} allowDecimals={false} />
      <YAxis type="category" dataKey={chart.categoryKey} width={labelWidth} interval={0} tick={categoryTick(Math.floor(labelWidth / 6.5))} stroke={TEXT} />
      <Tooltip formatter={formatTooltip(unit)} isAnimationActive={false} />
      <Legend verticalAlign="bottom" wrapperStyle={{ color: TEXT, fontSize: 13 }} />
      {chart.reference !== undefined ? (
        <ReferenceLine
          x={chart.reference}
          stroke="#b50909"
          strokeDasharray="6 3"
          strokeWidth={2}
          ifOverflow="extendDomain"
          label={{ value: `divergence threshold ${chart.reference}%`, position: 'top', fill: '#b50909', fontSize: 12 }}
        />
      ) : null}
      {chart.series.map((s) => (
        <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} barSize={barSize} isAnimationActive={false} {...(stacked ? { stackId: 'total' } : {})} />
      ))}
    </BarChart>
  );
}

const noSubscription = () => () => {};

/** False on the server and while the page hydrates, true in the browser afterwards (and on client navigations). */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * The chart's figures as a table, in a `<details>` that renders the table when it is first opened: the page does not
 * carry four tables' markup that most readers never open. Without JavaScript the opened `<details>` holds a link
 * to the page with the table rendered (`?table=<chart id>`), which arrives open; `shown` is that request.
 */
function ChartTable({ chart, shown }: { chart: ChartView; shown: boolean }) {
  const [rendered, setRendered] = useState(shown);
  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>) => {
    if (event.currentTarget.open) setRendered(true);
  };
  const id = `${chart.id}-table`;
  return (
    <details id={id} className="wb-chart__table" open={shown || undefined} onToggle={onToggle}>
      <summary>Table: {chart.table.caption}</summary>
      {rendered ? (
        // Focusable, so a keyboard user can scroll a wide table (WCAG 2.1.1).
        <div className="wb-table-wrap" tabIndex={0} role="region" aria-label={chart.table.caption}>
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption className="usa-sr-only">{chart.table.caption}</caption>
            <thead>
              <tr>
                {chart.table.columns.map((c, i) => (
                  <th key={i} scope="col" className={i > 0 ? 'text-right' : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.table.rows.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{r.header}</th>
                  {r.cells.map((c, j) => (
                    <td key={j} className="text-right">
                      {c}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>
          <a href={`?table=${encodeURIComponent(chart.id)}#${id}`}>Show the table</a>
        </p>
      )}
    </details>
  );
}

/**
 * `drawnFrom`: everything `plot` draws from, the key of its server markup. While hydrating, the plot's element keeps
 * the server's SVG (React does not compare or replace an inner HTML it is given); once hydrated, recharts takes over.
 * `tableShown`: the page was asked for this chart's table (`?table=<id>`), so it is rendered and open.
 */
export function ChartFigure({ chart, drawnFrom, plot, tableShown = false }: { chart: ChartView; drawnFrom: unknown; plot: () => ReactElement; tableShown?: boolean }) {
  const hydrated = useHydrated();
  const titleId = `${chart.id}-title`;
  const plotProps = { className: 'wb-chart__plot', role: 'img', tabIndex: 0, 'aria-label': `${chart.title}. ${chart.summary} The table below gives every figure.` };
  return (
    <figure className="wb-chart" aria-labelledby={titleId}>
      <figcaption>
        <h3 id={titleId} className="margin-bottom-1">
          {chart.title}
        </h3>
        <p className="wb-chart__summary">{chart.summary}</p>
      </figcaption>
      {chart.empty ? null : hydrated ? (
        <div {...plotProps}>{plot()}</div>
      ) : typeof document === 'undefined' ? (
        <div {...plotProps} dangerouslySetInnerHTML={{ __html: plotMarkup(drawnFrom, plot) }} />
      ) : (
        <div {...plotProps} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: '' }} />
      )}
      <ChartTable chart={chart} shown={tableShown} />
      <p className="wb-how">
        <span className="text-bold">How this is computed:</span> {chart.how}
      </p>
    </figure>
  );
}

/** Renders one of the results charts by its id. */
export function ResultsChart({ chart, totalPoints, tableShown = false }: { chart: ChartView; totalPoints: number; tableShown?: boolean }) {
  const plot = () => {
    switch (chart.id) {
      case 'section-profile':
        return <HorizontalBars chart={chart} unit="%" domainMax={100} labelWidth={220} barSize={11} />;
      case 'contribution':
        return <HorizontalBars chart={chart} unit="" domainMax={totalPoints} labelWidth={180} barSize={22} stacked />;
      case 'spread':
        return <HorizontalBars chart={chart} unit="%" domainMax={100} labelWidth={250} barSize={10} />;
      default:
        return <HorizontalBars chart={chart} unit="%" domainMax={100} labelWidth={180} barSize={18} />;
    }
  };
  return <ChartFigure chart={chart} drawnFrom={{ chart, totalPoints }} plot={plot} tableShown={tableShown} />;
}
