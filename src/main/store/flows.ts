// The flows repository: flows, their members (people and groups, each with a flow role) and which service
// accounts may impersonate in them (flows, flow_members, flow_impersonation_grants).
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type { FlowRole, FlowType } from '../../shared/model';

export interface FlowRow {
  id: number;
  name: string;
  type: FlowType;
}

export interface FlowMemberRow {
  /** The member's username, or null for a group. */
  principal: string | null;
  /** The member's principal kind, or null for a group. */
  kind: string | null;
  /** The group's name, or null for a principal. */
  grp: string | null;
  role: FlowRole;
}

/** A member is a principal or a group: the other id is null, and `IS` matches the null. */
const MEMBER = `flow_id = ? AND principal_id IS ? AND group_id IS ?`;

export function findFlow(db: Db, name: string): FlowRow | undefined {
  return cached(db, `SELECT id, name, type FROM flows WHERE name = ?`).get(name) as FlowRow | undefined;
}

export function flowId(db: Db, name: string): number | undefined {
  return db.prepare(`SELECT id FROM flows WHERE name = ?`).pluck().get(name) as number | undefined;
}

export function flowExists(db: Db, name: string): boolean {
  return Boolean(db.prepare(`SELECT 1 FROM flows WHERE name = ?`).get(name));
}

export function insertFlow(db: Db, name: string, type: FlowType): number {
  return Number(db.prepare(`INSERT INTO flows (name, type) VALUES (?, ?)`).run(name, type).lastInsertRowid);
}

export function setFlowType(db: Db, id: number, type: FlowType): void {
  db.prepare(`UPDATE flows SET type = ? WHERE id = ?`).run(type, id);
}

/** Its members and impersonation grants go with it (ON DELETE CASCADE). */
export function deleteFlowById(db: Db, id: number): void {
  db.prepare(`DELETE FROM flows WHERE id = ?`).run(id);
}

/** A flow's members, people and groups together by name. */
export function flowMembers(db: Db, flowId: number): FlowMemberRow[] {
  return db
    .prepare(
      `SELECT p.username AS principal, p.kind AS kind, g.name AS grp, m.role FROM flow_members m
       LEFT JOIN principals p ON p.id = m.principal_id LEFT JOIN groups g ON g.id = m.group_id
       WHERE m.flow_id = ? ORDER BY coalesce(p.username, g.name)`,
    )
    .all(flowId) as FlowMemberRow[];
}

/** The service accounts that may impersonate in a flow, by username. */
export function flowImpersonators(db: Db, flowId: number): string[] {
  return db
    .prepare(
      `SELECT p.username FROM flow_impersonation_grants i JOIN principals p ON p.id = i.service_account_id
       WHERE i.flow_id = ? ORDER BY p.username`,
    )
    .pluck()
    .all(flowId) as string[];
}

/** The role of a member (a principal, or a group: pass the other id as null), or null when not a member. */
export function memberRole(
  db: Db,
  flowId: number,
  principalId: number | null,
  groupId: number | null,
): FlowRole | null {
  return (db.prepare(`SELECT role FROM flow_members WHERE ${MEMBER}`).pluck().get(flowId, principalId, groupId) ??
    null) as FlowRole | null;
}

export function insertFlowMember(
  db: Db,
  flowId: number,
  principalId: number | null,
  groupId: number | null,
  role: FlowRole,
): void {
  db.prepare(`INSERT INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`).run(
    flowId,
    principalId,
    groupId,
    role,
  );
}

export function updateFlowMemberRole(
  db: Db,
  flowId: number,
  principalId: number | null,
  groupId: number | null,
  role: FlowRole,
): void {
  // Any role change by hand ends a Super Admin's self-addition: there is nothing left to undo.
  db.prepare(`UPDATE flow_members SET role = ?, self_added_from = NULL WHERE ${MEMBER}`).run(
    role,
    flowId,
    principalId,
    groupId,
  );
}

export function deleteFlowMember(db: Db, flowId: number, principalId: number | null, groupId: number | null): void {
  db.prepare(`DELETE FROM flow_members WHERE ${MEMBER}`).run(flowId, principalId, groupId);
}

/** A person's own role in a flow, or null: what a group gives them does not count here. */
export function principalRole(db: Db, flowId: number, principalId: number): FlowRole | null {
  return (db
    .prepare(`SELECT role FROM flow_members WHERE flow_id = ? AND principal_id = ?`)
    .pluck()
    .get(flowId, principalId) ?? null) as FlowRole | null;
}

/**
 * R-K4: a Super Admin making themself Flow Admin; `was` is the role they held there (null: none), kept so that the
 * addition can be undone.
 */
export function makeFlowAdmin(db: Db, flowId: number, principalId: number, was: FlowRole | null): void {
  if (was !== null) {
    db.prepare(
      `UPDATE flow_members SET role = 'flow_admin', self_added_from = ? WHERE flow_id = ? AND principal_id = ?`,
    ).run(was, flowId, principalId);
  } else {
    db.prepare(
      `INSERT INTO flow_members (flow_id, principal_id, role, self_added_from) VALUES (?, ?, 'flow_admin', 'none')`,
    ).run(flowId, principalId);
  }
}

