// A console in a process of its own, for crash tests: opens the database given, signs ian in, starts impersonating
// jdoe, says `started`, then runs until it is killed. Run with `node --import tsx`.
import { createCore } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';

const [dbPath, password] = process.argv.slice(2);
if (!dbPath || !password) throw new Error('usage: impersonatingProcess.ts DB PASSWORD');
const core = await createCore({ dbPath, vault: memoryVault });
for (const [method, input] of [
  ['auth.signIn', { username: 'ian', password }],
  ['impersonation.start', { username: 'jdoe', reason: 'crash test' }],
] as const) {
  const r = await core.call('window', method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
}
process.stdout.write('started\n');
setInterval(() => undefined, 60_000); // a console runs until it is closed, or killed
