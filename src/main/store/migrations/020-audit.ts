import type { Migration } from './index';

/**
 * The log names are frozen as released (39fa648), not read from src/shared/model.ts (see 010).
 * The hash-chain columns were added to this migration in place (49c86bf), after 39fa648 had released it without
 * them: migration 110 adds them to a database made by 39fa648 (test/unit/migrationUpgrade.test.ts). Never edit a
 * released migration again; add one.
 */
export const m020Audit: Migration = {
  version: 20,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        log TEXT NOT NULL CHECK (log IN ('main', 'history', 'script', 'exception', 'record_deletion')),
        operator TEXT,
        effective_user TEXT,
        impersonator TEXT,
        username TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
        message TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        -- The hash chain (R-L2): hash = HMAC-SHA256(key, prev_hash ‖ canonical record); key_id names the
        -- chain key in the OS keychain, '' while the keychain was unavailable (then the chain is unkeyed SHA-256).
        key_id TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_ts ON audit_log (ts);

      -- The log is append-only. These stop accidents; the hash chain detects tampering.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: records cannot be changed'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: records cannot be deleted'); END;
    `);
  },
};
