/**
 * Graceful shutdown on SIGTERM and SIGINT: stop accepting connections, let the requests being answered finish (an
 * upload still arriving, a long export), close idle keep-alive connections as they free up, then close the database
 * and exit 0. Requests still running after SHUTDOWN_TIMEOUT_MS are cut off and the process exits 1.
 */
import type { Server } from 'node:http';
import { writeLog } from '#app/observability/log';
import { metrics } from '#app/observability/metrics';

export interface ShutdownOptions {
  timeoutMs: number;
  closeDatabase: () => Promise<void>;
}

export function shutdownTimeoutFromEnv(): number {
  const value = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 30_000);
  return Number.isFinite(value) && value >= 0 ? value : 30_000;
}

export function installGracefulShutdown(server: Server, options: ShutdownOptions): { isShuttingDown: () => boolean } {
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    writeLog('info', 'shutting down', { signal, inFlight: metrics().httpInFlight.value, timeoutMs: options.timeoutMs });
    const exit = async (code: number) => {
      await options.closeDatabase().catch((error: unknown) => writeLog('error', 'closing the database failed', { error: String(error) }));
      writeLog('info', 'stopped', { exitCode: code });
      process.exit(code);
    };
    const timer = setTimeout(() => {
      writeLog('error', 'shutdown timed out; cutting off the requests still running', { inFlight: metrics().httpInFlight.value });
      server.closeAllConnections();
      void exit(1);
    }, options.timeoutMs);
    // Connections waiting for a next request would otherwise hold the server open until their keep-alive timeout.
    const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(closeIdle);
      void exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return { isShuttingDown: () => shuttingDown };
}
