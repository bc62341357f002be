// npm run bench: the policy bench, then the audit-log bench, each in its own Node process (the same tsx loader) so
// that neither one's heap, GC or peak memory shows in the other's numbers. `npm run bench -- audit` runs one of them.
// See README.md beside this file.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['policy', 'audit'] as const;

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(BENCHES as readonly string[]).includes(a));
if (unknown.length) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; the benches are: ${BENCHES.join(', ')}\n`);
  process.exit(2);
}

let failed = false;
for (const [i, name] of BENCHES.filter((b) => !asked.length || asked.includes(b)).entries()) {
  if (i > 0) process.stdout.write('\n');
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const run = spawnSync(process.execPath, [...process.execArgv, file], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed = true;
    process.stderr.write(`${name} bench failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})\n`);
  }
}
if (failed) process.exitCode = 1;
