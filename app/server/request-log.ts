/**
 * Every request gets an id (a safe X-Request-Id from a load balancer, else our own), sent back as X-Request-Id, and,
 * once answered, one JSON log line (with the number of database queries it issued) and its share of the metrics. The line names the route template, never the URL:
 * a query string or path may hold a search or an email.
 */
import type { NextFunction, Request, Response } from 'express';
import { writeLog } from '#app/observability/log';
import { metrics } from '#app/observability/metrics';
import { acceptOrCreateRequestId, type RequestContext, runWithRequestContext } from '#app/observability/request-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';

export function requestLog(templateOf: (path: string) => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const context: RequestContext = { requestId: acceptOrCreateRequestId(req.get(REQUEST_ID_HEADER)), userId: null, queries: 0, dbMs: 0 };
    res.locals.requestId = context.requestId;
    res.setHeader(REQUEST_ID_HEADER, context.requestId);
    const m = metrics();
    m.httpInFlight.value += 1;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      m.httpInFlight.value -= 1;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const route = templateOf(req.path);
      // A request the client gave up on before the answer was sent counts as 499, as nginx logs it.
      const status = res.writableFinished ? res.statusCode : 499;
      const labels = { method: req.method, route, status: String(status) };
      m.httpRequests.inc(labels);
      m.httpDuration.observe(labels, durationMs / 1000);
      writeLog(status >= 500 ? 'error' : 'info', 'request', {
        requestId: context.requestId,
        method: req.method,
        route,
        status,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: context.userId,
        queries: context.queries,
        dbMs: Math.round(context.dbMs * 10) / 10,
      });
    };
    res.once('finish', finish);
    res.once('close', finish);
    runWithRequestContext(context, next);
  };
}
