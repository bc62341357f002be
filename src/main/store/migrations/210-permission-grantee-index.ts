import type { Migration } from './index';

/**
 * One portal's report reads, by grantee, the entries its service account has, the Deny entries reaching it, and how
 * many objects each of its groups and Default (All Other Users) grant it (R-A2's reach warnings): seeks on this index,
 * which holds the level and object too, so counting Default's hundreds of objects never reads the table.
 */
export const m210PermissionGranteeIndex: Migration = {
  version: 210,
  name: 'permission-grantee-index',
  up(db) {
    db.exec(
      `CREATE INDEX design_object_permissions_grantee
         ON design_object_permissions (grantee_type, grantee_name, level, object_id);`,
    );
  },
};
