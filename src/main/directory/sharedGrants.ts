// Impersonation security (R-K1, R-K2): which service accounts may impersonate through which shared resource.
import { DeputyError } from '../kernel/errors';
import { requirePrincipal } from './manage';
import { SHARED_RESOURCES, type SharedResource, type SharedResourceGrants } from '../../shared/model';
import { recordGrantChange } from '../deletions/record';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function listSharedGrants(app: AppContext): SharedResourceGrants[] {
  const rows = app.db
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

export function setSharedGrant(
  app: AppContext,
  caller: Caller,
  serviceAccount: string,
  resource: SharedResource,
  enabled: boolean,
): SharedResourceGrants[] {
  const sa = requirePrincipal(app, serviceAccount, 'serviceAccount');
  if (sa.kind !== 'service')
    throw new DeputyError('invalid_input', `${sa.username} is not a service account.`, 'serviceAccount');
  if (!SHARED_RESOURCES.includes(resource))
    throw new DeputyError('invalid_input', `Unknown shared resource ${resource}.`, 'resource');
  const has = app.db
    .prepare(`SELECT 1 FROM shared_resource_grants WHERE service_account_id = ? AND resource = ?`)
    .get(sa.id, resource);
  if (Boolean(has) === enabled) {
    throw new DeputyError('conflict', `${sa.username} ${enabled ? 'already has' : 'has no'} access to ${resource}.`);
  }
  return app.db.transaction(() => {
    if (enabled)
      app.db
        .prepare(`INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`)
        .run(sa.id, resource);
    else
      app.db
        .prepare(`DELETE FROM shared_resource_grants WHERE service_account_id = ? AND resource = ?`)
        .run(sa.id, resource);
    recordGrantChange(app, caller, {
      grant: { type: 'sharedResource', serviceAccount: sa.username, resource },
      removed: !enabled,
      action: 'sharedResource.grant',
      target: sa.username,
      message: `${sa.username}: impersonation through ${resource} ${enabled ? 'granted' : 'revoked'}`,
      history: { field: resource, old: false, new: true },
    });
    return listSharedGrants(app);
  })();
}
