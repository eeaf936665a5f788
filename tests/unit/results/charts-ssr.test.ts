/**
 * The charts render on the server (fixed size, no ResponsiveContainer): the HTML holds the SVG, the title, the
 * summary and the table alternative's disclosure (the table itself only when asked for with ?table=), and rendering
 * logs nothing (a console.error fails the test).
 */
import { renderToString } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ResultsChart } from '#app/results/charts';
import { plotMarkup } from '#app/results/plot-markup.server';
import { ComparisonMatrix } from '#app/results/matrix';
import { compactMatrix } from '#app/results/matrix-compact';
import { buildResultsView } from '#app/results/view-model';
import { sampleInput, sourceOf } from './helpers';

describe('results charts and matrix on the server', () => {
  const view = buildResultsView(sourceOf(sampleInput(), true));

  it.each(['section-profile', 'contribution', 'spread', 'robustness'])('renders the %s chart as SVG with its summary and table', (id) => {
    const chart = view.charts.find((c) => c.id === id)!;
    const html = renderToString(createElement(ResultsChart, { chart, totalPoints: 100 }));
    expect(html).toContain('<svg');
    expect(html).toContain('recharts-bar-rectangle');
    expect(html).toContain(`id="${id}-title"`);
    expect(html).toContain('role="img"');
    expect(html).toContain('<details');
    // The table is rendered when the disclosure is opened; without JavaScript its link asks the server for it.
    expect(html).not.toContain('<table');
    expect(html).toContain(`href="?table=${id}#${id}-table"`);
    const asked = renderToString(createElement(ResultsChart, { chart, totalPoints: 100, tableShown: true }));
    expect(asked).toContain(`<details id="${id}-table" class="wb-chart__table" open=""`);
    expect(asked).toContain(`<th scope="row">${chart.table.rows[0]!.header}</th>`);
    // The same chart renders the same markup twice (fixed ids: hydration cannot mismatch on ids).
    expect(renderToString(createElement(ResultsChart, { chart, totalPoints: 100 }))).toBe(html);
  });

  it('renders a plot once per distinct input and sends the same SVG to every reader', () => {
    let drawn = 0;
    const plot = () => {
      drawn += 1;
      return createElement('svg', { className: 'probe' }, createElement('rect', { width: 1, height: 1 }));
    };
    const first = plotMarkup({ probe: 'chart', at: 1 }, plot);
    expect(plotMarkup({ probe: 'chart', at: 1 }, plot)).toBe(first);
    expect(drawn).toBe(1);
    expect(first).toBe('<svg class="probe"><rect width="1" height="1"></rect></svg>');
    // Another input (a new results version changed a figure) draws again.
    plotMarkup({ probe: 'chart', at: 2 }, plot);
    expect(drawn).toBe(2);
  });

  it('renders the matrix with native <details> drill-downs whose scores and rationales are not in the page', () => {
    const html = renderToString(createElement(ComparisonMatrix, { matrix: compactMatrix(view.matrix!, true), basePath: '/rfps/rfp-1/results' }));
    expect(html).toContain('<details><summary>');
    expect(html).not.toContain('Rationale of e1 for A on c1.');
    expect(html).not.toContain('wb-drill__body');
    // Without JavaScript, a criterion's name leads to every score and rationale on it.
    expect(html).toContain('href="?criterion=');
    expect(html).toContain('class="wb-b4');
    // A divergent cell says so; its spread is in the drill-down.
    expect(html).toContain('<i role="img" aria-label="divergent">');
    expect(html).not.toContain('spread 0.80');
  });
});
