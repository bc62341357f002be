import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Vitest's default on 2 cores is one worker, but most of a test's time here is waiting (fsync with
    // synchronous=FULL, D-Bus round trips to the keychain, child processes), so three files at a time finish sooner.
    maxWorkers: 3,
  },
});
