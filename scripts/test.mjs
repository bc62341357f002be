// `npm test`: install what is missing, then typecheck, lint, build, unit tests and e2e tests, and
// close with one line: `N passed, N failed, N skipped` (each check and each test counts once).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSetup } from './setup.mjs';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'reports');
const tally = { passed: 0, failed: 0, skipped: 0 };

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  const ok = step(name, cmd, args);
  tally[ok ? 'passed' : 'failed'] += 1;
  console.log(`${name}: ${ok ? 'ok' : 'FAILED'}`);
  return ok;
}

function readReport(file) {
  const path = join(reports, file);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

/** Adds a runner's counts; a runner that failed without a report counts as one failure. */
function count(name, ok, counts) {
  if (!counts) {
    tally.failed += 1;
    console.log(`${name}: no report (exit ${ok ? 0 : 'non-zero'}), counted as one failure`);
    return;
  }
  tally.passed += counts.passed;
  tally.failed += counts.failed;
  tally.skipped += counts.skipped;
  if (!ok && counts.failed === 0) tally.failed += 1; // the runner failed outside any test
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

try {
  ensureSetup({ forTests: true });
} catch (err) {
  console.error(`[setup] ${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

if (check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.node.json'])) {
  check('typecheck (renderer)', 'npx', ['tsc', '-p', 'tsconfig.web.json']);
}
check('lint', 'npx', ['eslint', '.']);
check('format', 'npx', ['prettier', '--check', '.']);
const built = check('build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);

const unitOk = step('unit tests (vitest, real keychain)', 'scripts/with-keyring', [
  'npx',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(reports, 'unit.json')}`,
]);
const unit = readReport('unit.json');
count(
  'unit',
  unitOk,
  unit && {
    passed: unit.numPassedTests,
    failed: unit.numFailedTests,
    skipped: unit.numPendingTests + unit.numTodoTests,
  },
);

if (built) {
  const e2eOk = step(
    'e2e tests (Playwright, Chromium, browser mode)',
    'scripts/with-keyring',
    // Specs tagged @fault (axe on every screen) run with the fault suite: npm run test:fault.
    ['npx', 'playwright', 'test', '--grep-invert', '@fault'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'e2e.json'),
    },
  );
  const e2e = readReport('e2e.json');
  count(
    'e2e',
    e2eOk,
    e2e && { passed: e2e.stats.expected + e2e.stats.flaky, failed: e2e.stats.unexpected, skipped: e2e.stats.skipped },
  );
} else {
  tally.failed += 1;
  console.log('e2e: not run, the build failed');
}

console.log(`\n${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(tally.failed === 0 ? 0 : 1);
