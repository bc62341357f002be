// Service accounts (R-K1, R-K10, R-K11, R-K13, R-A1): lifecycle, associated resources (integrations acting through
// the account included) and dormancy.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { insertPrincipal, principalExists, setDisplayName, type PrincipalRow } from '../store/principals';
import { readSettings } from '../store/settings';
import { impersonationFlowsOf, revokeAllFlowImpersonation } from '../store/flows';
import { flowRolesOf } from '../policy/decide';
import { revokeAllSharedResources, sharedResourcesOf } from '../store/grants';
import { serviceAccountKeyUse } from '../store/accessKeys';
import { integrationsThrough } from '../store/integrations';
import { requirePrincipal } from '../directory/manage';
import { recordDeletion } from '../deletions/record';
import type { Grant } from '../deletions/grants';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { AssociatedResources, ServiceAccountSummary } from '../../shared/model';

const DAY = 86_400_000;

export function requireServiceAccount(app: AppContext, username: string): PrincipalRow {
  const p = requirePrincipal(app, username);
  if (p.kind !== 'service')
    throw new DeputyError('invalid_input', `${p.username} is not a service account.`, 'username');
  return p;
}

export function listServiceAccounts(app: AppContext): ServiceAccountSummary[] {
  const { dormancyDays, keyRotationDays } = readSettings(app.db);
  const now = app.clock().getTime();
  const rows = serviceAccountKeyUse(app.db, new Date(now - keyRotationDays * DAY).toISOString());
  return rows.map((r) => ({
    username: r.username,
    displayName: r.display_name,
    status: r.status,
    keys: r.keys,
    lastUsedAt: r.last_used,
    // Never used counts from creation: a new account is not dormant on day one.
    dormant: now - Date.parse(r.last_used ?? r.created_at) > dormancyDays * DAY,
    keysDueForRotation: r.old_keys ?? 0,
  }));
}

export function createServiceAccount(app: AppContext, caller: Caller, username: string, displayName: string): void {
  if (principalExists(app.db, username)) {
    throw new DeputyError('conflict', `The username ${username} is taken.`, 'username');
  }
  app.db.transaction(() => {
    // insertPrincipal puts every service account in the system group Service Account (R-A1).
    insertPrincipal(
      app.db,
      { username, displayName, kind: 'service', status: 'active', roles: [] },
      app.clock().toISOString(),
    );
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'serviceAccount.create',
      target: username,
      message: `Created service account ${displayName ? `${displayName} (${username})` : username}`,
      details: { field: 'principal', old: null, new: { username, displayName, kind: 'service' } },
    });
  })();
}

export function renameServiceAccount(app: AppContext, caller: Caller, username: string, displayName: string): void {
  const sa = requireServiceAccount(app, username);
  if (sa.displayName === displayName) throw new DeputyError('conflict', `${username} already has that display name.`);
  app.db.transaction(() => {
    setDisplayName(app.db, sa.id, displayName, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'serviceAccount.update',
      target: username,
      message: `${username} display name: ${sa.displayName || '(empty)'} → ${displayName || '(empty)'}`,
      details: { field: 'displayName', old: sa.displayName, new: displayName },
    });
  })();
}

export function associatedResources(app: AppContext, caller: Caller, username: string): AssociatedResources {
  const sa = requireServiceAccount(app, username);
  return {
    sharedResources: sharedResourcesOf(app.db, sa.id),
    impersonationFlows: impersonationFlowsOf(app.db, sa.id),
    memberOf: flowMemberships(app, sa.username),
    integrations: integrationsThrough(app.db, sa.username).map(({ flow, source, target }) => ({
      flow,
      source,
      target,
    })),
  };
}

/**
 * Read from the snapshot decide() reads, with its flowRolesOf, so the view lists exactly the flow roles that grant
 * the account rights, the ones it holds through a group (the system group Service Account included) as well.
 */
function flowMemberships(app: AppContext, username: string): AssociatedResources['memberOf'] {
  const data = app.policy();
  return [...data.flows.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((flow) =>
      flowRolesOf(data, username, flow).map(({ role, via }) => ({
        name: flow.name,
        type: flow.type,
        role,
        ...(via === undefined ? {} : { group: via }),
      })),
    );
}

/** R-K13: removes every impersonation access of a (dormant) account, as one audited change with the list. */
export function removeAllImpersonation(app: AppContext, caller: Caller, username: string): AssociatedResources {
  const sa = requireServiceAccount(app, username);
  const before = associatedResources(app, caller, username);
  authorize(app, caller, 'sharedResource.grant');
  for (const f of before.impersonationFlows)
    authorize(app, caller, 'flow.impersonation', { type: 'flow', name: f.name });
  if (before.sharedResources.length + before.impersonationFlows.length === 0) {
    throw new DeputyError('conflict', `${username} has no impersonation access to remove.`);
  }
  const grants: Grant[] = [
    ...before.sharedResources.map((resource): Grant => ({
      type: 'sharedResource',
      serviceAccount: sa.username,
      resource,
    })),
    ...before.impersonationFlows.map((f): Grant => ({
      type: 'flowImpersonation',
      flow: f.name,
      serviceAccount: sa.username,
    })),
  ];
  app.db.transaction(() => {
    revokeAllSharedResources(app.db, sa.id);
    revokeAllFlowImpersonation(app.db, sa.id);
    recordDeletion(app, caller, {
      deleted: 'grants',
      snapshot: { grants },
      action: 'serviceAccount.removeAllImpersonation',
      target: username,
      message: `Removed all impersonation access of ${username}: ${[
        ...before.sharedResources,
        ...before.impersonationFlows.map((f) => `flow ${f.name}`),
      ].join(', ')}`,
    });
  })();
  return associatedResources(app, caller, username);
}
