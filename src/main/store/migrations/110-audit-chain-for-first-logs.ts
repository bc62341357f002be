import { createHash } from 'node:crypto';
import type { Migration } from './index';

/**
 * Databases made by the first release (39fa648) have an audit_log without the hash-chain columns: 49c86bf added
 * them to migration 020 in place instead of in a migration of their own, so those databases never got them and
 * Deputy could not open them ("no such column: hash"). This adds the columns and chains the records already
 * there, in seq order, as records written while the keychain is unavailable are chained: plain SHA-256, key_id
 * empty, so verify reports them as unkeyed, which is the truth — they were written before there was a chain key.
 * The canonical form is frozen here as it was then (audit/chain.ts: the previous hash, a newline, then the JSON
 * array of these columns in this order); a later change there must not change how these records were chained.
 */
const CHAINED = `ts, log, operator, effective_user, impersonator, username, action, target, outcome, message, details`;
const GENESIS = '0'.repeat(64);

type Row = Record<string, string | null> & { seq: number };

export const m110AuditChainForFirstLogs: Migration = {
  version: 110,
  name: 'audit-chain-for-first-logs',
  up(db) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('audit_log')`).pluck().all();
    if (columns.includes('hash')) return; // made with the chain from the start
    db.exec(`
      DROP TRIGGER audit_log_no_update;
      ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
      ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
    `);
    const set = db.prepare(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`);
    let prev = GENESIS;
    // In pages: a statement cannot run while another one is still iterating on the same connection.
    const page = db.prepare(`SELECT seq, ${CHAINED} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000`);
    for (let after = 0, rows = page.all(after) as Row[]; rows.length; rows = page.all(after) as Row[]) {
      for (const row of rows) {
        const values = [...CHAINED.split(', ').map((c) => row[c]), ''];
        const hash = createHash('sha256')
          .update(`${prev}\n${JSON.stringify(values)}`)
          .digest('hex');
        set.run(prev, hash, row.seq);
        prev = hash;
        after = row.seq;
      }
    }
    db.exec(`
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: records cannot be changed'); END;
    `);
  },
};
