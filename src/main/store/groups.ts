// The groups repository: groups and their members (groups, group_members).
import type { Db } from '../kernel/ports';
import type { GroupSummary } from '../../shared/model';

export interface GroupRow {
  id: number;
  name: string;
  /** Kept by Deputy (R-A1): nobody edits its members by hand. */
  system: boolean;
}

/** Every group with its members' usernames, by name. */
export function groupSummaries(db: Db): GroupSummary[] {
  const rows = db
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

export function findGroup(db: Db, name: string): GroupRow | undefined {
  const g = db.prepare(`SELECT id, name, system FROM groups WHERE name = ?`).get(name) as
    { id: number; name: string; system: number } | undefined;
  return g && { id: g.id, name: g.name, system: g.system === 1 };
}

export function groupExists(db: Db, name: string): boolean {
  return Boolean(db.prepare(`SELECT 1 FROM groups WHERE name = ?`).get(name));
}

export function groupId(db: Db, name: string): number | undefined {
  return db.prepare(`SELECT id FROM groups WHERE name = ?`).pluck().get(name) as number | undefined;
}

/** The groups a policy bundle carries: system groups come with every database. */
export function editableGroupNames(db: Db): string[] {
  return db.prepare(`SELECT name FROM groups WHERE system = 0`).pluck().all() as string[];
}

export function insertGroup(db: Db, name: string): number {
  return Number(db.prepare(`INSERT INTO groups (name) VALUES (?)`).run(name).lastInsertRowid);
}

/** Its members go with it (ON DELETE CASCADE). */
export function deleteGroupById(db: Db, id: number): void {
  db.prepare(`DELETE FROM groups WHERE id = ?`).run(id);
}

export function isGroupMember(db: Db, groupId: number, principalId: number): boolean {
  return Boolean(
    db.prepare(`SELECT 1 FROM group_members WHERE group_id = ? AND principal_id = ?`).get(groupId, principalId),
  );
}

export function addGroupMember(db: Db, groupId: number, principalId: number): void {
  db.prepare(`INSERT INTO group_members (group_id, principal_id) VALUES (?, ?)`).run(groupId, principalId);
}

/** For putting a membership back: false when it was in place already. */
export function addGroupMemberIfMissing(db: Db, groupId: number, principalId: number): boolean {
  return (
    db.prepare(`INSERT OR IGNORE INTO group_members (group_id, principal_id) VALUES (?, ?)`).run(groupId, principalId)
      .changes > 0
  );
}

export function removeGroupMember(db: Db, groupId: number, principalId: number): void {
  db.prepare(`DELETE FROM group_members WHERE group_id = ? AND principal_id = ?`).run(groupId, principalId);
}

/** Makes the group's members exactly these (a policy bundle's import). */
export function replaceGroupMembers(db: Db, groupId: number, principalIds: readonly (number | undefined)[]): void {
  db.prepare(`DELETE FROM group_members WHERE group_id = ?`).run(groupId);
  const add = db.prepare(`INSERT OR IGNORE INTO group_members (group_id, principal_id) VALUES (?, ?)`);
  for (const id of principalIds) add.run(groupId, id);
}

/** The groups someone was put in by hand, by name (system groups follow from what they are). */
export function editableGroupsOf(db: Db, principalId: number): string[] {
  return db
    .prepare(
      `SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id
       WHERE m.principal_id = ? AND g.system = 0 ORDER BY g.name`,
    )
    .pluck()
    .all(principalId) as string[];
}

/** The service accounts among a group's members (the system group Service Account holds every one). */
export function serviceAccountMembers(db: Db, groupId: number): string[] {
  return db
    .prepare(
      `SELECT p.username FROM group_members m JOIN principals p ON p.id = m.principal_id
       WHERE m.group_id = ? AND p.kind = 'service' ORDER BY p.username`,
    )
    .pluck()
    .all(groupId) as string[];
}

export function memberUsernames(db: Db, groupId: number): string[] {
  return db
    .prepare(
      `SELECT p.username FROM group_members m JOIN principals p ON p.id = m.principal_id
       WHERE m.group_id = ? ORDER BY p.username`,
    )
    .pluck()
    .all(groupId) as string[];
}

/** Every membership as decide() sees it: username and group name. */
export function policyGroupMemberships(db: Db): { username: string; name: string }[] {
  return db
    .prepare(
      `SELECT p.username, g.name FROM group_members m JOIN groups g ON g.id = m.group_id JOIN principals p ON p.id = m.principal_id`,
    )
    .all() as { username: string; name: string }[];
}

/** R-A1: every service account is in the system group Service Account, from the moment it exists. */
export function addToServiceAccountGroup(db: Db, principalId: number): void {
  db.prepare(
    `INSERT INTO group_members (group_id, principal_id) SELECT id, ? FROM groups WHERE name = 'Service Account' AND system = 1`,
  ).run(principalId);
}
