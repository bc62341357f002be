// Directory changes: status (activate, deactivate, unlock) and account roles. Each is authorized by
// decide(), checked against the current state, and committed together with its History record.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import {
  clearFailedSignIns,
  countActiveSuperAdmins,
  findPrincipal,
  setStatus,
  updateRoles,
  type PrincipalRow,
} from '../store/principals';
import { ADMIN_ROLES } from '../policy/catalog';
import { principalLabel, type AccountRole, type Principal, type PrincipalStatus } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import { effectiveIdentity, type Caller } from '../kernel/caller';

export function requirePrincipal(app: AppContext, username: string, field = 'username'): PrincipalRow {
  const p = findPrincipal(app.db, username);
  if (!p) throw new DeputyError('not_found', `There is no user named ${username}.`, field);
  return p;
}

/**
 * No escalation: the account roles among `roles` that the caller may not hand out or take away, because
 * they do not hold them. A Super Admin holds every power; while impersonating, the impersonated user's
 * roles count (R-S9).
 */
export function rolesBeyond(caller: Caller, roles: readonly AccountRole[]): AccountRole[] {
  const own = effectiveIdentity(caller).roles;
  return own.includes('super_admin') ? [] : roles.filter((r) => !own.includes(r));
}

const strip = ({ passwordHash: _h, failedSignIns: _f, ...p }: PrincipalRow): Principal => p;

/** Service accounts are managed under R-K1; everyone else under directory.write. */
function authorizeChangeTo(app: AppContext, caller: Caller, p: PrincipalRow) {
  authorize(app, caller, p.kind === 'service' ? 'serviceAccount.update' : 'directory.write');
}

export function changeStatus(app: AppContext, caller: Caller, username: string, status: PrincipalStatus): Principal {
  const p = requirePrincipal(app, username);
  authorizeChangeTo(app, caller, p);
  if (p.status === status) throw new DeputyError('conflict', `${principalLabel(p)} is already ${status}.`);
  if (status === 'locked')
    throw new DeputyError(
      'invalid_input',
      'Accounts are locked by failed sign-ins, not by hand; deactivate instead.',
      'status',
    );
  if (p.username === caller.username) throw new DeputyError('conflict', 'You cannot change your own status.');
  if (status !== 'active' && p.roles.includes('super_admin') && countActiveSuperAdmins(app.db) <= 1) {
    throw new DeputyError('conflict', `${principalLabel(p)} is the last active Super Admin; make another one first.`);
  }
  const verb = status === 'active' ? (p.status === 'locked' ? 'unlocked' : 'activated') : 'deactivated';
  return app.db.transaction(() => {
    const now = app.clock().toISOString();
    setStatus(app.db, p.id, status, now);
    if (status === 'active') clearFailedSignIns(app.db, p.id);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'principal.status',
      target: p.username,
      message: `${principalLabel(p)} ${verb}: ${p.status} → ${status}`,
      details: { field: 'status', old: p.status, new: status },
    });
    return strip(requirePrincipal(app, username));
  })();
}

export function changeRoles(app: AppContext, caller: Caller, username: string, roles: AccountRole[]): Principal {
  const p = requirePrincipal(app, username);
  if (p.kind !== 'human')
    throw new DeputyError(
      'invalid_input',
      `Only people hold account roles; ${p.username} is a ${p.kind} principal.`,
      'roles',
    );
  const next = [...new Set(roles)].sort();
  const added = next.filter((r) => !p.roles.includes(r));
  const removed = p.roles.filter((r) => !next.includes(r));
  if (added.length + removed.length === 0)
    throw new DeputyError('conflict', `${principalLabel(p)} already holds exactly these roles.`);
  const beyond = rolesBeyond(caller, [...added, ...removed]);
  if (beyond.length) {
    throw new DeputyError('forbidden', `You may not grant or remove ${beyond.join(', ')}: you do not hold it.`);
  }
  if (removed.includes('super_admin') && p.status === 'active' && countActiveSuperAdmins(app.db) <= 1) {
    throw new DeputyError('conflict', `${principalLabel(p)} is the last active Super Admin; make another one first.`);
  }
  if (p.username === caller.username && removed.some((r) => ADMIN_ROLES.includes(r))) {
    throw new DeputyError('conflict', 'You cannot remove your own administrator role; ask another administrator.');
  }
  return app.db.transaction(() => {
    updateRoles(app.db, p.id, { added, removed }, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'principal.roles',
      target: p.username,
      message: `${principalLabel(p)} roles: ${p.roles.join(', ') || '(none)'} → ${next.join(', ') || '(none)'}`,
      details: { field: 'roles', old: p.roles, new: next },
    });
    return strip(requirePrincipal(app, username));
  })();
}
