/**
 * Hands a request to Remix, with the body as counted by the body limit rather than the raw socket stream.
 * Otherwise what @remix-run/express's handler does (it offers no way to pass another body).
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  createRequestHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from '@remix-run/node';
import type { NextFunction, Request, Response } from 'express';
import { cappedRequestBody } from './body-limit';

function remixHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(incoming)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}

async function sendRemixResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

function requestUrl(req: Request): string {
  // req.hostname honours `trust proxy` but has no port: take it from X-Forwarded-Host or Host, as the Remix adapter does.
  const port = [req.get('x-forwarded-host'), req.get('host')]
    .map((host) => Number.parseInt(host?.split(':')[1] ?? '', 10))
    .find((value) => Number.isSafeInteger(value));
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`).href;
}

export function remixRequestHandler(build: ServerBuild, getLoadContext: (req: Request, res: Response) => AppLoadContext) {
  const handle = createRequestHandler(build, build.mode);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const controller = new AbortController();
      // Stop loaders and actions when nobody can receive the answer any more, or when the body limit has refused the
      // request (Remix does not log errors of an aborted request).
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (cappedRequestBody(res) ?? req);
      body?.once('error', () => controller.abort());
      const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
      if (body) {
        init.body = createReadableStreamFromReadable(body);
        init.duplex = 'half';
      }
      const response = await handle(new Request(requestUrl(req), init), getLoadContext(req, res));
      // The body limit may already have answered 413.
      if (res.headersSent) return;
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
