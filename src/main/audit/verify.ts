// verify (R-L2): walks the chain and reports OK with the count, or the first break and its kind.
import { chainHash, GENESIS, type AuditRow } from './chain';
import { readChainKey } from './keys';
import type { HeadAnchor } from './anchor';
import type { CredentialVault } from '../vault/vault';
import type { Db } from '../store/db';
import type { AuditVerifyReport } from '../../shared/model';

export async function verifyAudit(db: Db, vault: CredentialVault, anchor: HeadAnchor): Promise<AuditVerifyReport> {
  const keys = new Map<string, Buffer | null>();
  for (const id of db.prepare(`SELECT DISTINCT key_id FROM audit_log WHERE key_id <> ''`).pluck().all() as string[]) {
    keys.set(id, await readChainKey(vault, id));
  }
  const hashExists = db.prepare(`SELECT 1 FROM audit_log WHERE hash = ?`).pluck();

  let count = 0;
  let unkeyed = 0;
  let prev = { seq: 0, hash: GENESIS };
  const broken = (seq: number, kind: NonNullable<AuditVerifyReport['break']>['kind'], message: string) => ({
    ok: false as const,
    count,
    unkeyed,
    head: null,
    break: { seq, kind, message },
  });

  for (const row of db.prepare(`SELECT * FROM audit_log ORDER BY seq`).iterate() as IterableIterator<AuditRow>) {
    if (row.seq !== prev.seq + 1) {
      return broken(prev.seq + 1, 'deleted', `Record ${prev.seq + 1} is missing: records were deleted.`);
    }
    const key = row.key_id ? keys.get(row.key_id) : null;
    if (row.key_id && !key) {
      return broken(
        row.seq,
        'missing_key',
        `The chain key ${row.key_id} for record ${row.seq} is not in the OS keychain.`,
      );
    }
    if (chainHash(key ?? null, row.prev_hash, row) !== row.hash) {
      return broken(row.seq, 'changed', `Record ${row.seq} was changed after it was written.`);
    }
    if (row.prev_hash !== prev.hash) {
      return hashExists.get(row.prev_hash)
        ? broken(row.seq, 'reordered', `Record ${row.seq} is out of place: records were reordered.`)
        : broken(row.seq, 'deleted', `The record before ${row.seq} is missing: records were deleted.`);
    }
    if (!row.key_id) unkeyed++;
    count++;
    prev = { seq: row.seq, hash: row.hash };
  }

  const anchored = await anchor.read();
  if (anchored && anchored.seq > prev.seq) {
    return broken(
      prev.seq + 1,
      'truncated',
      `The log ends at ${prev.seq}, but record ${anchored.seq} was anchored: its tail was cut off.`,
    );
  }
  if (
    anchored &&
    anchored.seq > 0 &&
    (db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck().get(anchored.seq) as string) !== anchored.hash
  ) {
    return broken(
      anchored.seq,
      'truncated',
      `Record ${anchored.seq} is not the one anchored: the tail was cut off and rewritten.`,
    );
  }
  return { ok: true, count, unkeyed, head: count ? prev : null };
}
