import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const alias = {
  '#app': `${root}app`,
  '#db': `${root}db`,
  '#scoring': `${root}scoring`,
  '#fixtures': `${root}fixtures`,
  '#tests': `${root}tests`,
};

export default defineConfig({
  resolve: { alias },
  test: {
    // A console.error during a test is a bug we want to see, not noise (epic-stack habit).
    setupFiles: [`${root}tests/setup/fail-on-console-error.ts`],
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          // A page can take more than the default 1 s to answer on a busy 2-core machine; a real failure still fails.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
