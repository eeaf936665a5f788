/**
 * The HTTP server: security middleware, the request body limit, static assets, then Remix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { limitRequestBodies } from './body-limit';
import { serverErrorPage } from './error-page';
import { METRICS_PATH, metricsRoute, registerDatabaseGauges } from './metrics-route';
import { requestLog } from './request-log';
import { routeTemplates } from './route-template';
import { refuseNulInUrl } from './input-guards';
import { remixRequestHandler } from './remix-handler';
import { refuseCrossSiteWrites, securityHeaders } from './security';

const require = createRequire(import.meta.url);
/** USWDS ships its CSS, fonts, icons and JS in dist/; served as-is under a versioned path. */
const uswdsDist = join(dirname(require.resolve('@uswds/uswds')), '..');
export const USWDS_VERSION: string = JSON.parse(readFileSync(join(uswdsDist, '..', 'package.json'), 'utf8')).version;

export interface AppOptions {
  build: ServerBuild;
  publicDir: string;
  appOrigin?: string;
  trustProxy?: string;
  /** Bearer token for GET /metrics; without one /metrics answers 404. */
  metricsToken?: string;
  /** Says whether the server is shutting down, so answers ask clients to close their connection. */
  isShuttingDown?: () => boolean;
}

export function createApp({ build, publicDir, appOrigin, trustProxy, metricsToken, isShuttingDown }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (trustProxy) app.set('trust proxy', trustProxy);
  const publicFiles = readdirSync(publicDir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => `/${entry.name}`);
  app.use(requestLog(routeTemplates(build, [...publicFiles, METRICS_PATH])));
  if (isShuttingDown) {
    app.use((_req, res, next) => {
      if (isShuttingDown()) res.setHeader('Connection', 'close');
      next();
    });
  }
  app.use(compression());
  app.use(securityHeaders);
  app.use(refuseCrossSiteWrites(appOrigin));
  app.use(refuseNulInUrl);
  app.use(limitRequestBodies());

  app.use('/build', express.static(join(publicDir, 'build'), { immutable: true, maxAge: '1y', index: false }));
  app.use(`/uswds/${USWDS_VERSION}`, express.static(uswdsDist, { immutable: true, maxAge: '1y', index: false }));
  app.use(express.static(publicDir, { maxAge: '1h', index: false }));
  registerDatabaseGauges();
  app.get(METRICS_PATH, metricsRoute(metricsToken));

  app.all(
    '*',
    remixRequestHandler(build, (req, res) => ({
      cspNonce: String(res.locals.cspNonce),
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      uswdsBase: `/uswds/${USWDS_VERSION}`,
      requestId: String(res.locals.requestId),
    })),
  );
  app.use(serverErrorPage);
  return app;
}
