import type { Migration } from './index';

/**
 * R-K13 counts a service account's last use from its keys' `last_used_at`; deleting an access key, or rotating or
 * republishing a portal's key, took that use with it, so an account used yesterday could read dormant today.
 * `principals.keys_last_used_at` keeps the latest use of keys the account no longer has, and triggers keep it, as
 * migration 030's do for the policy generation, so that no write path can forget: an access key deleted (alone or with
 * its account), a portal key's last use cleared or its row deleted (with its portal).
 */
export const m230KeysLastUseKept: Migration = {
  version: 230,
  name: 'keys-last-use-kept',
  up(db) {
    db.exec(`
      ALTER TABLE principals ADD COLUMN keys_last_used_at TEXT;

      CREATE TRIGGER access_keys_last_use_kept AFTER DELETE ON access_keys
      WHEN OLD.last_used_at IS NOT NULL
      BEGIN
        UPDATE principals SET keys_last_used_at = max(coalesce(keys_last_used_at, ''), OLD.last_used_at)
        WHERE id = OLD.service_account_id;
      END;

      CREATE TRIGGER portal_keys_last_use_kept AFTER UPDATE OF last_used_at ON portal_keys
      WHEN OLD.last_used_at IS NOT NULL AND NEW.last_used_at IS NULL
      BEGIN
        UPDATE principals SET keys_last_used_at = max(coalesce(keys_last_used_at, ''), OLD.last_used_at)
        WHERE username = (SELECT service_account FROM portals WHERE id = OLD.portal_id);
      END;

      CREATE TRIGGER portal_keys_deleted_last_use_kept AFTER DELETE ON portal_keys
      WHEN OLD.last_used_at IS NOT NULL
      BEGIN
        UPDATE principals SET keys_last_used_at = max(coalesce(keys_last_used_at, ''), OLD.last_used_at)
        WHERE username = (SELECT service_account FROM portals WHERE id = OLD.portal_id);
      END;
    `);
  },
};
