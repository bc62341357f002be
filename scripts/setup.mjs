// Installs what is missing, and is a quick no-op when everything is there:
// the Debian packages Deputy needs, then `npm ci`, then native modules built for this Node.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lockStamp = join(root, 'node_modules', '.deputy-lock-sha256');

/**
 * keytar builds against libsecret; tests need a keyring daemon, D-Bus, secret-tool, Chromium, sqlite3, rsyslog and
 * LibreOffice Calc (headless `soffice`, to open the audit CSV export for real). An entry `a|b` is satisfied by either
 * package and installs `a`: the GUI Calc also provides `soffice`, and conflicts with the no-GUI one.
 */
const PACKAGES = {
  run: ['libsecret-1-dev'],
  test: [
    'libsecret-1-dev',
    'gnome-keyring',
    'dbus',
    'libsecret-tools',
    'chromium',
    'sqlite3',
    'rsyslog',
    'openssl',
    'libreoffice-calc-nogui|libreoffice-calc',
  ],
};

const log = (line) => console.log(`[setup] ${line}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function missingDebianPackages(names) {
  if (spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status !== 0) return []; // not Debian
  const installed = (name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status === 0 && r.stdout.includes('install ok installed');
  };
  return names.filter((entry) => !entry.split('|').some(installed)).map((entry) => entry.split('|')[0]);
}

function ensureSystemPackages(names) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!isRoot && !sudo) {
    throw new Error(`Deputy needs Debian packages that are missing; run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (isRoot ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env }));
  log(`installing ${missing.join(' ')}`);
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}

function ensureNodeModules() {
  const lock = createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
  if (existsSync(lockStamp) && readFileSync(lockStamp, 'utf8') === lock) return;
  log('npm ci');
  npmCi();
  writeFileSync(lockStamp, lock);
}

/**
 * `npm ci`, its EBADENGINE warnings said once in plain words. Electron, its download and rebuild tools and axe-core's
 * Playwright adapter declare Node >= 22.12 in their `engines` field, so npm prints a dozen warning lines on Node 20.
 * npm only warns (engine-strict is off) and installs them; Deputy needs Node >= 20.19 (package.json); the window runs on
 * the Node inside Electron; and Electron's download, the one of these that runs on this Node at start, is checked by
 * `npm start`, which says why and serves browser mode if it fails.
 */
function npmCi() {
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    stdio: ['inherit', 'inherit', 'pipe'],
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const { rest, line } = engineWarnings(r.stderr ?? '');
  process.stderr.write(rest);
  if (r.status !== 0) throw new Error(`npm ci failed (exit ${r.status ?? r.signal})`);
  if (line) log(line);
}

/** npm's stderr without its EBADENGINE lines, and the one plain line that says what they were (null: there were none). */
export function engineWarnings(stderr) {
  const lines = stderr.split('\n');
  const engine = lines.filter((l) => l.includes('EBADENGINE'));
  const rest = lines.filter((l) => !l.includes('EBADENGINE')).join('\n');
  if (!engine.length) return { rest, line: null };
  const found = (re) => [...new Set(engine.map((l) => re.exec(l)?.[1]?.replace(/\s+/g, '')).filter(Boolean))];
  const packages = found(/package: '([^']+)'/);
  const required = found(/required: \{ node: '([^']+)'/);
  const line =
    `npm warned EBADENGINE: ${packages.join(', ') || 'some packages'} declare Node ${required.join(' or ') || 'newer than this'}. ` +
    `Harmless here: npm installs them anyway, Deputy needs Node >= 20.19 (this is ${process.version}), the window ` +
    `runs on Electron's own Node, and if fetching Electron fails on this Node, npm start says so and serves ` +
    `browser mode.`;
  return { rest, line };
}

/** A native module built for Electron's ABI (after `npm start` ran Electron) must be rebuilt for Node. */
function ensureNativeModulesForNode() {
  const probe = `require('better-sqlite3')(':memory:').close(); require('keytar');`;
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  if (r.status === 0) return;
  if (!/NODE_MODULE_VERSION|was compiled against|invalid ELF|Could not locate the bindings/.test(r.stderr)) {
    throw new Error(`Loading the native modules failed:\n${r.stderr}`);
  }
  log('native modules were built for another runtime; rebuilding them for this Node');
  run('npm', ['rebuild', 'better-sqlite3', 'keytar']);
}

export function ensureSetup({ forTests = false } = {}) {
  ensureSystemPackages(forTests ? PACKAGES.test : PACKAGES.run);
  ensureNodeModules();
  ensureNativeModulesForNode();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureSetup({ forTests: process.argv.includes('--test') });
  } catch (err) {
    console.error(`[setup] ${err.message}`);
    process.exit(1);
  }
}
