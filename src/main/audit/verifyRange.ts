// One range of seq checked on its own (R-L2): each record stores prev_hash, so a range's record hashes and
// inner links need nothing from outside it. What joins ranges (the first record's seq and prev_hash against
// the end of the range before) is left to the caller, which merges ranges in order (see verify.ts).
// Imported both by verify.ts (in-thread) and by verifyWorker.ts: it must not import the store or the vault.
import type Database from 'better-sqlite3';
import { CHAINED_COLUMNS, canonical, chainHasher, type AuditRow, type ChainHasher } from './chain';
import type { AuditVerifyReport } from '../../shared/model';

export type Break = NonNullable<AuditVerifyReport['break']>;

/** seq > after (none: from the start) and seq <= upTo. */
export interface SeqRange {
  after: number | null;
  upTo: number;
}

export interface RangeResult {
  /** The range's first record, whose seq and link the merge checks against the range before; null: no records. */
  first: { seq: number; prevHash: string } | null;
  /** Records that passed every check, up to the break if there is one. */
  count: number;
  unkeyed: number;
  /** The last record that passed. */
  last: { seq: number; hash: string } | null;
  /** The first break inside the range; at the first record it can only be missing_key or changed. */
  break: Break | null;
}

/** Chain keys by id: null for an id the keychain does not have. Raw bytes: they cross to a worker. */
export type KeyBytes = [id: string, key: Uint8Array | null][];

/** The break for a seq that no record holds. */
export const gapBreak = (seq: number): Break => ({
  seq,
  kind: 'deleted',
  message: `Record ${seq} is missing: records were deleted.`,
});

/** The break for a record whose prev_hash is not the hash of the record before it. */
export function linkBreak(db: Database.Database, seq: number, prevHash: string): Break {
  return db.prepare(`SELECT 1 FROM audit_log WHERE hash = ?`).get(prevHash)
    ? { seq, kind: 'reordered', message: `Record ${seq} is out of place: records were reordered.` }
    : { seq, kind: 'deleted', message: `The record before ${seq} is missing: records were deleted.` };
}

export function verifyRange(db: Database.Database, range: SeqRange, keyBytes: KeyBytes): RangeResult {
  // One hasher per key, made once: it keeps its padded key and buffers for every record of the range.
  const hashers = new Map<string, ChainHasher | null>(
    keyBytes.map(([id, k]) => [id, k ? chainHasher(Buffer.from(k)) : null]),
  );
  const unkeyed = chainHasher(null);
  // SQLite builds the canonical form (json_array escapes exactly as JSON.stringify does, which
  // test/unit/auditVerifyRanges.test.ts checks for every code point): one string per record to hand to
  // JavaScript instead of twelve, the larger half of verify's time. A record that does not match is read
  // again and hashed with canonical() before it is called changed: that format is the one that decides.
  const rows = db
    .prepare(
      `SELECT seq, key_id, prev_hash, hash, json_array(${CHAINED_COLUMNS.join(', ')}) FROM audit_log
       WHERE ${range.after === null ? '' : 'seq > @after AND '}seq <= @upTo ORDER BY seq`,
    )
    .raw();
  const full = db.prepare(`SELECT * FROM audit_log WHERE seq = ?`);

  const result: RangeResult = { first: null, count: 0, unkeyed: 0, last: null, break: null };
  const params = range.after === null ? { upTo: range.upTo } : { after: range.after, upTo: range.upTo };
  let prev: { seq: number; hash: string } | null = null;
  for (const row of rows.iterate(params) as IterableIterator<[number, string, string, string, string]>) {
    const [seq, keyId, prevHash, hash, canon] = row;
    if (!prev) result.first = { seq, prevHash };
    else if (seq !== prev.seq + 1) {
      result.break = gapBreak(prev.seq + 1);
      break;
    }
    const hasher = keyId ? hashers.get(keyId) : unkeyed;
    if (!hasher) {
      result.break = {
        seq,
        kind: 'missing_key',
        message: `The chain key ${keyId} for record ${seq} is not in the OS keychain.`,
      };
      break;
    }
    if (hasher(prevHash, canon) !== hash && hasher(prevHash, canonical(full.get(seq) as AuditRow)) !== hash) {
      result.break = { seq, kind: 'changed', message: `Record ${seq} was changed after it was written.` };
      break;
    }
    if (prev && prevHash !== prev.hash) {
      result.break = linkBreak(db, seq, prevHash);
      break;
    }
    if (!keyId) result.unkeyed++;
    result.count++;
    prev = { seq, hash };
  }
  result.last = prev;
  return result;
}
