// `npm run test:package`: the package test (test/package) in a network namespace of its own, with only a loopback
// brought up, under scripts/with-keyring. Everything it does (building the packages, unpacking, dpkg -i, deputy
// init and serve, Chromium) happens with no way to reach anything outside the machine.
// It installs a .deb and makes namespaces, so it needs root; elsewhere it says so in one line.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { has, root } from './package-lib.mjs';

function fail(line) {
  console.error(`test:package: ${line}`);
  process.exit(1);
}

if (process.getuid?.() !== 0) fail('needs root (it installs a .deb with dpkg and makes network and mount namespaces)');
for (const [cmd, from] of [
  ['unshare', 'util-linux'],
  ['ip', 'iproute2'],
  ['dpkg-deb', 'dpkg'],
]) {
  if (!has(cmd)) fail(`${cmd} is missing; install the Debian package ${from} (apt-get install ${from})`);
}

const vitest = [process.execPath, join(root, 'node_modules/vitest/vitest.mjs'), 'run'];
const args = [...vitest, '--config', 'test/package/vitest.config.ts', ...process.argv.slice(2)];
const r = spawnSync(
  'unshare',
  ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', join(root, 'scripts/with-keyring'), ...args],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
