import { createContext, useContext } from 'react';

/** The per-request CSP nonce, so Remix's inline scripts are the only inline scripts allowed to run. */
const NonceContext = createContext<string>('');
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
