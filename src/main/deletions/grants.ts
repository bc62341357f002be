// Grants are the rows that tie principals, groups and flows together. Every deletion snapshot lists the
// grants that went with what was deleted, in this one shape, so one restore puts any of them back.
import { authorize } from '../policy/authorize';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { Db } from '../kernel/ports';
import type { FlowRole, SharedResource } from '../../shared/model';

export type FlowMemberRef = { principal: string } | { group: string };

export type Grant =
  | { type: 'groupMember'; group: string; username: string }
  | { type: 'flowMember'; flow: string; member: FlowMemberRef; role: FlowRole }
  | { type: 'flowImpersonation'; flow: string; serviceAccount: string }
  | { type: 'sharedResource'; serviceAccount: string; resource: SharedResource };

export function describeGrant(g: Grant): string {
  switch (g.type) {
    case 'groupMember':
      return `${g.username} in group ${g.group}`;
    case 'flowMember':
      return `${'principal' in g.member ? g.member.principal : `group ${g.member.group}`} as ${g.role} of flow ${g.flow}`;
    case 'flowImpersonation':
      return `impersonation access for ${g.serviceAccount} to flow ${g.flow}`;
    case 'sharedResource':
      return `impersonation through ${g.resource} for ${g.serviceAccount}`;
  }
}

/** What a person, a service account included, held: groups (not system ones), flow roles, impersonation access. */
export function grantsOfPrincipal(db: Db, id: number, username: string): Grant[] {
  const groups = db
    .prepare(
      `SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id
       WHERE m.principal_id = ? AND g.system = 0 ORDER BY g.name`,
    )
    .pluck()
    .all(id) as string[];
  const flows = db
    .prepare(
      `SELECT f.name, m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id WHERE m.principal_id = ? ORDER BY f.name`,
    )
    .all(id) as { name: string; role: FlowRole }[];
  const impersonation = db
    .prepare(
      `SELECT f.name FROM flow_impersonation_grants i JOIN flows f ON f.id = i.flow_id
       WHERE i.service_account_id = ? ORDER BY f.name`,
    )
    .pluck()
    .all(id) as string[];
  const shared = db
    .prepare(`SELECT resource FROM shared_resource_grants WHERE service_account_id = ? ORDER BY resource`)
    .pluck()
    .all(id) as SharedResource[];
  return [
    ...groups.map((group): Grant => ({ type: 'groupMember', group, username })),
    ...flows.map((f): Grant => ({ type: 'flowMember', flow: f.name, member: { principal: username }, role: f.role })),
    ...impersonation.map((flow): Grant => ({ type: 'flowImpersonation', flow, serviceAccount: username })),
    ...shared.map((resource): Grant => ({ type: 'sharedResource', serviceAccount: username, resource })),
  ];
}

export function grantsOfGroup(db: Db, id: number, group: string): Grant[] {
  const members = db
    .prepare(
      `SELECT p.username FROM group_members m JOIN principals p ON p.id = m.principal_id
       WHERE m.group_id = ? ORDER BY p.username`,
    )
    .pluck()
    .all(id) as string[];
  const flows = db
    .prepare(
      `SELECT f.name, m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id WHERE m.group_id = ? ORDER BY f.name`,
    )
    .all(id) as { name: string; role: FlowRole }[];
  return [
    ...members.map((username): Grant => ({ type: 'groupMember', group, username })),
    ...flows.map((f): Grant => ({ type: 'flowMember', flow: f.name, member: { group }, role: f.role })),
  ];
}

