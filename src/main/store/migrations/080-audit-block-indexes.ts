import type { Migration } from './index';

/** The audit columns the auditor filters on most, each with a block index named audit_log_<column> (see also 100). */
const AUDIT_BLOCK_COLUMNS = ['operator', 'effective_user', 'action', 'log'] as const;

/**
 * Blocks of 2^12 records: `seq >> 12` is written out, not taken from src/main/audit/query.ts's AUDIT_BLOCK_BITS,
 * because released index definitions must not follow a live constant. The query names these indexes with the same
 * expression; changing the block size needs a migration that rebuilds them.
 *
 * The filter indexes of 040 were keyed (column, seq): a batch of records wrote into the middle of each index at
 * one page per distinct operator, action…, so a commit of 1,000 records wrote ~870 pages to the WAL and the append
 * rate fell as the log grew (28,900/s at 1,000,000 records). Keyed (block, column, seq), every new entry lands
 * in the newest block at the right edge of its index: ~300 pages per commit in all, and the rate stays flat with size.
 * A filter then looks block by block, newest first, each block one index seek.
 *
 * The impersonation drill-down gets two small partial indexes: records written during impersonation, and the
 * end-of-session records by session id (R-S7 writes those without an impersonator).
 */
export const m080AuditBlockIndexes: Migration = {
  version: 80,
  name: 'audit-block-indexes',
  up(db) {
    for (const column of AUDIT_BLOCK_COLUMNS) {
      db.exec(`
        DROP INDEX audit_log_${column};
        CREATE INDEX audit_log_${column} ON audit_log (seq >> 12, ${column}, seq);
      `);
    }
    db.exec(`
      CREATE INDEX audit_log_impersonator ON audit_log (impersonator, seq) WHERE impersonator IS NOT NULL;
      CREATE INDEX audit_log_session_end ON audit_log (json_extract(details, '$.session'))
        WHERE action = 'impersonation.end';
    `);
  },
};
