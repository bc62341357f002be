// `deputy audit verify --db FILE` where FILE is a copy of the log (a backup, a file copied for an auditor): the
// keychain's anchor names another file, which still exists. Such a file is checked read-only, with nothing written
// into it: opened as a console, it would get this run's Script Log record (and a write-ahead log folded back in), and a
// backup would no longer match the checksum its backup.create record gives.
import { checkExisting } from '../../store/fileCheck';
import { LATEST_VERSION } from '../../store/migrations';
import { readSetting } from '../../store/settings';
import { anchoredElsewhere, createHeadAnchor } from '../../audit/anchor';
import { verifyAudit } from '../../audit/verify';
import type { VaultFactory } from '../../kernel/vault';
import type { AuditVerifyReport } from '../../../shared/model';

/** The copy's report, or null when the file is not a copy of the anchored log (or needs an upgrade first). */
export async function verifyIfCopy(path: string, vault: VaultFactory): Promise<AuditVerifyReport | null> {
  let report: AuditVerifyReport | null = null;
  await checkExisting(path, async (db, found) => {
    if (found.kind !== 'deputy' || found.version !== LATEST_VERSION) return;
    const installId = readSetting(db, 'install_id');
    if (!installId) return;
    const credentials = vault(installId);
    // Null when the keychain cannot say whose anchor it is too: the usual run then says why.
    const anchored = await createHeadAnchor(db, credentials).read();
    if (!anchoredElsewhere(db, anchored)) return;
    // Read once; and never synced: the anchor is the other file's.
    report = await verifyAudit(db, credentials, { sync: async () => undefined, read: async () => anchored });
  });
  return report;
}
