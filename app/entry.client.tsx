import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { REFERENCE_ATTRIBUTE, setBrowserReference } from './utils/request-reference';

// An error page rendered by the server carries its request's reference: keep it for hydration.
setBrowserReference(document.querySelector(`[${REFERENCE_ATTRIBUTE}]`)?.textContent ?? null);

// Remix loads data and posts forms with fetch: the reference of the last answer decides what an error page shows
// (a failed answer's id, or none when the answer succeeded and the page failed in the browser).
const browserFetch = window.fetch.bind(window);
window.fetch = async (...args: Parameters<typeof fetch>) => {
  const response = await browserFetch(...args);
  if (new URL(response.url || window.location.href).origin === window.location.origin) {
    const failed = response.status >= 500 || response.headers.has('X-Remix-Error') || response.headers.has('X-Remix-Catch');
    setBrowserReference(failed ? response.headers.get('X-Request-Id') : null);
  }
  return response;
};

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
