// `npm start`: install what is missing, build, then run the console in Electron where its runtime
// can run, else in browser mode (same core, same UI) with the URL printed. Extra args (e.g. --db) pass on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSetup } from './setup.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

function fail(message) {
  console.error(`[start] ${message}`);
  process.exit(1);
}

function build() {
  const r = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('the build failed (see above)');
}

/** The Electron binary, fetching it if missing; or the one-line reason it cannot run here. */
function electronRuntime() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const locate = () => {
    const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron';
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
    const full = join(dist, exe);
    return existsSync(full) ? full : null;
  };
  let binary = locate();
  if (!binary && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const r = spawnSync(process.execPath, [join(pkg, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
    binary = locate();
    if (!binary) {
      const why = `${r.stderr ?? ''}`.split('\n').find((l) => /Error|ENOTFOUND|ECONN|EAI_AGAIN/.test(l));
      return {
        reason: `the Electron runtime is not installed and could not be fetched (${why?.trim() ?? 'download failed'})`,
      };
    }
  }
  if (!binary) return { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { binary };
}

/** Electron loads native modules built for its own ABI; this needs its headers, fetched once. */
function rebuildNativeForElectron() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const r = spawnSync('npm', ['rebuild', 'better-sqlite3', 'keytar'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      npm_config_runtime: 'electron',
      npm_config_target: version,
      npm_config_disturl: 'https://electronjs.org/headers',
      npm_config_build_from_source: 'true',
    },
  });
  return r.status === 0;
}

function browserMode(reason) {
  console.log(`[start] Electron cannot run here: ${reason}. Serving the console in browser mode instead.`);
  const child = spawn(process.execPath, [join(root, 'out/main/cli.js'), 'serve', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

try {
  ensureSetup();
} catch (err) {
  fail(err.message);
}
build();
const runtime = electronRuntime();
if (runtime.binary && rebuildNativeForElectron()) {
  const child = spawn(runtime.binary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  browserMode(runtime.reason ?? 'the native modules could not be rebuilt for Electron');
}
