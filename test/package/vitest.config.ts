// The package test (issue 22): `npm run test:package`, which scripts/package-test.mjs runs in a network namespace
// with only a loopback, under scripts/with-keyring; `.ci/run` runs it after `npm test` and `npm run test:fault`.
// One file at a time: the server test builds the packages and installs one with dpkg.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
