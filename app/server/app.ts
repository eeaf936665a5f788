/**
 * The HTTP server: security middleware, the request body limit, static assets, then Remix.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { limitRequestBodies } from './body-limit';
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
}

export function createApp({ build, publicDir, appOrigin, trustProxy }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (trustProxy) app.set('trust proxy', trustProxy);
  app.use(compression());
  app.use(securityHeaders);
  app.use(refuseCrossSiteWrites(appOrigin));
  app.use(refuseNulInUrl);
  app.use(limitRequestBodies());

  app.use('/build', express.static(join(publicDir, 'build'), { immutable: true, maxAge: '1y', index: false }));
  app.use(`/uswds/${USWDS_VERSION}`, express.static(uswdsDist, { immutable: true, maxAge: '1y', index: false }));
  app.use(express.static(publicDir, { maxAge: '1h', index: false }));

  app.all(
    '*',
    remixRequestHandler(build, (req, res) => ({
      cspNonce: String(res.locals.cspNonce),
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      uswdsBase: `/uswds/${USWDS_VERSION}`,
    })),
  );
  return app;
}
