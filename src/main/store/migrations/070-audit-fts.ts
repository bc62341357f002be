import type { Migration } from './index';

/** Full-text search on audit messages (FTS5), filled by a trigger: the log is append-only, so inserts suffice. */
export const m070AuditFts: Migration = {
  version: 70,
  name: 'audit-fts',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE audit_fts USING fts5(message, content = 'audit_log', content_rowid = 'seq');
      INSERT INTO audit_fts (rowid, message) SELECT seq, message FROM audit_log;
      CREATE TRIGGER audit_log_fts AFTER INSERT ON audit_log
        BEGIN INSERT INTO audit_fts (rowid, message) VALUES (new.seq, new.message); END;
    `);
  },
};
