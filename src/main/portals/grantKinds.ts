// The portals' kind of grant: one entry of a design object's permission list. An entry taken off a list (by the
// console, a portal's Fix or an import) is a deletion (R-L1): its snapshot goes to the Record Deletion Log, and a
// restore puts it back at the end of the list, if the object, the grantee and the level still make sense.
import { findDesignObject, permissionsOf, putPermissions } from '../store/designObjects';
import { findPrincipal } from '../store/principals';
import { findGroup } from '../store/groups';
import {
  KIND_LABELS,
  LEVEL_LABELS,
  granteeLabel,
  levelsOf,
  sameGrantee,
  type Grantee,
  type PermissionLevel,
} from '../../shared/portals';
import type { GrantKindMap } from '../deletions/registry';

declare module '../deletions/snapshots' {
  interface GrantKinds {
    designObjectEntry: { object: string; grantee: Grantee; level: PermissionLevel };
  }
}

export const portalGrantKinds: GrantKindMap<'designObjectEntry'> = {
  designObjectEntry: {
    describe: (g) => `${granteeLabel(g.grantee)} as ${LEVEL_LABELS[g.level]} on design object ${g.object}`,
    // As designObjects.setPermissions: the lists decide what service accounts reach (R-K1).
    permission: () => ({ action: 'serviceAccount.update' }),
    // A level changed since is the same entry, changed (History), not this one gone.
    place: (g) => `${granteeLabel(g.grantee)} on design object ${g.object}`,
    restore(db, g) {
      const o = findDesignObject(db, g.object);
      if (!o) return `design object ${g.object} is gone`;
      const { grantee } = g;
      if (grantee.type === 'user' && !findPrincipal(db, grantee.name)) return `${grantee.name} is gone`;
      if (grantee.type === 'group' && !findGroup(db, grantee.name)) return `group ${grantee.name} is gone`;
      const now = o.permissions.find((e) => sameGrantee(e.grantee, grantee));
      if (now) return now.level === g.level ? 'in place already' : `listed again, as ${LEVEL_LABELS[now.level]}`;
      if (!levelsOf(o.kind).includes(g.level))
        return `${g.object} is a ${KIND_LABELS[o.kind]} now, which has no ${LEVEL_LABELS[g.level]} level`;
      putPermissions(db, o.id, [...o.permissions, { grantee, level: g.level }]);
      return null;
    },
    ofDesignObject: (db, id, object) =>
      permissionsOf(db, id).map((e) => ({
        type: 'designObjectEntry',
        object,
        grantee: e.grantee,
        level: e.level,
      })),
  },
};
