/**
 * What the server knows about the request being answered, reachable from any loader or query without passing it
 * along: its id (for the log line and the error page's reference) and who is signed in (for the log line).
 *
 * The express server (run by tsx) and the Remix build (a separate bundle) each evaluate this module, so the store is
 * kept on globalThis: both must see the same one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export interface RequestContext {
  requestId: string;
  /** The signed-in user's id once a loader or action has looked the session up; null for an anonymous request. */
  userId: string | null;
  /** Database queries this request issued, and their time as the driver saw it: a page whose count grows with its rows issues a query per row. */
  queries: number;
  dbMs: number;
}

declare global {
  var __workbenchRequestContext: AsyncLocalStorage<RequestContext> | undefined;
}

function store(): AsyncLocalStorage<RequestContext> {
  globalThis.__workbenchRequestContext ??= new AsyncLocalStorage<RequestContext>();
  return globalThis.__workbenchRequestContext;
}

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return store().run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return store().getStore();
}

/** Records who the request is from, for its log line (never their name or email: the id is enough to look them up). */
export function noteRequestUser(userId: string): void {
  const context = currentRequestContext();
  if (context) context.userId = userId;
}

/** A load balancer's or client's id, kept so the two logs can be joined; anything else is replaced by our own. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function acceptOrCreateRequestId(incoming: string | undefined): string {
  if (incoming !== undefined && SAFE_REQUEST_ID.test(incoming)) return incoming;
  // 16 hex digits: unique enough to find one line among a year's, short enough to read out over the phone.
  return randomBytes(8).toString('hex');
}
