// `deputy backup [FILE]` and `deputy restore FILE [--yes]` (issue 22 #5).
import { takeBackup } from '../../backups/backup';
import { restoreBackup, type RestorePlan } from '../../backups/restore';
import { DeputyError } from '../../kernel/errors';
import { CliFailure, UsageError } from '../errors';
import { confirmOnTerminal } from '../prompt';
import type { Core } from '../../core';
import type { Head } from '../../kernel/ports';
import type { VaultFactory } from '../../kernel/vault';

const upTo = (head: Head | null) => (head ? `up to record ${head.seq}` : 'none');

export async function backupCommand(core: Core, vault: VaultFactory, file: string | undefined): Promise<number> {
  try {
    const b = await takeBackup(core.app, core.opened.path, vault, file);
    console.log(
      `Backed up ${core.opened.path} to ${b.path}: schema ${b.schema}, ${b.records} audit records (${upTo(b.head)}), ` +
        `the chain verified in the copy. SHA-256 ${b.sha256}.`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DeputyError) throw new CliFailure(err.message, err.code === 'invalid_input' ? 2 : 1);
    throw err;
  }
}

/** What the operator is asked to confirm: what goes, what comes back, where the replaced file is kept. */
export function describePlan(plan: RestorePlan): string {
  const b = plan.backup;
  const schema =
    b.fromSchema === b.schema ? `schema ${b.schema}` : `schema ${b.fromSchema}, upgraded to ${b.schema} as restored`;
  const now =
    plan.current === null
      ? 'none: it does not exist yet'
      : plan.current.state === 'damaged'
        ? `damaged (${plan.current.why})`
        : `audit records ${upTo(plan.current.head)}; any after the backup's stay only in the kept file`;
  return [
    `Restore ${plan.dbPath} from the backup ${plan.file}?`,
    `  the backup:   ${schema}, ${b.records} audit records (${upTo(b.head)}), the chain verified; SHA-256 ${b.sha256}`,
    `  the database: ${now}`,
    ...(plan.keptAs ? [`  it is kept as ${plan.keptAs}`] : []),
  ].join('\n');
}

export async function restoreCommand(
  dbPath: string,
  vault: VaultFactory,
  file: string | undefined,
  yes: boolean,
): Promise<number> {
  if (!file) throw new UsageError('restore needs the backup FILE: deputy restore FILE --db DATABASE [--yes].');
  let outcome;
  try {
    outcome = await restoreBackup({
      dbPath,
      file,
      vault,
      confirm: async (plan) => {
        console.error(describePlan(plan));
        if (yes) return true;
        return confirmOnTerminal('Type yes to replace the database: ');
      },
    });
  } catch (err) {
    // A file that is no backup, or whose chain does not verify, is refused: exit 1, as for any refusal.
    if (err instanceof DeputyError) throw new CliFailure(err.message, 1);
    throw err;
  }
  if (!outcome.restored) {
    console.log('Not restored: nothing was replaced.');
    return 1;
  }
  console.log(
    `Restored ${dbPath} with the backup ${file}: its audit log ends at record ${outcome.head.seq}, the restore's own record.` +
      `${outcome.plan.keptAs ? ` The database it replaced is kept as ${outcome.plan.keptAs}.` : ''}`,
  );
  return 0;
}
