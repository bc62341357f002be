// Appends audit records. Callers run it inside the same transaction as the change it records,
// so there is never a change without its record, nor a record without its change.
import { CHAINED_COLUMNS, canonicalText, chainedValues, chainHasher, GENESIS, type ChainedFields } from './chain';
import { currentAttribution } from './attribution';
import type { ChainKey } from './keys';
import type { Statement } from 'better-sqlite3';
import type { AuditEntry, AuditWriter, Db } from '../kernel/ports';
import type { Clock } from '../kernel/clock';

/** The username shown on a record: `impersonated (impersonator)` during impersonation (R-S8). */
export function displayedUsername(e: AuditEntry): string {
  const effective = e.effectiveUser ?? e.operator ?? 'system';
  return e.impersonator ? `${effective} (${e.impersonator})` : effective;
}

/** Fills in who the call acts as (R-S8) unless the entry says otherwise. */
function withAttribution(e: AuditEntry): AuditEntry {
  const a = currentAttribution();
  if (!a || e.operator !== a.impersonator) return e;
  return {
    ...e,
    effectiveUser: e.effectiveUser === undefined ? a.effectiveUser : e.effectiveUser,
    impersonator: e.impersonator === undefined ? a.impersonator : e.impersonator,
  };
}

const COLUMNS = ['seq', ...CHAINED_COLUMNS, 'prev_hash', 'hash'] as const;

/**
 * The full-text index's `session` column of a record (migration 180): an impersonation session's reason and ticket,
 * on its start record, so that searching for either finds the session. As SQL for batches, and as a function of the
 * entry for one record (the same words).
 */
const AUDIT_FTS_SESSION = `CASE WHEN action = 'impersonation.start'
  THEN trim(coalesce(json_extract(details, '$.reason'), '') || ' ' || coalesce(json_extract(details, '$.ticket'), ''))
  END`;
function sessionText(e: AuditEntry): string | null {
  if (e.action !== 'impersonation.start') return null;
  const words = (['reason', 'ticket'] as const).map((k) => e.details?.[k]).filter((v) => typeof v === 'string');
  return words.join(' ').trim();
}
/** Rows per INSERT: binding one row per call cost ~2 µs a record more (test/bench); 15 × 128 parameters fit. */
const ROWS_PER_INSERT = 128;

export function createAuditWriter(db: Db, clock: Clock, key: ChainKey | null): AuditWriter {
  const hashOf = chainHasher(key?.key ?? null);
  // Read from the table, not kept in memory: a rolled-back transaction must not move the chain.
  const tail = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  const inserts = new Map<number, Statement>();
  /** INSERT of `rows` records, prepared once per size; positional parameters cost no lookup per name. */
  const insert = (rows: number) => {
    let statement = inserts.get(rows);
    if (!statement) {
      const values = Array(rows).fill(`(${COLUMNS.map(() => '?').join(', ')})`);
      statement = db.prepare(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}`);
      inserts.set(rows, statement);
    }
    return statement;
  };
  const indexOne = db.prepare(`INSERT INTO audit_fts (rowid, message, session) VALUES (?, ?, ?)`);
  const indexRange = db.prepare(
    `INSERT INTO audit_fts (rowid, message, session) SELECT seq, message, ${AUDIT_FTS_SESSION}
     FROM audit_log WHERE seq BETWEEN ? AND ?`,
  );

  const fieldsOf = (entry: AuditEntry): ChainedFields => {
    const e = withAttribution(entry);
    return {
      ts: clock().toISOString(),
      log: e.log ?? 'main',
      operator: e.operator,
      effective_user: e.effectiveUser ?? e.operator,
      impersonator: e.impersonator ?? null,
      username: displayedUsername(e),
      action: e.action,
      target: e.target ?? null,
      outcome: e.outcome ?? 'ok',
      message: e.message,
      details: JSON.stringify(e.details ?? {}),
      key_id: key?.id ?? '',
    };
  };

  /** Inside indexingOnce: records are indexed at its end, not as they are appended. */
  let deferred = false;

  const write = (entries: readonly AuditEntry[]): number[] => {
    const last = tail.get() as { seq: number; hash: string } | undefined;
    const first = (last?.seq ?? 0) + 1;
    let prev = last?.hash ?? GENESIS;
    const seqs: number[] = [];
    for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
      const chunk = entries.slice(start, start + ROWS_PER_INSERT);
      const values: (string | number | null)[] = [];
      for (const entry of chunk) {
        const chained = chainedValues(fieldsOf(entry)); // hashed and inserted as the same array
        const hash = hashOf(prev, canonicalText(chained));
        const seq = first + seqs.length;
        values.push(seq, ...chained, prev, hash);
        seqs.push(seq);
        prev = hash;
      }
      insert(chunk.length).run(values);
    }
    // Full-text rows after the records, one statement per call: FTS5 writes its pending terms out as a new segment at
    // every statement savepoint, and a statement that may write several rows opens one. One record goes in by VALUES
    // (no savepoint), a batch by one INSERT … SELECT (one segment; per chunk measured ~6% slower, test/bench).
    if (deferred) return seqs;
    if (entries.length === 1) indexOne.run(first, entries[0]!.message, sessionText(entries[0]!));
    else if (entries.length > 1) indexRange.run(first, first + entries.length - 1);
    return seqs;
  };

  // Outside a caller's transaction, take the write lock before reading the tail: another process (the CLI beside
  // the window) may append between a read and a write, and the chain must not fork.
  const writeAlone = db.transaction(write);
  const appendAll = (entries: readonly AuditEntry[]) =>
    db.inTransaction ? write(entries) : writeAlone.immediate(entries);
  /**
   * FTS5 also writes a segment at every SAVEPOINT, and a batch of calls opens one per call (and the calls their own):
   * indexed as they came, the records of a batch cost a segment each, ~0.05–0.1 ms of a service API call's ~0.25 ms
   * in the core (test/bench/serviceApi.ts). Indexed here at the end, in the same transaction, the range is exactly the
   * records that stayed: a call rolled back to its savepoint took its records with it, and the next took their seqs.
   */
  function indexingOnce<T>(fn: () => T): T {
    if (deferred) return fn();
    if (!db.inTransaction) throw new Error('indexingOnce runs inside a transaction');
    const from = ((tail.get() as { seq: number } | undefined)?.seq ?? 0) + 1;
    deferred = true;
    let result: T;
    try {
      result = fn();
    } finally {
      deferred = false;
    }
    const to = (tail.get() as { seq: number } | undefined)?.seq ?? 0;
    if (to >= from) indexRange.run(from, to);
    return result;
  }

  return { appendAll, append: (entry) => appendAll([entry])[0]!, indexingOnce };
}
