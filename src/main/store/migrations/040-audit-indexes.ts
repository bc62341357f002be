import type { Migration } from './index';

/** The auditor view filters by who and what, newest first: each filter walks its own index by seq. */
export const m040AuditIndexes: Migration = {
  version: 40,
  name: 'audit-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX audit_log_operator ON audit_log (operator, seq);
      CREATE INDEX audit_log_effective_user ON audit_log (effective_user, seq);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE INDEX audit_log_log ON audit_log (log, seq);
    `);
  },
};
