/**
 * The route a request went to, as a template (`/rfps/:rfpId/results`), never the URL itself: a path or query string
 * may hold personal text (a search, an email), and metrics need a bounded set of labels.
 */
import type { ServerBuild } from '@remix-run/node';
import { type AgnosticRouteObject, matchRoutes } from '@remix-run/router';

/** Served by express before Remix sees the request. */
const FIXED_PREFIXES: ReadonlyArray<[prefix: string, template: string]> = [
  ['/build/', '/build/*'],
  ['/uswds/', '/uswds/*'],
];

/** A path no route answers (a probe, a mistyped address): one label for all of them. */
export const UNMATCHED_ROUTE = '(unmatched)';

type ManifestRoute = ServerBuild['routes'][string];

function routeTree(routes: ServerBuild['routes']): AgnosticRouteObject[] {
  const childrenOf = (parentId: string | undefined): AgnosticRouteObject[] =>
    Object.values(routes)
      .filter((route): route is ManifestRoute => route !== undefined && route.parentId === parentId)
      .map((route) =>
        route.index
          ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
          : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: childrenOf(route.id) },
      );
  return childrenOf(undefined);
}

export function routeTemplates(build: ServerBuild, extraPaths: readonly string[]) {
  const tree = routeTree(build.routes);
  const exact = new Set(extraPaths);
  return (path: string): string => {
    if (exact.has(path)) return path;
    for (const [prefix, template] of FIXED_PREFIXES) if (path.startsWith(prefix)) return template;
    const matches = matchRoutes(tree, path);
    if (!matches) return UNMATCHED_ROUTE;
    // Only the root matched (no page): unmatched as well.
    const deepest = matches[matches.length - 1]!;
    if (deepest.route.id === 'root') return UNMATCHED_ROUTE;
    const template = matches
      .map((match) => match.route.path ?? '')
      .filter(Boolean)
      .join('/');
    return `/${template}`.replace(/\/+/g, '/');
  };
}
