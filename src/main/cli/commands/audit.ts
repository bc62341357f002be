// `deputy audit verify`: checks the whole chain with the key from the OS keychain. Exit 0 OK, 1 broken.
import { UsageError } from '../errors';
import { verifyAudit } from '../../audit/verify';
import type { Core } from '../../core';

export async function auditCommand(core: Core, sub: string | undefined, json: boolean): Promise<number> {
  if (sub !== 'verify') throw new UsageError(`audit needs a subcommand: verify${sub ? ` (not "${sub}")` : ''}.`);
  await core.app.anchor.sync();
  const report = await verifyAudit(core.app.db, core.app.vault, core.app.anchor);
  if (json) console.log(JSON.stringify(report, null, 2));
  else if (report.ok) {
    const unkeyed = report.unkeyed
      ? ` (${report.unkeyed} written while the OS keychain was unavailable: chained, not keyed)`
      : '';
    console.log(`OK: ${report.count} records, chain intact${unkeyed}.`);
  } else console.log(`BROKEN at record ${report.break?.seq} (${report.break?.kind}): ${report.break?.message}`);
  return report.ok ? 0 : 1;
}
