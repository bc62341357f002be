// What the directory deletes and brings back from the Record Deletion Log (R-L1): people and groups.
import { insertPrincipal, principalExists } from '../store/principals';
import { groupExists, insertGroup } from '../store/groups';
import { rolesBeyond, theirRolesGrant } from './manage';
import { restoreGrants } from '../deletions/grants';
import { principalLabel, type AccountRole, type PrincipalKind, type PrincipalStatus } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Grant } from '../deletions/snapshots';
import { takenAgain, type RestorerMap } from '../deletions/registry';

export interface PrincipalSnapshot {
  username: string;
  displayName: string;
  kind: PrincipalKind;
  status: PrincipalStatus;
  roles: AccountRole[];
  /** Whether the person could sign in. The verifier itself never enters the log: restored people get a new password. */
  hadPassword: boolean;
}

declare module '../deletions/snapshots' {
  interface Snapshots {
    user: { principal: PrincipalSnapshot; grants: Grant[] };
    group: { name: string; grants: Grant[] };
  }
}

/** Puts a deleted principal back as it was, without a password (verifiers are never logged). */
export function restorePrincipal(app: AppContext, p: PrincipalSnapshot): void {
  if (principalExists(app.db, p.username)) throw takenAgain(p.username);
  insertPrincipal(
    app.db,
    { username: p.username, displayName: p.displayName, kind: p.kind, status: p.status, roles: p.roles },
    app.clock().toISOString(),
  );
}

export const directoryRestorers: RestorerMap<'user' | 'group'> = {
  user: {
    action: 'principal.restore',
    permissions: () => [{ action: 'directory.write' }],
    // Restoring someone with a role is granting it.
    refusal(caller, { principal }) {
      const beyond = rolesBeyond(caller, principal.roles);
      return beyond
        ? `You may not restore ${principal.username}: ${theirRolesGrant(beyond, 'granted')}, which yours do not.`
        : null;
    },
    apply(app, { principal, grants }) {
      restorePrincipal(app, principal);
      const { skipped } = restoreGrants(app, grants);
      return {
        what: `user ${principalLabel(principal)}`,
        target: principal.username,
        notes: principal.hadPassword ? ['no password yet (passwords are never logged): set one in Directory'] : [],
        skipped,
      };
    },
  },
  group: {
    action: 'group.restore',
    permissions: () => [{ action: 'directory.write' }],
    apply(app, { name, grants }) {
      if (groupExists(app.db, name)) throw takenAgain(name);
      insertGroup(app.db, name);
      const { skipped } = restoreGrants(app, grants);
      return { what: `group ${name}`, target: `group ${name}`, skipped };
    },
  },
};
