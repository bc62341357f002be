// The directory's kind of grant: a person in a group.
import { findPrincipal } from '../store/principals';
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
      const group = db.prepare(`SELECT id, system FROM groups WHERE name = ?`).get(g.group) as
        { id: number; system: number } | undefined;
      const p = findPrincipal(db, g.username);
      if (!group) return `group ${g.group} is gone`;
      if (group.system) return 'a system group: Deputy keeps its members';
      if (!p) return `${g.username} is gone`;
      const r = db
        .prepare(`INSERT OR IGNORE INTO group_members (group_id, principal_id) VALUES (?, ?)`)
        .run(group.id, p.id);
      return r.changes > 0 ? null : 'in place already';
    },
    /** Not system groups: Deputy keeps their members itself. */
    ofPrincipal: (db, id, username) =>
      (
        db
          .prepare(
            `SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id
             WHERE m.principal_id = ? AND g.system = 0 ORDER BY g.name`,
          )
          .pluck()
          .all(id) as string[]
      ).map((group) => ({ type: 'groupMember', group, username })),
    ofGroup: (db, id, group) =>
      (
        db
          .prepare(
            `SELECT p.username FROM group_members m JOIN principals p ON p.id = m.principal_id
             WHERE m.group_id = ? ORDER BY p.username`,
          )
          .pluck()
          .all(id) as string[]
      ).map((username) => ({ type: 'groupMember', group, username })),
  },
};
