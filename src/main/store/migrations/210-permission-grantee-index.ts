import type { Migration } from './index';

/**
 * R-A2 flags every grant reaching a portal's service account, on any design object, beyond what its use cases need;
 * R-A3 warns of Default (All Other Users) on every record type. One portal's report finds those objects from the
 * entries naming the account, its groups or Default: by this index, not a scan of every permission list.
 */
export const m210PermissionGranteeIndex: Migration = {
  version: 210,
  name: 'permission-grantee-index',
  up(db) {
    db.exec(
      `CREATE INDEX design_object_permissions_grantee ON design_object_permissions (grantee_type, grantee_name);`,
    );
  },
};
