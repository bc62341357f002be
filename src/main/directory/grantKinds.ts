// The directory's kind of grant: a person in a group.
import { findPrincipal } from '../store/principals';
import { addGroupMemberIfMissing, editableGroupsOf, findGroup, memberUsernames } from '../store/groups';
import type { GrantKindMap } from '../deletions/registry';

declare module '../deletions/snapshots' {
  interface GrantKinds {
    groupMember: { group: string; username: string };
  }
}

export const directoryGrantKinds: GrantKindMap<'groupMember'> = {
  groupMember: {
    describe: (g) => `${g.username} in group ${g.group}`,
    permission: () => ({ action: 'directory.write' }),
    restore(db, g) {
      const group = findGroup(db, g.group);
      const p = findPrincipal(db, g.username);
      if (!group) return `group ${g.group} is gone`;
      if (group.system) return 'a system group: Deputy keeps its members';
      if (!p) return `${g.username} is gone`;
      return addGroupMemberIfMissing(db, group.id, p.id) ? null : 'in place already';
    },
    /** Not system groups: Deputy keeps their members itself. */
    ofPrincipal: (db, id, username) =>
      editableGroupsOf(db, id).map((group) => ({ type: 'groupMember', group, username })),
    ofGroup: (db, id, group) => memberUsernames(db, id).map((username) => ({ type: 'groupMember', group, username })),
  },
};
