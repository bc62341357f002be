// `npm run package`: the desktop packages (Linux .deb, .rpm and AppImage here; Windows and macOS targets are
// declared in packaging/electron-builder.yml and built on those systems) into dist/desktop.
// electron-builder runs on a staged copy of the app (dist/.desktop-app), so that rebuilding better-sqlite3 and
// keytar for Electron's ABI happens there only: the project's node_modules stay built for Node.
// What it needs from outside (Electron's binary and headers, electron-builder's tools) must be reachable or already
// cached; when it is neither, it stops at once with one line naming what is missing and how to provide it.
import { request } from 'node:https';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  build,
  copyProductionModules,
  dist,
  has,
  main,
  pkg,
  requireNodeModules,
  root,
  run,
  stop,
} from './package-lib.mjs';

const PLATFORM = { linux: ['linux', '--linux'], win32: ['win32', '--win'], darwin: ['darwin', '--mac'] };
const ARCH = { x64: 'x64', arm64: 'arm64' };
const PROBE_TIMEOUT_MS = 8000;

/** Resolves with null when the URL answers, else with why it does not (DNS, no route, timeout…). */
function unreachable(url) {
  return new Promise((resolve) => {
    const req = request(url, { method: 'HEAD', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode && res.statusCode < 400 ? null : `HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => resolve(`${new URL(url).host}: ${err.code ?? err.message}`));
    req.end();
  });
}

/** The Electron zip in ELECTRON_CACHE: flat, or in the hashed sub-folders @electron/get files downloads under. */
function cachedZip(cacheDir, zipName) {
  if (!existsSync(cacheDir)) return null;
  if (existsSync(join(cacheDir, zipName))) return join(cacheDir, zipName);
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    const candidate = join(cacheDir, entry.name, zipName);
    if (entry.isDirectory() && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Extra arguments go to electron-builder as they are: `--dir` (the unpacked app only, no installers: no packaging
 * tools needed) and `-c.npmRebuild=false` (no native rebuild: no Electron headers needed) make a dry run.
 */
const extra = process.argv.slice(2);
const installers = !extra.includes('--dir');
const rebuild = !extra.includes('-c.npmRebuild=false');

async function preflight() {
  requireNodeModules();
  const platform = PLATFORM[process.platform];
  const arch = ARCH[process.arch];
  if (!platform || !arch)
    stop(`desktop packages are built on Linux, Windows or macOS (x64, arm64), not ${process.platform}-${process.arch}`);
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const zipName = `electron-v${electronVersion}-${platform[0]}-${arch}.zip`;
  const cacheDir = process.env.ELECTRON_CACHE || join(homedir(), '.cache', 'electron');
  const mirror = process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/';
  const zip = cachedZip(cacheDir, zipName);
  // A proxy is electron-builder's to use (node:https here would not): trust it and let the build say.
  const proxied = Boolean(process.env.HTTPS_PROXY || process.env.https_proxy);
  const offline = proxied ? null : await unreachable(`${mirror}v${electronVersion}/${zipName}`);

  if (!zip && offline) {
    stop(
      `Electron ${electronVersion} (${zipName}) is not in ELECTRON_CACHE (${cacheDir}) and cannot be fetched ` +
        `(${offline}); copy it there from https://github.com/electron/electron/releases/tag/v${electronVersion}, ` +
        `or set ELECTRON_CACHE to the folder that holds it`,
    );
  }
  if (offline && rebuild) {
    // Rebuilding the native modules needs Electron's headers, where node-gyp keeps them for @electron/rebuild.
    const headers = join(process.env.npm_config_devdir || join(homedir(), '.electron-gyp'), electronVersion);
    if (!existsSync(join(headers, 'include', 'node', 'node_version.h'))) {
      stop(
        `Electron ${electronVersion}'s headers (to rebuild better-sqlite3 and keytar) are not in ${headers} and ` +
          `cannot be fetched (${offline}); unpack node-v${electronVersion}-headers.tar.gz from ` +
          `https://artifacts.electronjs.org/headers/dist/v${electronVersion}/ into that folder`,
      );
    }
  }
  if (offline && installers) {
    const toolCache = process.env.ELECTRON_BUILDER_CACHE || join(homedir(), '.cache', 'electron-builder');
    const tools = existsSync(toolCache) ? readdirSync(toolCache) : [];
    if (platform[0] === 'linux') {
      for (const tool of ['fpm', 'appimage']) {
        if (!tools.some((entry) => entry.startsWith(tool))) {
          stop(
            `electron-builder's ${tool} is not in ELECTRON_BUILDER_CACHE (${toolCache}) and cannot be fetched ` +
              `(${offline}); run \`npm run package\` once where github.com is reachable and copy that folder here`,
          );
        }
      }
    }
  }
  if (installers && platform[0] === 'linux' && !has('rpmbuild')) {
    stop('rpmbuild is missing (for the .rpm); install the Debian package rpm (apt-get install rpm)');
  }
  return { electronVersion, zip, platformFlag: platform[1] };
}

/** The app as electron-builder sees it: package.json, out/, the icon, and the production node_modules. */
function stageApp(dir, electronVersion) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  cpSync(join(root, 'out'), join(dir, 'out'), { recursive: true });
  cpSync(join(root, 'resources/icon.png'), join(dir, 'resources/icon.png'));
  const { name, version, description, license, type, main: entry, dependencies } = pkg;
  const author = { name: 'Deputy maintainers', email: 'deputy@localhost' };
  const appPkg = {
    name,
    productName: 'Deputy',
    version,
    description,
    license,
    author,
    type,
    main: entry,
    dependencies,
  };
  appPkg.devDependencies = { electron: electronVersion };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(appPkg, null, 2)}\n`);
  copyProductionModules(dir);
}

export async function packageDesktop() {
  const { electronVersion, zip, platformFlag } = await preflight();
  build();
  const app = join(dist, '.desktop-app');
  stageApp(app, electronVersion);
  const args = [
    join(root, 'node_modules/electron-builder/cli.js'),
    platformFlag,
    '--projectDir',
    app,
    '--config',
    join(root, 'packaging/electron-builder.yml'),
    `-c.electronVersion=${electronVersion}`,
    `-c.directories.output=${join(dist, 'desktop')}`,
  ];
  if (zip) args.push(`-c.electronDist=${zip}`);
  args.push(...extra);
  run(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  rmSync(app, { recursive: true, force: true });
  return join(dist, 'desktop');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main('package', async () => {
    console.log(`Desktop packages in ${await packageDesktop()}`);
  });
}
