// Impersonation security (R-K1, R-K2): which service accounts may impersonate through which shared resource.
import { DeputyError } from '../kernel/errors';
import { requirePrincipal } from './manage';
import { SHARED_RESOURCES, type SharedResource, type SharedResourceGrants } from '../../shared/model';
import { recordGrantChange } from '../deletions/record';
import {
  grantSharedResource,
  hasSharedGrant,
  revokeSharedResource,
  sharedGrantsByServiceAccount,
} from '../store/grants';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function listSharedGrants(app: AppContext): SharedResourceGrants[] {
  return sharedGrantsByServiceAccount(app.db);
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
  if (hasSharedGrant(app.db, sa.id, resource) === enabled) {
    throw new DeputyError('conflict', `${sa.username} ${enabled ? 'already has' : 'has no'} access to ${resource}.`);
  }
  return app.db.transaction(() => {
    if (enabled) grantSharedResource(app.db, sa.id, resource);
    else revokeSharedResource(app.db, sa.id, resource);
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