export function grantsOfFlow(db: Db, id: number, flow: string): Grant[] {
  const members = db
    .prepare(
      `SELECT p.username AS principal, g.name AS grp, m.role FROM flow_members m
       LEFT JOIN principals p ON p.id = m.principal_id LEFT JOIN groups g ON g.id = m.group_id
       WHERE m.flow_id = ? ORDER BY coalesce(p.username, g.name)`,
    )
    .all(id) as { principal: string | null; grp: string | null; role: FlowRole }[];
  const impersonation = db
    .prepare(
      `SELECT p.username FROM flow_impersonation_grants i JOIN principals p ON p.id = i.service_account_id
       WHERE i.flow_id = ? ORDER BY p.username`,
    )
    .pluck()
    .all(id) as string[];
  return [
    ...members.map((m): Grant => ({
      type: 'flowMember',
      flow,
      member: m.principal !== null ? { principal: m.principal } : { group: m.grp ?? '' },
      role: m.role,
    })),
    ...impersonation.map((serviceAccount): Grant => ({ type: 'flowImpersonation', flow, serviceAccount })),
  ];
}

/** The permission that giving this grant by hand needs: restoring it alone needs the same. */
export function authorizeGrant(app: AppContext, caller: Caller, g: Grant): void {
  if (g.type === 'groupMember') authorize(app, caller, 'directory.write');
  else if (g.type === 'flowMember') authorize(app, caller, 'flow.members', { type: 'flow', name: g.flow });
  else if (g.type === 'flowImpersonation') authorize(app, caller, 'flow.impersonation', { type: 'flow', name: g.flow });
  else authorize(app, caller, 'sharedResource.grant');
}

const idOf = (db: Db, sql: string, name: string) => db.prepare(sql).pluck().get(name) as number | undefined;
const principalId = (db: Db, username: string, kind?: 'service') =>
  idOf(db, `SELECT id FROM principals WHERE username = ?${kind ? ` AND kind = '${kind}'` : ''}`, username);
const flowId = (db: Db, name: string) => idOf(db, `SELECT id FROM flows WHERE name = ?`, name);

/**
 * Puts a grant back. Returns null when it was, or why not: what it refers to is gone, or it is in place
 * already (a flow role that was changed since is left as it is now).
 */
export function restoreGrant(db: Db, g: Grant): string | null {
  const skip = (why: string) => `${describeGrant(g)} (${why})`;
  const inserted = (sql: string, ...args: (number | string | null)[]) =>
    db.prepare(sql).run(...args).changes > 0 ? null : skip('in place already');

  if (g.type === 'groupMember') {
    const group = db.prepare(`SELECT id, system FROM groups WHERE name = ?`).get(g.group) as
      { id: number; system: number } | undefined;
    const p = principalId(db, g.username);
    if (!group) return skip(`group ${g.group} is gone`);
    if (group.system) return skip('a system group: Deputy keeps its members');
    if (p === undefined) return skip(`${g.username} is gone`);
    return inserted(`INSERT OR IGNORE INTO group_members (group_id, principal_id) VALUES (?, ?)`, group.id, p);
  }
  if (g.type === 'sharedResource') {
    const sa = principalId(db, g.serviceAccount, 'service');
    if (sa === undefined) return skip(`service account ${g.serviceAccount} is gone`);
    return inserted(
      `INSERT OR IGNORE INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`,
      sa,
      g.resource,
    );
  }
  const flow = flowId(db, g.flow);
  if (flow === undefined) return skip(`flow ${g.flow} is gone`);
  if (g.type === 'flowImpersonation') {
    const sa = principalId(db, g.serviceAccount, 'service');
    if (sa === undefined) return skip(`service account ${g.serviceAccount} is gone`);
    return inserted(
      `INSERT OR IGNORE INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`,
      flow,
      sa,
    );
  }
  const [p, grp] =
    'principal' in g.member
      ? [principalId(db, g.member.principal) ?? -1, null]
      : [null, idOf(db, `SELECT id FROM groups WHERE name = ?`, g.member.group) ?? -1];
  if (p === -1 || grp === -1) {
    return skip(`${'principal' in g.member ? g.member.principal : `group ${g.member.group}`} is gone`);
  }
  const present = db
    .prepare(`SELECT 1 FROM flow_members WHERE flow_id = ? AND principal_id IS ? AND group_id IS ?`)
    .get(flow, p, grp);
  if (present) return skip('a member already');
  return inserted(
    `INSERT INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`,
    flow,
    p,
    grp,
    g.role,
  );
}
