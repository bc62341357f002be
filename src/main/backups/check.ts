// What makes a file a good backup: a whole Deputy database (SQLite's full integrity check) whose audit chain
// verifies with this machine's keychain keys. Checked on every backup taken and on every file before it is restored.
import { openDatabase, type Db } from '../store/db';
import { readSetting } from '../store/settings';
import { verifyAudit } from '../audit/verify';
import { DeputyError } from '../kernel/errors';
import type { HeadAnchor } from '../kernel/ports';
import type { VaultFactory } from '../kernel/vault';
import type { AuditVerifyReport } from '../../shared/model';

/**
 * A backup is an earlier state of the log, so the keychain's anchor (the live log's head, further on) says nothing
 * about it: its chain is checked on its own, every record against the one before it and its key.
 */
const NO_ANCHOR: HeadAnchor = { sync: async () => undefined, read: async () => null };

export interface CheckedCopy {
  db: Db;
  installId: string;
  schema: number;
  audit: AuditVerifyReport;
}

/**
 * Opens a copy (migrating it when it holds an older schema: the copy, never the file it came from), and refuses it
 * unless it is whole and its chain verifies. `what` names the file for the messages. The caller closes `db`.
 */
export async function openCheckedCopy(path: string, what: string, vault: VaultFactory): Promise<CheckedCopy> {
  const db = await openDatabase(path, { backupBeforeUpgrade: false });
  try {
    const problems = (db.pragma('integrity_check(3)', { simple: false }) as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .filter((p) => p !== 'ok');
    if (problems.length) throw new DeputyError('storage', `${what} is damaged: ${problems.join('; ')}.`);
    const installId = readSetting(db, 'install_id');
    if (!installId) throw new DeputyError('storage', `${what} has no install id: it is not a whole Deputy database.`);
    const audit = await verifyAudit(db, vault(installId), NO_ANCHOR);
    if (!audit.ok) {
      throw new DeputyError(
        'storage',
        `The audit chain in ${what} does not verify: record ${audit.break?.seq} (${audit.break?.kind}): ` +
          `${audit.break?.message}`,
      );
    }
    return { db, installId, schema: db.pragma('user_version', { simple: true }) as number, audit };
  } catch (err) {
    db.close();
    throw err;
  }
}
