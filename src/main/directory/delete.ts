// Deleting people and groups. Each deletion commits with a full snapshot in the Record Deletion Log
// (R-L1), from which deletions/restore.ts brings it back.
import { requirePrincipal } from './manage';
import { deleteRefusal, directoryFacts, enforce } from './allowed';
import { requireEditableGroup } from './groups';
import { grantsOfGroup, grantsOfPrincipal } from '../deletions/grants';
import { recordDeletion } from '../deletions/record';
import { refuseWhileNamed } from '../portals/references';
import { deletePrincipal } from '../store/principals';
import { deleteGroupById } from '../store/groups';
import { plural, principalLabel } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function deleteUser(app: AppContext, caller: Caller, username: string): void {
  const p = requirePrincipal(app, username);
  enforce(deleteRefusal(directoryFacts(app), caller, p));
  refuseWhileNamed(app, 'user', p.username);
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
  refuseWhileNamed(app, 'group', g.name);
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
