// The shared-resource grants repository (R-K1, R-K2): which service account may impersonate through which of
// the three shared resources (shared_resource_grants).
import type { Db } from '../kernel/ports';
import type { SharedResource, SharedResourceGrants } from '../../shared/model';

/** Every service account with its grants, by username; those without any are listed too, to be granted one. */
export function sharedGrantsByServiceAccount(db: Db): SharedResourceGrants[] {
  const rows = db
    .prepare(
      `SELECT p.username, p.display_name, p.status, s.resource FROM principals p
       LEFT JOIN shared_resource_grants s ON s.service_account_id = p.id
       WHERE p.kind = 'service' ORDER BY p.username, s.resource`,
    )
    .all() as { username: string; display_name: string; status: string; resource: SharedResource | null }[];
  const byAccount = new Map<string, SharedResourceGrants>();
  for (const r of rows) {
    const entry = byAccount.get(r.username) ?? {
      serviceAccount: r.username,
      displayName: r.display_name,
      active: r.status === 'active',
      resources: [],
    };
    if (r.resource) entry.resources.push(r.resource);
    byAccount.set(r.username, entry);
  }
  return [...byAccount.values()];
}

export function sharedResourcesOf(db: Db, serviceAccountId: number): SharedResource[] {
  return db
    .prepare(`SELECT resource FROM shared_resource_grants WHERE service_account_id = ? ORDER BY resource`)
    .pluck()
    .all(serviceAccountId) as SharedResource[];
}

export function hasSharedGrant(db: Db, serviceAccountId: number, resource: SharedResource): boolean {
  return Boolean(
    db
      .prepare(`SELECT 1 FROM shared_resource_grants WHERE service_account_id = ? AND resource = ?`)
      .get(serviceAccountId, resource),
  );
}

export function grantSharedResource(db: Db, serviceAccountId: number, resource: SharedResource): void {
  db.prepare(`INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`).run(
    serviceAccountId,
    resource,
  );
}

/** For putting a grant back: false when it was in place already. */
export function grantSharedResourceIfMissing(db: Db, serviceAccountId: number, resource: SharedResource): boolean {
  return (
    db
      .prepare(`INSERT OR IGNORE INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`)
      .run(serviceAccountId, resource).changes > 0
  );
}

export function revokeSharedResource(db: Db, serviceAccountId: number, resource: SharedResource): void {
  db.prepare(`DELETE FROM shared_resource_grants WHERE service_account_id = ? AND resource = ?`).run(
    serviceAccountId,
    resource,
  );
}

export function revokeAllSharedResources(db: Db, serviceAccountId: number): void {
  db.prepare(`DELETE FROM shared_resource_grants WHERE service_account_id = ?`).run(serviceAccountId);
}

/** Makes a service account's grants exactly these (a policy bundle's import). */
export function replaceSharedResources(db: Db, serviceAccountId: number, resources: Iterable<SharedResource>): void {
  revokeAllSharedResources(db, serviceAccountId);
  const grant = db.prepare(`INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`);
  for (const r of resources) grant.run(serviceAccountId, r);
}

/** Every grant as decide() sees it: username and resource. */
export function policySharedGrants(db: Db): { username: string; resource: SharedResource }[] {
  return db
    .prepare(
      `SELECT p.username, s.resource FROM shared_resource_grants s JOIN principals p ON p.id = s.service_account_id`,
    )
    .all() as { username: string; resource: SharedResource }[];
}
