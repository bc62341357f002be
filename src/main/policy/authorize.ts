import { DeputyError } from '../errors';
import { hasPermission, type Permission } from './permissions';
import type { AppContext } from '../context';
import type { Caller } from '../auth/sessions';

/** Refuses, and records the refusal (R-L3), when the caller lacks the permission. */
export function authorize(app: AppContext, caller: Caller, permission: Permission, what: string): void {
  if (hasPermission(caller.roles, permission)) return;
  app.audit.append({
    operator: caller.username,
    action: permission,
    outcome: 'refused',
    message: `Refused: ${caller.username} may not ${what} (needs ${permission})`,
  });
  throw new DeputyError('forbidden', `You may not ${what}: your roles do not grant ${permission}.`);
}
