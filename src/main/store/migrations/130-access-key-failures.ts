import type { Migration } from './index';

/**
 * Failed access-key checks, kept where every process sees them: `deputy auth check` is one process per check, and
 * the window, `deputy serve` and the CLI may share one database, so a counter in memory never reached the lock
 * (10 failures in a minute lock a key id for a minute). Not tied to access_keys: guesses at unknown ids count too.
 */
export const m130AccessKeyFailures: Migration = {
  version: 130,
  name: 'access-key-failures',
  up(db) {
    db.exec(`
      CREATE TABLE access_key_failures (
        key_id TEXT NOT NULL,
        failed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX access_key_failures_key ON access_key_failures (key_id, failed_at);
      -- A lock holds for its minute whatever happens meanwhile (failures while locked do not extend it).
      CREATE TABLE access_key_locks (
        key_id TEXT PRIMARY KEY,
        locked_until TEXT NOT NULL
      ) STRICT;
    `);
  },
};
