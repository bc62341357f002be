import type { Migration } from './index';
import { AUDIT_LOGS } from '../../../shared/model';

const logs = AUDIT_LOGS.map((l) => `'${l}'`).join(', ');

export const m020Audit: Migration = {
  version: 20,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        log TEXT NOT NULL CHECK (log IN (${logs})),
        operator TEXT,
        effective_user TEXT,
        impersonator TEXT,
        username TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
        message TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_log_ts ON audit_log (ts);

      -- The log is append-only. These stop accidents; the hash chain (audit issue) detects tampering.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: records cannot be changed'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: records cannot be deleted'); END;
    `);
  },
};
