/**
 * The last resort: an error that escaped Remix (or happened before it). The stack goes to the log under the request
 * id; the page shows only the id, as the reference to quote. Express's own handler would print the stack.
 */
import type { NextFunction, Request, Response } from 'express';
import { logRequestError } from '#app/observability/log';

export function serverErrorPage(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  logRequestError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const reference = String(res.locals.requestId ?? '');
  res.status(500).type('html');
  res.send(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong · AI Vendor Evaluation Workbench</title></head>' +
      '<body><main><h1>Something went wrong</h1><p>The workbench could not complete this request. Try again, and tell your administrator if it keeps happening.</p>' +
      `<p>Reference: <code>${reference}</code></p></main></body></html>`,
  );
}
