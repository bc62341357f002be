// Deleting people and groups. Each deletion commits with a full snapshot in the Record Deletion Log
// (R-L1), from which deletions/restore.ts brings it back.
import { DeputyError } from '../kernel/errors';
import { requirePrincipal, rolesBeyond } from './manage';
import { requireEditableGroup } from './groups';
import { grantsOfGroup, grantsOfPrincipal } from '../deletions/grants';
import { recordDeletion } from '../deletions/record';
import { deletePrincipal } from '../store/principals';
import { deleteGroupById } from '../store/groups';
import { openSessionOf } from '../store/impersonationSessions';
import { plural, principalLabel } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function deleteUser(app: AppContext, caller: Caller, username: string): void {
  const p = requirePrincipal(app, username);
  if (p.kind === 'service') {
    throw new DeputyError('invalid_input', `${p.username} is a service account: delete it under Service accounts.`);
  }
  if (p.kind === 'system') throw new DeputyError('conflict', `${p.username} is a system user: Deputy keeps it.`);
  if (p.username === caller.username) throw new DeputyError('conflict', 'You cannot delete yourself.');
  // Deleting someone takes their roles away.
  const beyond = rolesBeyond(caller, p.roles);
  if (beyond.length) {
    throw new DeputyError(
      'forbidden',
      `You may not delete ${p.username}: they hold ${beyond.join(', ')}, which you do not.`,
    );
  }
  const session = openSessionOf(app.db, p.username);
  if (session) {
    throw new DeputyError(
      'conflict',
      `${session.operator} is impersonating ${session.target} right now; delete ${p.username} after that session ends.`,
    );
  }
  const grants = grantsOfPrincipal(app.db, p.id, p.username);
  app.db.transaction(() => {
    deletePrincipal(app.db, p.id);
    recordDeletion(app, caller, {
      deleted: 'user',
      snapshot: {
        principal: {
          username: p.username,
          displayName: p.displayName,
          kind: p.kind,
          status: p.status,
          roles: p.roles,
          hadPassword: p.passwordHash !== null,
        },
        grants,
      },
      action: 'principal.delete',
      target: p.username,
      message: `Deleted user ${principalLabel(p)}${p.roles.length ? ` (${p.roles.join(', ')})` : ''} with ${plural(grants.length, 'grant')}`,
    });
  })();
}

export function deleteGroup(app: AppContext, caller: Caller, name: string): void {
  const g = requireEditableGroup(app, name);
  const grants = grantsOfGroup(app.db, g.id, g.name);
  app.db.transaction(() => {
    deleteGroupById(app.db, g.id);
    recordDeletion(app, caller, {
      deleted: 'group',
      snapshot: { name: g.name, grants },
      action: 'group.delete',
      target: `group ${g.name}`,
      message: `Deleted group ${g.name} with ${plural(grants.filter((x) => x.type === 'groupMember').length, 'member')}`,
    });
  })();
}
