/**
 * A chart's SVG as the server sends it, rendered once per distinct chart and reused: recharts builds hundreds of
 * elements per chart, and rendering the four charts was a third of a results page's server time. Every reader of an
 * RFP's results at one results version sees the same charts, so the markup is kept by a hash of what draws it.
 */
import { createHash } from 'node:crypto';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** Charts kept per process; one is a few to a few hundred KB of SVG. */
const ENTRIES = 64;
const markups = new Map<string, string>();

/** The static markup of `plot`, drawn from `drawnFrom` alone (a JSON-safe value), from memory when seen before. */
export function plotMarkup(drawnFrom: unknown, plot: () => ReactElement): string {
  const key = createHash('sha256').update(JSON.stringify(drawnFrom)).digest('hex');
  let markup = markups.get(key);
  if (markup === undefined) {
    markup = renderToStaticMarkup(plot());
    if (markups.size >= ENTRIES) markups.delete(markups.keys().next().value!);
  } else {
    markups.delete(key);
  }
  markups.set(key, markup);
  return markup;
}
