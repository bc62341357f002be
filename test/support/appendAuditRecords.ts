// Appends filler records to a Deputy database through the real core and the OS keychain, as a second writer beside a
// running console would (for e2e tests of a long log): `node --import tsx test/support/appendAuditRecords.ts DB COUNT`.
// Every tenth record is by operator `e2e.op`, the others by `e2e.other`. Prints their seqs as a JSON array.
import { createCore } from '../../src/main/core';
import { keytarVault } from '../../src/main/vault/keytarVault';

const [dbPath, countText] = process.argv.slice(2);
const count = Number(countText);
if (!dbPath || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: appendAuditRecords.ts DB COUNT (a whole number ≥ 1)\n');
  process.exit(2);
}
const core = await createCore({ dbPath, vault: keytarVault });
try {
  const entries = Array.from({ length: count }, (_, i) => ({
    operator: i % 10 ? 'e2e.other' : 'e2e.op',
    action: 'e2e.fill',
    message: `filler record ${i}`,
  }));
  const seqs = core.app.db.transaction(() => core.app.audit.appendAll(entries))();
  process.stdout.write(`${JSON.stringify(seqs)}\n`);
} finally {
  await core.close();
}
