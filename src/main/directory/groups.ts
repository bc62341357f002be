// Groups and their members. The system group Service Account is kept by the system (R-A1): it holds
// every service account and nothing else, so it cannot be edited by hand.
import { DeputyError } from '../kernel/errors';
import { requirePrincipal } from './manage';
import { recordGrantChange } from '../deletions/record';
import { refuseProgramReach } from '../policy/programReach';
import {
  addGroupMember,
  findGroup,
  groupExists,
  groupSummaries,
  insertGroup,
  isGroupMember,
  removeGroupMember,
  type GroupRow,
} from '../store/groups';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { GroupSummary } from '../../shared/model';

export function listGroups(app: AppContext): GroupSummary[] {
  return groupSummaries(app.db);
}

export function requireEditableGroup(app: AppContext, name: string): GroupRow {
  const g = findGroup(app.db, name);
  if (!g) throw new DeputyError('not_found', `There is no group named ${name}.`, 'group');
  if (g.system)
    throw new DeputyError('conflict', `${g.name} is a system group: Deputy keeps its members.`, 'group', false, 'R-A1');
  return g;
}

export function createGroup(app: AppContext, caller: Caller, name: string): GroupSummary[] {
  if (groupExists(app.db, name)) {
    throw new DeputyError('conflict', `A group named ${name} already exists.`, 'name');
  }
  return app.db.transaction(() => {
    insertGroup(app.db, name);
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
  // A group's flow roles are its members' (R-K10): a program does not put a service account in or take it out.
  if (p.kind === 'service') refuseProgramReach(caller, `the groups of ${p.username}`);
  const has = isGroupMember(app.db, g.id, p.id);
  if (has === member) throw new DeputyError('conflict', `${p.username} is ${member ? 'already' : 'not'} in ${g.name}.`);
  return app.db.transaction(() => {
    if (member) addGroupMember(app.db, g.id, p.id);
    else removeGroupMember(app.db, g.id, p.id);
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
