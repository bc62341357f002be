// The account-role catalog: which account role grants which console permission.
// Pure data and a pure check; the full decide() engine (flows, impersonation) grows from here.
import type { AccountRole } from '../../shared/model';

export type Permission = 'directory.read' | 'settings.update';

export const ROLE_PERMISSIONS: Record<AccountRole, readonly Permission[]> = {
  super_admin: ['directory.read', 'settings.update'],
  iam_admin: ['directory.read', 'settings.update'],
  user_admin: ['directory.read'],
  auditor: ['directory.read'],
  impersonator: ['directory.read'],
};

export function hasPermission(roles: readonly AccountRole[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