/** Who made themself Flow Admin of a flow and is still only that, with the role each held before (null: none). */
export function selfAddedAdmins(db: Db, flowId: number): { principal: string; was: FlowRole | null }[] {
  const rows = db
    .prepare(
      `SELECT p.username AS principal, m.self_added_from AS was FROM flow_members m
       JOIN principals p ON p.id = m.principal_id
       WHERE m.flow_id = ? AND m.self_added_from IS NOT NULL ORDER BY p.username`,
    )
    .all(flowId) as { principal: string; was: string }[];
  return rows.map((r) => ({ principal: r.principal, was: r.was === 'none' ? null : (r.was as FlowRole) }));
}

/** Makes a flow's members exactly these (a policy bundle's import). */
export function replaceFlowMembers(
  db: Db,
  flowId: number,
  members: readonly { principalId: number | null | undefined; groupId: number | null | undefined; role: FlowRole }[],
): void {
  db.prepare(`DELETE FROM flow_members WHERE flow_id = ?`).run(flowId);
  const add = db.prepare(
    `INSERT OR REPLACE INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`,
  );
  for (const m of members) add.run(flowId, m.principalId, m.groupId, m.role);
}

export function hasFlowImpersonation(db: Db, flowId: number, serviceAccountId: number): boolean {
  return Boolean(
    db
      .prepare(`SELECT 1 FROM flow_impersonation_grants WHERE flow_id = ? AND service_account_id = ?`)
      .get(flowId, serviceAccountId),
  );
}

export function grantFlowImpersonation(db: Db, flowId: number, serviceAccountId: number): void {
  db.prepare(`INSERT INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`).run(
    flowId,
    serviceAccountId,
  );
}

/** For putting a grant back: false when it was in place already. */
export function grantFlowImpersonationIfMissing(db: Db, flowId: number, serviceAccountId: number): boolean {
  return (
    db
      .prepare(`INSERT OR IGNORE INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`)
      .run(flowId, serviceAccountId).changes > 0
  );
}

export function revokeFlowImpersonation(db: Db, flowId: number, serviceAccountId: number): void {
  db.prepare(`DELETE FROM flow_impersonation_grants WHERE flow_id = ? AND service_account_id = ?`).run(
    flowId,
    serviceAccountId,
  );
}

/** R-K13: every flow's impersonation grant of one service account. */
export function revokeAllFlowImpersonation(db: Db, serviceAccountId: number): void {
  db.prepare(`DELETE FROM flow_impersonation_grants WHERE service_account_id = ?`).run(serviceAccountId);
}

/** Makes the service accounts that may impersonate in a flow exactly these (a policy bundle's import). */
export function replaceFlowImpersonation(
  db: Db,
  flowId: number,
  serviceAccountIds: readonly (number | undefined)[],
): void {
  db.prepare(`DELETE FROM flow_impersonation_grants WHERE flow_id = ?`).run(flowId);
  const grant = db.prepare(
    `INSERT OR IGNORE INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`,
  );
  for (const id of serviceAccountIds) grant.run(flowId, id);
}

/** The flows a service account may impersonate in, by name. */
export function impersonationFlowsOf(db: Db, serviceAccountId: number): { name: string; type: FlowType }[] {
  return db
    .prepare(
      `SELECT f.name, f.type FROM flow_impersonation_grants i JOIN flows f ON f.id = i.flow_id
       WHERE i.service_account_id = ? ORDER BY f.name`,
    )
    .all(serviceAccountId) as { name: string; type: FlowType }[];
}

/** The flows a principal holds a role in itself (not through a group), by name. */
export function flowRolesOf(db: Db, principalId: number): { name: string; type: FlowType; role: FlowRole }[] {
  return db
    .prepare(
      `SELECT f.name, f.type, m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id
       WHERE m.principal_id = ? ORDER BY f.name`,
    )
    .all(principalId) as { name: string; type: FlowType; role: FlowRole }[];
}

/** The flows a group holds a role in, by name. */
export function flowRolesOfGroup(db: Db, groupId: number): { name: string; role: FlowRole }[] {
  return db
    .prepare(
      `SELECT f.name, m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id WHERE m.group_id = ? ORDER BY f.name`,
    )
    .all(groupId) as { name: string; role: FlowRole }[];
}

/** Every flow as decide() sees it; members and grants come separately, joined by id. */
export function policyFlows(db: Db): FlowRow[] {
  return db.prepare(`SELECT id, name, type FROM flows`).all() as FlowRow[];
}

export function policyFlowMembers(
  db: Db,
): { flow_id: number; username: string | null; group_name: string | null; role: FlowRole }[] {
  return db
    .prepare(
      `SELECT m.flow_id, p.username, g.name AS group_name, m.role FROM flow_members m
       LEFT JOIN principals p ON p.id = m.principal_id LEFT JOIN groups g ON g.id = m.group_id`,
    )
    .all() as { flow_id: number; username: string | null; group_name: string | null; role: FlowRole }[];
}

export function policyFlowImpersonation(db: Db): { flow_id: number; username: string }[] {
  return db
    .prepare(
      `SELECT i.flow_id, p.username FROM flow_impersonation_grants i JOIN principals p ON p.id = i.service_account_id`,
    )
    .all() as { flow_id: number; username: string }[];
}
