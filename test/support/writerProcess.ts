// A second console on the same database file, for the two-writers test: signs a demo Super Admin in, then makes
// audited changes as fast as it can for a while, and prints one line of JSON: how many succeeded, and every
// failure's code and message. Run with `node --import tsx`.
import { createCore } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';

const [dbPath, password, tag, ms] = process.argv.slice(2);
if (!dbPath || !password || !tag || !ms) throw new Error('usage: writerProcess.ts DB PASSWORD TAG MS');
const core = await createCore({ dbPath, vault: memoryVault });
const signIn = await core.call('w', 'auth.signIn', { username: 'alice', password });
if (!signIn.ok) throw new Error(signIn.error.message);
const failures: string[] = [];
let ok = 0;
const until = Date.now() + Number(ms);
for (let n = 0; Date.now() < until; n++) {
  // Each change reads before it writes (the item, the flow's fields, the audit tail), as the console's do.
  const created = await core.call('w', 'items.create', { flow: 'Purchase Request', title: `${tag} ${n}` });
  if (!created.ok) {
    failures.push(`${created.error.code}: ${created.error.message}`);
    continue;
  }
  ok++;
  const id = (created.value as { id: number }).id;
  const edited = await core.call('w', 'items.update', { id, title: `${tag} ${n} edited` });
  if (edited.ok) ok++;
  else failures.push(`${edited.error.code}: ${edited.error.message}`);
  // Reads the settings, then writes them: the change that lost its turn when a read was upgraded to a write.
  const minutes = 10 + (n % 50) + (tag === 'A' ? 0 : 100);
  const set = await core.call('w', 'settings.update', { idleLockMinutes: minutes });
  if (set.ok) ok++;
  else failures.push(`${set.error.code}: ${set.error.message}`);
}
await core.close();
process.stdout.write(`${JSON.stringify({ ok, failures })}\n`);
