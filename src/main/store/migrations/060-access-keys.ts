import type { Migration } from './index';

export const m060AccessKeys: Migration = {
  version: 60,
  name: 'access-keys',
  up(db) {
    db.exec(`
      -- Access keys (R-K12): the secret lives only in the OS keychain; this table keeps what may be shown.
      CREATE TABLE access_keys (
        id TEXT PRIMARY KEY,
        service_account_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        disabled_at TEXT,
        last_used_at TEXT
      ) STRICT;
      CREATE INDEX access_keys_account ON access_keys (service_account_id);
    `);
  },
};
