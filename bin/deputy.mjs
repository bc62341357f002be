#!/usr/bin/env node
// The `deputy` command runs the built CLI (out/main/cli.js), the same core the window uses.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('deputy: not built yet; run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
await import(cli.href);
