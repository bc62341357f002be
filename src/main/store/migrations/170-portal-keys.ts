import type { Migration } from './index';

/**
 * Portal API keys (issue 20 item 3; RULES.md R-A5). One row per portal once it is first published: the live key's id
 * and dates, or key_id NULL after a rotation deleted the key (the portal is unavailable until republished). At most
 * one live key per portal (the primary key). The secret is never here, only in the OS keychain. A row goes with its
 * portal (ON DELETE CASCADE); the service refuses to delete a portal whose key is live, so no secret is left behind.
 */
export const m170PortalKeys: Migration = {
  version: 170,
  name: 'portal-keys',
  up(db) {
    db.exec(`
      CREATE TABLE portal_keys (
        portal_id INTEGER PRIMARY KEY REFERENCES portals (id) ON DELETE CASCADE,
        key_id TEXT UNIQUE,
        created_at TEXT,
        last_used_at TEXT,
        published_at TEXT NOT NULL,
        rotated_at TEXT,
        CHECK ((key_id IS NULL) = (created_at IS NULL))
      ) STRICT;
    `);
  },
};
