// Groups and their members. The system group Service Account is kept by the system (R-A1): it holds
// every service account and nothing else, so it cannot be edited by hand.
import { DeputyError } from '../kernel/errors';
import { requirePrincipal } from './manage';
import { recordGrantChange } from '../deletions/record';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { GroupSummary } from '../../shared/model';

export function listGroups(app: AppContext): GroupSummary[] {
  const rows = app.db
    .prepare(
      `SELECT g.name, g.system, p.username FROM groups g
       LEFT JOIN group_members m ON m.group_id = g.id LEFT JOIN principals p ON p.id = m.principal_id
       ORDER BY g.name, p.username`,
    )
    .all() as { name: string; system: number; username: string | null }[];
  const groups = new Map<string, GroupSummary>();
  for (const r of rows) {
    const g = groups.get(r.name) ?? { name: r.name, system: r.system === 1, members: [] };
    if (r.username) g.members.push(r.username);
    groups.set(r.name, g);
  }
  return [...groups.values()];
}

export function requireEditableGroup(app: AppContext, name: string): { id: number; name: string } {
  const g = app.db.prepare(`SELECT id, name, system FROM groups WHERE name = ?`).get(name) as
    { id: number; name: string; system: number } | undefined;
  if (!g) throw new DeputyError('not_found', `There is no group named ${name}.`, 'group');
  if (g.system)
    throw new DeputyError('conflict', `${g.name} is a system group: Deputy keeps its members (R-A1).`, 'group');
  return g;
}

export function createGroup(app: AppContext, caller: Caller, name: string): GroupSummary[] {
  if (app.db.prepare(`SELECT 1 FROM groups WHERE name = ?`).get(name)) {
    throw new DeputyError('conflict', `A group named ${name} already exists.`, 'name');
  }
  return app.db.transaction(() => {
    app.db.prepare(`INSERT INTO groups (name) VALUES (?)`).run(name);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'group.create',
      target: `group ${name}`,
      message: `Created group ${name}`,
      details: { field: 'group', old: null, new: name },
    });
    return listGroups(app);
  })();
}

export function setGroupMember(
  app: AppContext,
  caller: Caller,
  group: string,
  username: string,
  member: boolean,
): GroupSummary[] {
  const g = requireEditableGroup(app, group);
  const p = requirePrincipal(app, username);
  const has = Boolean(
    app.db.prepare(`SELECT 1 FROM group_members WHERE group_id = ? AND principal_id = ?`).get(g.id, p.id),
  );
  if (has === member) throw new DeputyError('conflict', `${p.username} is ${member ? 'already' : 'not'} in ${g.name}.`);
  return app.db.transaction(() => {
    if (member) app.db.prepare(`INSERT INTO group_members (group_id, principal_id) VALUES (?, ?)`).run(g.id, p.id);
    else app.db.prepare(`DELETE FROM group_members WHERE group_id = ? AND principal_id = ?`).run(g.id, p.id);
    recordGrantChange(app, caller, {
      grant: { type: 'groupMember', group: g.name, username: p.username },
      removed: !member,
      action: 'group.members',
      target: `group ${g.name}`,
      message: `${g.name}: ${p.username} ${member ? 'added' : 'removed'}`,
      history: { field: 'member', principal: p.username, old: false, new: true },
    });
    return listGroups(app);
  })();
}
