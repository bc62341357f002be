// `npm run package:server`: the offline server package for headless Linux machines, as
// dist/deputy-server-<version>-linux-x64.tar.gz and dist/deputy-server_<version>_amd64.deb. Each holds the built
// core and CLI, the browser-mode UI, production node_modules with their native modules, and a Node runtime of its
// own (this machine's), behind one `deputy` launcher: nothing is fetched where it is installed.
// A machine missing something the build needs gets one line naming it, before anything is built.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

const version = pkg.version;
const stageRoot = join(dist, '.server-stage');
const packaging = join(root, 'packaging/server');

export const tarballName = `deputy-server-${version}-linux-x64.tar.gz`;
export const debName = `deputy-server_${version}_amd64.deb`;

/** What the installed program needs from the machine: what the shipped node and keytar.node link against, the
 * keyring that `deputy serve` starts when no Secret Service is reachable, and useradd for the service user. */
const DEPENDS = ['libc6 (>= 2.28)', 'libstdc++6', 'libgcc-s1', 'libsecret-1-0', 'gnome-keyring', 'dbus', 'passwd'];

function preflight() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    stop(
      `the server package is built for linux-x64 and ships this machine's Node, but this is ${process.platform}-${process.arch}`,
    );
  }
  for (const [cmd, from] of [
    ['tar', 'tar'],
    ['gzip', 'gzip'],
    ['dpkg-deb', 'dpkg'],
  ]) {
    if (!has(cmd)) stop(`${cmd} is missing; install the Debian package ${from} (apt-get install ${from})`);
  }
  requireNodeModules();
}

/** What the native modules need at run time only: their compiled .node files, not the sources they were built from. */
const BUILD_ONLY = {
  'node_modules/better-sqlite3': ['deps', 'src', 'binding.gyp'],
  'node_modules/keytar': ['src', 'binding.gyp'],
};

function pruneBuild(dir) {
  const build = join(dir, 'build');
  if (!existsSync(build)) return;
  for (const entry of readdirSync(build)) {
    if (entry !== 'Release') rmSync(join(build, entry), { recursive: true, force: true });
  }
  const release = join(build, 'Release');
  for (const entry of readdirSync(release)) {
    if (!entry.endsWith('.node')) rmSync(join(release, entry), { recursive: true, force: true });
  }
}

function copyNodeModules(app) {
  copyProductionModules(app);
  for (const [path, drop] of Object.entries(BUILD_ONLY)) {
    for (const entry of drop) rmSync(join(app, path, entry), { recursive: true, force: true });
    pruneBuild(join(app, path));
  }
}

/** Node's licence goes with the runtime: where Node's own tarball keeps it, or where Debian's nodejs package does. */
function nodeLicense() {
  const prefix = dirname(dirname(process.execPath));
  const candidates = [
    join(prefix, 'share/doc/node/LICENSE'),
    join(prefix, 'share/doc/nodejs/LICENSE'),
    '/usr/share/doc/nodejs/LICENSE',
  ];
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    stop(`the LICENSE of the Node runtime to ship (${process.execPath}) is in none of ${candidates.join(', ')}`);
  return found;
}

/** The staged tree: bin/deputy, node/bin/node, app/{package.json,out/main,out/renderer,node_modules}. */
function stage(dir) {
  rmSync(dir, { recursive: true, force: true });
  const app = join(dir, 'app');
  mkdirSync(join(app, 'out'), { recursive: true });
  // index.js is the Electron main process: the server never loads it.
  cpSync(join(root, 'out/main'), join(app, 'out/main'), {
    recursive: true,
    filter: (src) => !src.endsWith('/index.js') && !src.endsWith('.map'),
  });
  cpSync(join(root, 'out/renderer'), join(app, 'out/renderer'), { recursive: true });
  const appPkg = { name: 'deputy-server', version, private: true, type: 'module', dependencies: pkg.dependencies };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(appPkg, null, 2)}\n`);
  copyNodeModules(app);

  mkdirSync(join(dir, 'node/bin'), { recursive: true });
  cpSync(process.execPath, join(dir, 'node/bin/node'));
  cpSync(nodeLicense(), join(dir, 'node/LICENSE'));
  chmodSync(join(dir, 'node/bin/node'), 0o755);
  mkdirSync(join(dir, 'bin'));
  cpSync(join(packaging, 'deputy'), join(dir, 'bin/deputy'));
  chmodSync(join(dir, 'bin/deputy'), 0o755);
  cpSync(join(root, 'docs/install.md'), join(dir, 'install.md'));

  // The shipped runtime must load the shipped native modules (built for this Node, not Electron).
  const probe = spawnSync(
    join(dir, 'node/bin/node'),
    ['-e', `require('better-sqlite3')(':memory:').close(); require('keytar');`],
    { cwd: app, encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    const why = probe.stderr.split('\n').find((l) => /Error/.test(l)) ?? probe.stderr.trim();
    stop(
      `the native modules do not load in Node ${process.version} (${why.trim()}); run \`node scripts/setup.mjs\` to rebuild them for Node`,
    );
  }
}

