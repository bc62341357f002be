import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // index: the Electron main process; cli: the `deputy` command and browser mode (no Electron);
        // auditVerifyWorker: the worker thread verify starts for large logs (src/main/audit/verify.ts).
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/index.ts'),
          auditVerifyWorker: resolve('src/main/audit/verifyWorker.ts'),
        },
        // Shared chunks beside the entries, not in chunks/: verify finds the worker at ./auditVerifyWorker.js
        // relative to whichever file it was bundled into.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else, as CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    plugins: [react()],
  },
});
