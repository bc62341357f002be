// `npm run bench`: the policy bench, the audit-log bench, then the service API bench, each in its own Node process so
// that none's heap, GC or peak memory shows in another's numbers; `npm run bench -- audit` runs one of them. They run
// as the product runs: bundled to plain JavaScript (esbuild), the audit verify worker an entry of its own beside them
// as electron-vite builds it, packages from node_modules. Under a TypeScript loader each process, and each worker,
// would carry the loader too (~30 MB apiece), which the main-process memory goal must not count.
// See test/bench/README.md.
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSetup } from './setup.mjs';

const BENCHES = ['policy', 'portals', 'audit', 'serviceApi'];
const root = new URL('..', import.meta.url).pathname;
const outdir = join(root, 'out', 'bench');

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !BENCHES.includes(a));
if (unknown.length) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; the benches are: ${BENCHES.join(', ')}\n`);
  process.exit(2);
}

ensureSetup(); // node_modules first: esbuild comes from there
const { build } = await import('esbuild');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    ...Object.fromEntries(BENCHES.map((b) => [b, join(root, 'test', 'bench', `${b}.ts`)])),
    auditVerifyWorker: join(root, 'src', 'main', 'audit', 'verifyWorker.ts'),
  },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The policy bench reads the Cedar policies beside its bundle, as toCedar.ts reads them beside itself.
copyFileSync(join(root, 'test', 'support', 'cedar', 'deputy.cedar'), join(outdir, 'deputy.cedar'));

// The service API bench adds a run with the real keychain when a private one can be started (scripts/with-keyring, as
// the unit tests do: gnome-keyring and D-Bus, which `npm test`'s setup installs); without them it says so and runs the
// rest.
const keyring = join(root, 'scripts', 'with-keyring');
const hasKeyring =
  spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], { stdio: 'ignore' })
    .status === 0;

// Node 20.20's V8 inlines JS-to-Wasm calls into optimised code; when Cedar's Wasm glue reshapes the objects that
// code depends on in the middle of such a call, the lazy deoptimisation that follows aborts the process ("Fatal
// error … unreachable code" in Deoptimizer::DoComputeBuiltinContinuation), in about one policy bench run in four.
// Not inlining those calls: 0 aborts in 12 runs. Only Cedar's reference timings go through Wasm; decide() does not.
const V8_FLAGS = { policy: ['--no-turbo-inline-js-wasm-calls'] };

let failed = false;
for (const [i, name] of BENCHES.filter((b) => !asked.length || asked.includes(b)).entries()) {
  if (i > 0) process.stdout.write('\n');
  const node = [process.execPath, '--enable-source-maps', ...(V8_FLAGS[name] ?? []), join(outdir, `${name}.js`)];
  const [command, ...args] = name === 'serviceApi' && hasKeyring ? [keyring, ...node] : node;
  const run = spawnSync(command, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    failed = true;
    process.stderr.write(`${name} bench failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})\n`);
  }
}
if (failed) process.exitCode = 1;
