import type { Migration } from './index';

/**
 * Rotating a portal's key (R-A5) now clears the key in the database first and removes its secret from the keychain
 * second, so a rotation cut anywhere leaves the portal "unavailable until republished" rather than listing a key
 * whose secret is gone. Between the two steps the rotated key's id is kept in retired_key_id: no live key, only a
 * secret the keychain may still hold, removed at the next publish or rotation of the portal or the next start.
 *
 * Grantee names and portal service accounts are kept as the directory spells the username or group (matched without
 * case, like principals.username and groups.name); rows written before that, by an import naming `JDoe` for `jdoe`,
 * take the directory's spelling (OR IGNORE: an object listing both spellings keeps its second entry as it was).
 */
export const m190PortalKeyRetiring: Migration = {
  version: 190,
  name: 'portal-key-retiring',
  up(db) {
    db.exec(`
      ALTER TABLE portal_keys ADD COLUMN retired_key_id TEXT;

      UPDATE OR IGNORE design_object_permissions
        SET grantee_name = (SELECT p.username FROM principals p WHERE p.username = grantee_name)
        WHERE grantee_type = 'user' AND EXISTS (SELECT 1 FROM principals p WHERE p.username = grantee_name);
      UPDATE OR IGNORE design_object_permissions
        SET grantee_name = (SELECT g.name FROM groups g WHERE g.name = grantee_name)
        WHERE grantee_type = 'group' AND EXISTS (SELECT 1 FROM groups g WHERE g.name = grantee_name);
      UPDATE portals
        SET service_account = (SELECT p.username FROM principals p WHERE p.username = service_account)
        WHERE EXISTS (SELECT 1 FROM principals p WHERE p.username = service_account);
    `);
  },
};
