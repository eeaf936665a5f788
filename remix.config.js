/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic compiler (no Vite). Server-only code lives in *.server.ts inside app/.
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  serverBuildPath: 'build/index.js',
  // db/ and scoring/ sit beside app/; bundle them into the server build through #aliases.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
