import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToString } from 'react-dom/server';
import { NonceProvider } from './utils/nonce';

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
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}
