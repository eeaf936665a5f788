// What the HTTP server hands every loader and action (see server/app.ts).
declare module '@remix-run/node' {
  interface AppLoadContext {
    cspNonce: string;
    clientIp: string;
    uswdsBase: string;
    /** Shown on error pages as the reference a person quotes; the log line carries the same id. */
    requestId: string;
  }
}
export {};
