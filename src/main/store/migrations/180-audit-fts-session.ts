import type { Migration } from './index';

/**
 * Full-text search finds an impersonation session by its reason and ticket, as the Sessions tab shows them: the
 * index gets a second column, `session`, holding them for each session's start record (their only record in the
 * log). The index becomes contentless (content = ''): an external-content index reads its columns from the log's,
 * and the log has no column for these; queries only ever read its rowids. Rebuilt here from every record, so the
 * sessions started before this migration are found too. The writer fills both columns with the same text
 * (audit/writer.ts, AUDIT_FTS_SESSION).
 */
export const m180AuditFtsSession: Migration = {
  version: 180,
  name: 'audit-fts-session',
  up(db) {
    db.exec(`
      DROP TABLE audit_fts;
      CREATE VIRTUAL TABLE audit_fts USING fts5(message, session, content = '', columnsize = 0);
      INSERT INTO audit_fts (rowid, message, session)
        SELECT seq, message,
          CASE WHEN action = 'impersonation.start'
            THEN trim(coalesce(json_extract(details, '$.reason'), '') || ' ' || coalesce(json_extract(details, '$.ticket'), ''))
          END
        FROM audit_log;
    `);
  },
};
