import type { Migration } from './index';

/**
 * Full-text search on audit messages (FTS5). The writer fills it in the same transaction as each record:
 * a trigger did the same at half the append rate (test/bench).
 */
export const m070AuditFts: Migration = {
  version: 70,
  name: 'audit-fts',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE audit_fts USING fts5(message, content = 'audit_log', content_rowid = 'seq');
      INSERT INTO audit_fts (rowid, message) SELECT seq, message FROM audit_log;
    `);
  },
};
