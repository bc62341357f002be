// The fault suite (test/fault/README in test/README.md): `npm run test:fault`, under scripts/with-keyring, after
// `npm test` in CI. Kept apart from the unit tests so `npm test` keeps its run time.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/fault/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
