/**
 * The server's log: one JSON object per line on stdout, so a log shipper reads fields rather than parsing sentences.
 * Callers pass fields they chose; nothing here copies a request, a form or a URL, which may carry personal text.
 */
import { currentRequestContext } from './request-context';

export type LogLevel = 'info' | 'warn' | 'error';

export function writeLog(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

/**
 * An error met while answering a request: the stack goes to the log with the request id, which the person sees on
 * the error page as the reference; the page itself never shows the stack.
 */
export function logRequestError(error: unknown, fields: Record<string, unknown> = {}): void {
  const context = currentRequestContext();
  const described =
    error instanceof Error ? { error: error.message, errorName: error.name, stack: error.stack } : { error: String(error) };
  writeLog('error', 'request error', { requestId: context?.requestId ?? null, userId: context?.userId ?? null, ...fields, ...described });
}
