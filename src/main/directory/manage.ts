// Directory changes: status (activate, deactivate, unlock) and account roles. Each is authorized by
// decide(), checked against the current state (the checks live in allowed.ts, which the listing shares),
// and committed together with its History record.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { clearFailedSignIns, findPrincipal, setStatus, updateRoles, type PrincipalRow } from '../store/principals';
import { changeAction, directoryFacts, enforce, roleChange, rolesRefusal, statusRefusal } from './allowed';
import { principalLabel, type AccountRole, type Principal, type PrincipalStatus } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

// Kept importable from here: deletions/restore.ts checks restored roles with it.
export { rolesBeyond, theirRolesGrant } from './allowed';

export function requirePrincipal(app: AppContext, username: string, field = 'username'): PrincipalRow {
  const p = findPrincipal(app.db, username);
  if (!p) throw new DeputyError('not_found', `There is no user named ${username}.`, field);
  return p;
}

export const strip = ({ passwordHash: _h, failedSignIns: _f, signinLockedAt: _l, ...p }: PrincipalRow): Principal => p;

// The checks read inside the change's transaction, which takes the write lock as it begins (BEGIN IMMEDIATE): another
// console on this file cannot change what they read, such as how many active Super Admins are left, between a check
// and its write. A refusal rolls nothing back but the reads; the dispatch records it.

export function changeStatus(app: AppContext, caller: Caller, username: string, status: PrincipalStatus): Principal {
  authorize(app, caller, changeAction(requirePrincipal(app, username)));
  return app.db.transaction(() => {
    const p = requirePrincipal(app, username);
    enforce(statusRefusal(directoryFacts(app), caller, p, status));
    const verb = status === 'active' ? (p.status === 'locked' ? 'unlocked' : 'activated') : 'deactivated';
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
  return app.db.transaction(() => {
    const p = requirePrincipal(app, username);
    enforce(rolesRefusal(directoryFacts(app), caller, p, roles));
    const { next, added, removed } = roleChange(p, roles);
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
