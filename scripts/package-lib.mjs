// What both packaging scripts share: the project's paths, one-line stops, and copying the production
// node_modules (from package-lock.json, never from a registry) into a staged app.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
export const dist = join(root, 'dist');

/** A stop with one line for the person packaging: what is missing and how to provide it. */
export class Stop extends Error {}
export const stop = (line) => {
  throw new Stop(line);
};

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...opts });
  if (r.error) stop(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) {
    const why = `${r.stderr ?? ''}`.trim().split('\n').filter(Boolean).pop() ?? `exit ${r.status ?? r.signal}`;
    stop(`${cmd} ${args[0] ?? ''} failed: ${why}`);
  }
  return r.stdout;
}

export const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

export function requireNodeModules() {
  if (!existsSync(join(root, 'node_modules/electron-vite/package.json'))) {
    stop('node_modules is missing; run `npm ci` (or `npm start`) once where the registry is reachable');
  }
}

/** electron-vite's build, run by path: it needs no node_modules/.bin. */
export function build() {
  run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn']);
  if (!existsSync(join(root, 'out/main/cli.js'))) stop('out/main/cli.js is missing: the build did not produce it');
}

/** Production packages, by their path under node_modules in the lock file; none of them dev-only. */
function productionPackages() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
    .map(([path]) => path);
}

export function copyProductionModules(app) {
  for (const path of productionPackages()) {
    const from = join(root, path);
    if (!existsSync(from)) stop(`${path} is missing from node_modules; run \`npm ci\` where the registry is reachable`);
    // A nested node_modules holds packages with lock entries of their own, copied by those entries.
    cpSync(from, join(app, path), {
      recursive: true,
      dereference: true,
      filter: (src) => !relative(from, src).split('/').includes('node_modules'),
    });
  }
}

/** The message of a Stop, printed as the one line; anything else is a bug and keeps its stack. */
export function main(prefix, fn) {
  return Promise.resolve()
    .then(fn)
    .catch((err) => {
      if (!(err instanceof Stop)) throw err;
      console.error(`${prefix}: ${err.message}`);
      process.exit(1);
    });
}