function sizeKiB(dir) {
  let total = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += statSync(p).size;
    }
  };
  walk(dir);
  return Math.ceil(total / 1024);
}

function buildTarball(stageDir) {
  const top = `deputy-server-${version}`;
  const out = join(dist, tarballName);
  rmSync(out, { force: true });
  run('tar', ['--owner=0', '--group=0', '--transform', `s,^\\.,${top},`, '-czf', out, '-C', stageDir, '.']);
  return out;
}

function buildDeb(stageDir) {
  const debRoot = join(stageRoot, 'deb');
  rmSync(debRoot, { recursive: true, force: true });
  const lib = join(debRoot, 'usr/lib/deputy');
  mkdirSync(join(debRoot, 'usr/lib'), { recursive: true });
  cpSync(stageDir, lib, { recursive: true });
  rmSync(join(lib, 'install.md'));
  mkdirSync(join(debRoot, 'usr/bin'), { recursive: true });
  spawnSync('ln', ['-s', '../lib/deputy/bin/deputy', join(debRoot, 'usr/bin/deputy')]);
  mkdirSync(join(debRoot, 'usr/lib/systemd/system'), { recursive: true });
  cpSync(join(packaging, 'deputy.service'), join(debRoot, 'usr/lib/systemd/system/deputy.service'));
  mkdirSync(join(debRoot, 'usr/share/doc/deputy-server'), { recursive: true });
  cpSync(join(root, 'docs/install.md'), join(debRoot, 'usr/share/doc/deputy-server/install.md'));

  const control = join(debRoot, 'DEBIAN');
  mkdirSync(control);
  for (const script of ['postinst', 'prerm', 'postrm']) {
    cpSync(join(packaging, 'debian', script), join(control, script));
    chmodSync(join(control, script), 0o755);
  }
  writeFileSync(
    join(control, 'control'),
    [
      'Package: deputy-server',
      `Version: ${version}`,
      'Architecture: amd64',
      'Maintainer: Deputy maintainers <deputy@localhost>',
      `Installed-Size: ${sizeKiB(debRoot)}`,
      `Depends: ${DEPENDS.join(', ')}`,
      'Section: admin',
      'Priority: optional',
      `Description: ${pkg.description} (headless server)`,
      ' Deputy in browser mode (deputy serve) and the deputy command, with a Node runtime and',
      ' native modules of its own: nothing is fetched at install or run time. The systemd unit',
      ' deputy.service is installed but not enabled.',
      '',
    ].join('\n'),
  );
  const out = join(dist, debName);
  rmSync(out, { force: true });
  // gzip rather than dpkg-deb's default xz: a few MB larger, in a fraction of the time on two cores.
  run('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z6', '--build', debRoot, out]);
  return out;
}

export function packageServer({ rebuild = true } = {}) {
  preflight();
  if (rebuild) build();
  if (!existsSync(join(root, 'docs/install.md'))) stop('docs/install.md is missing');
  mkdirSync(dist, { recursive: true });
  const stageDir = join(stageRoot, 'tree');
  stage(stageDir);
  const tarball = buildTarball(stageDir);
  const deb = buildDeb(stageDir);
  rmSync(stageRoot, { recursive: true, force: true });
  return { tarball, deb };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main('package:server', () => {
    const { tarball, deb } = packageServer();
    for (const file of [tarball, deb]) {
      console.log(`${relative(process.cwd(), file)} (${(statSync(file).size / 1048576).toFixed(1)} MB)`);
    }
  });
}
