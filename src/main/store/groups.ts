// The groups repository: groups and their members (groups, group_members).
import type { Db } from '../kernel/ports';

/** R-A1: every service account is in the system group Service Account, from the moment it exists. */
export function addToServiceAccountGroup(db: Db, principalId: number): void {
  db.prepare(
    `INSERT INTO group_members (group_id, principal_id) SELECT id, ? FROM groups WHERE name = 'Service Account' AND system = 1`,
  ).run(principalId);
}
