/**
 * The reference an error page shows ("Reference: 1f3a…"): the id of the failed request, which is also on its log
 * line, so a person can quote it and an administrator can find what happened.
 *
 * Rendered on the server, it is the document request's id (entry.server provides it). In the browser, the page
 * hydrates with the id it was rendered with, and after a client-side navigation or form post it is the id of the
 * last data request that failed (entry.client watches the answers), or none when the failure was not the server's.
 */
import { createContext, useContext } from 'react';

const ServerReference = createContext<string | null>(null);
export const RequestReferenceProvider = ServerReference.Provider;

let browserReference: string | null = null;

/** entry.client: the reference the server rendered into the page, read before hydration so the markup matches. */
export function setBrowserReference(reference: string | null): void {
  browserReference = reference;
}

export function useRequestReference(): string | null {
  return useContext(ServerReference) ?? browserReference;
}

export const REFERENCE_ATTRIBUTE = 'data-request-reference';
