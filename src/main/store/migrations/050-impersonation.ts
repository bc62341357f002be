import type { Migration } from './index';

export const m050Impersonation: Migration = {
  version: 50,
  name: 'impersonation',
  up(db) {
    db.exec(`
      CREATE TABLE impersonation_sessions (
        id INTEGER PRIMARY KEY,
        operator TEXT NOT NULL,
        target TEXT NOT NULL,
        reason TEXT NOT NULL,
        ticket TEXT,
        started_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ended_at TEXT,
        end_reason TEXT CHECK (end_reason IN ('back_to_me', 'expired', 'signed_out', 'idle_lock', 'rights_lost', 'quit', 'crash_recovery')),
        actions INTEGER NOT NULL DEFAULT 0,
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      ) STRICT;
      CREATE INDEX impersonation_sessions_open ON impersonation_sessions (ended_at) WHERE ended_at IS NULL;
      CREATE INDEX impersonation_sessions_operator ON impersonation_sessions (operator, id);

      -- What a person is told at their next sign-in, e.g. that they were impersonated.
      CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seen_at TEXT
      ) STRICT;
      CREATE INDEX notices_unseen ON notices (username) WHERE seen_at IS NULL;
    `);
  },
};
