/**
 * GET /metrics for Prometheus, only with `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN the path does
 * not exist (404), so an installation that has not chosen a token exposes nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { registerScrapeGauge, renderMetrics } from '#app/observability/metrics';
import { countActiveSessions, countPendingUploads, getDb } from '#app/utils/db.server';
import { IDLE_MINUTES } from '#app/utils/session.server';
import { countOutboxByStatus } from '#db/queries/mail-outbox';

export const METRICS_PATH = '/metrics';

/** Compares digests, so neither the token's length nor its first differing byte shows in the time taken. */
function tokenMatches(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerToken(req: Request): string | undefined {
  const match = /^Bearer ([^\s]+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

export function registerDatabaseGauges(): void {
  registerScrapeGauge({
    name: 'workbench_active_sessions',
    help: 'Sessions neither expired nor idle past SESSION_IDLE_MINUTES (people signed in).',
    read: () => countActiveSessions(getDb(), IDLE_MINUTES),
  });
  registerScrapeGauge({
    name: 'workbench_import_pending_uploads',
    help: 'Uploaded questionnaires and vendor workbooks waiting for their confirmation (kept 24 h).',
    read: () => countPendingUploads(getDb()),
  });
  registerScrapeGauge({
    name: 'workbench_mail_outbox_pending',
    help: 'Mails in the outbox waiting to be sent (new, or retrying after a failed attempt).',
    read: async () => (await countOutboxByStatus(getDb())).pending,
  });
  registerScrapeGauge({
    name: 'workbench_mail_outbox_failed',
    help: 'Mails the sender gave up on (see the Mail page).',
    read: async () => (await countOutboxByStatus(getDb())).failed,
  });
}

export function metricsRoute(token: string | undefined) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (!token || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const given = bearerToken(req);
    if (!given || !tokenMatches(given, token)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.type('text/plain').send('The metrics need the bearer token set in METRICS_TOKEN.');
      return;
    }
    try {
      const body = await renderMetrics();
      res.setHeader('Cache-Control', 'no-store');
      res.type('text/plain; version=0.0.4; charset=utf-8').send(body);
    } catch (error) {
      next(error);
    }
  };
}
