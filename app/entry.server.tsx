import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node';
import { isRouteErrorResponse } from '@remix-run/react';
import { RemixServer } from '@remix-run/react';
import { renderToString } from 'react-dom/server';
import { logRequestError } from './observability/log';
import { NonceProvider } from './utils/nonce';
import { RequestReferenceProvider } from './utils/request-reference';

/**
 * Documents are rendered to one string, not streamed. React 18's streaming renderer copies text into 2,048-byte buffers
 * and, when a multi-byte character does not fit the rest of one, sends the whole buffer with its unwritten tail of zero
 * bytes (react#24985, fixed only in React 19): pages in any language but English could carry NUL bytes. The app defers
 * no data and has no Suspense boundary, so streaming bought nothing; renderToString has no such buffer.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const html = renderToString(
    <NonceProvider value={nonce}>
      <RequestReferenceProvider value={loadContext.requestId}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </RequestReferenceProvider>
    </NonceProvider>,
  );
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  // As bytes: a string body is first rescanned for lone surrogates by the Response itself (undici's toUSVString), a
  // twentieth of a large page's server time; Buffer.from replaces them with U+FFFD the same way while encoding.
  return new Response(Buffer.from(`<!DOCTYPE html>${html}`, 'utf8'), { headers: responseHeaders, status: responseStatusCode });
}

/**
 * Logs what went wrong on the server (a JSON line with the request id and the stack), but not a request for a page that does not exist (a 404 the visitor sees as
 * such; a probe for /wp-login.php or an old bookmark is not a server error) nor one the browser gave up on:
 * Remix's default logged each of those with a stack trace.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && (error.status === 404 || error.status === 405)) return;
  const internal = isRouteErrorResponse(error) ? (error as unknown as { error?: unknown }).error : undefined;
  logRequestError(internal ?? error);
};
