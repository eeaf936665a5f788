/**
 * The figures GET /metrics reports, in the Prometheus text format (version 0.0.4), written by hand: a few counters,
 * histograms and gauges need no client library.
 *
 * Like the request context, the registry lives on globalThis, because the express server and the Remix build each
 * evaluate this module and must count into the same figures.
 */
import { currentRequestContext } from './request-context';

type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels, extra: Labels = {}): string {
  const all = { ...labels, ...extra };
  const pairs = Object.keys(all).map((key) => `${key}="${escapeLabel(all[key]!)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((key) => [key, labels[key]]));
}

/** Numbers as Prometheus reads them (no exponent surprises for small durations). */
function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

export class Counter {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = seriesKey(labels);
    const found = this.series.get(key);
    if (found) found.value += by;
    else this.series.set(key, { labels, value: by });
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.series.values()) lines.push(`${this.name}${labelText(labels)} ${formatNumber(value)}`);
    return lines;
  }
}

export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds in seconds, ascending. */
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, seconds: number): void {
    const key = seriesKey(labels);
    let found = this.series.get(key);
    if (!found) {
      found = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, found);
    }
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]!) found.counts[i]! += 1;
    found.sum += seconds;
    found.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText(labels, { le: formatNumber(bound) })} ${counts[i]}`));
      lines.push(`${this.name}_bucket${labelText(labels, { le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${formatNumber(sum)}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines;
  }
}

/** A gauge read when /metrics is asked for (a count in the database, a pool's size). */
export interface ScrapeGauge {
  name: string;
  help: string;
  read: () => number | Promise<number>;
}

const REQUEST_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUERY_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

function createMetrics() {
  return {
    httpRequests: new Counter('workbench_http_requests_total', 'Requests answered, by method, route template and status.'),
    httpDuration: new Histogram('workbench_http_request_duration_seconds', 'Time from the request arriving to the last byte of its answer, by method, route template and status.', REQUEST_SECONDS),
    httpInFlight: { value: 0 },
    dbQueryDuration: new Histogram('workbench_db_query_duration_seconds', 'Time each database query took, as the driver saw it.', QUERY_SECONDS),
    dbQueryErrors: new Counter('workbench_db_query_errors_total', 'Database queries that failed.'),
    gauges: new Map<string, ScrapeGauge>(),
  };
}

declare global {
  var __workbenchMetrics: ReturnType<typeof createMetrics> | undefined;
}

export function metrics(): ReturnType<typeof createMetrics> {
  globalThis.__workbenchMetrics ??= createMetrics();
  return globalThis.__workbenchMetrics;
}

/**
 * Adds a gauge read at each scrape. This is the hook for figures owned elsewhere: the import worker pool registers
 * its running and waiting jobs, /metrics its database counts (sessions, pending uploads, the mail outbox).
 */
export function registerScrapeGauge(gauge: ScrapeGauge): void {
  metrics().gauges.set(gauge.name, gauge);
}

export function observeQuery(durationMs: number, failed: boolean): void {
  const request = currentRequestContext();
  if (request) {
    request.queries += 1;
    request.dbMs += durationMs;
  }
  const m = metrics();
  m.dbQueryDuration.observe({}, durationMs / 1000);
  if (failed) m.dbQueryErrors.inc();
}

/** The whole exposition. A gauge that cannot be read is left out (and said in a comment) rather than reported as 0. */
export async function renderMetrics(): Promise<string> {
  const m = metrics();
  const lines: string[] = [
    ...m.httpRequests.render(),
    ...m.httpDuration.render(),
    '# HELP workbench_http_requests_in_flight Requests being answered now.',
    '# TYPE workbench_http_requests_in_flight gauge',
    `workbench_http_requests_in_flight ${m.httpInFlight.value}`,
    ...m.dbQueryDuration.render(),
    ...m.dbQueryErrors.render(),
  ];
  for (const gauge of m.gauges.values()) {
    try {
      const value = await gauge.read();
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`, `${gauge.name} ${formatNumber(value)}`);
    } catch (error) {
      lines.push(`# ${gauge.name} could not be read: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
