// The principals repository: people, service accounts, guests and system users with their roles
// (principals, principal_roles).
import { addToServiceAccountGroup } from './groups';
import { createWhere, escapeLike } from './where';
import type { Db } from '../kernel/ports';
import { cached } from './statements';
import type { PolicyPrincipal } from '../kernel/policyData';
import type { AccountRole, Principal, PrincipalKind, PrincipalStatus } from '../../shared/model';

export interface PrincipalRow extends Principal {
  passwordHash: string | null;
  failedSignIns: number;
  /** When failed sign-ins locked the account; null for any other lock, which never expires by itself. */
  signinLockedAt: string | null;
}

interface RawRow {
  id: number;
  username: string;
  display_name: string;
  kind: PrincipalKind;
  status: PrincipalStatus;
  roles: string | null;
  password_hash: string | null;
  failed_sign_ins: number;
  signin_locked_at: string | null;
}

const ROLES_SQL = `(SELECT group_concat(role, ',') FROM (SELECT role FROM principal_roles r WHERE r.principal_id = p.id ORDER BY role))`;

function toPrincipal(r: RawRow): Principal {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    kind: r.kind,
    status: r.status,
    roles: r.roles ? (r.roles.split(',') as AccountRole[]) : [],
  };
}

export function findPrincipal(db: Db, username: string): PrincipalRow | undefined {
  const r = cached(db, `SELECT p.*, ${ROLES_SQL} AS roles FROM principals p WHERE p.username = ?`).get(username) as
    RawRow | undefined;
  return (
    r && {
      ...toPrincipal(r),
      passwordHash: r.password_hash,
      failedSignIns: r.failed_sign_ins,
      signinLockedAt: r.signin_locked_at,
    }
  );
}

export interface NewPrincipal {
  username: string;
  displayName: string;
  kind: PrincipalKind;
  status: PrincipalStatus;
  roles: readonly AccountRole[];
  passwordHash?: string | null;
}

export function insertPrincipal(db: Db, p: NewPrincipal, now: string): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO principals (username, display_name, kind, status, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.username, p.displayName, p.kind, p.status, p.passwordHash ?? null, now, now).lastInsertRowid,
  );
  const addRole = db.prepare(`INSERT INTO principal_roles (principal_id, role) VALUES (?, ?)`);
  for (const role of p.roles) addRole.run(id, role);
  if (p.kind === 'service') addToServiceAccountGroup(db, id);
  return id;
}

export function principalExists(db: Db, username: string): boolean {
  return Boolean(db.prepare(`SELECT 1 FROM principals WHERE username = ?`).get(username));
}

export function principalId(db: Db, username: string): number | undefined {
  return db.prepare(`SELECT id FROM principals WHERE username = ?`).pluck().get(username) as number | undefined;
}

/** Only a service account's: a grant restored to a name that is a person now must not land on them. */
export function serviceAccountId(db: Db, username: string): number | undefined {
  return db.prepare(`SELECT id FROM principals WHERE username = ? AND kind = 'service'`).pluck().get(username) as
    number | undefined;
}

/** Overwrites what a policy bundle carries about someone; their password and sign-in failures stay. */
export function updatePrincipal(db: Db, id: number, p: Omit<NewPrincipal, 'passwordHash'>, now: string): void {
  // A bundle's status is set on purpose: a lockout by failed sign-ins it overwrites no longer expires by itself.
  db.prepare(
    `UPDATE principals SET display_name = ?, kind = ?, status = ?, updated_at = ?,
       signin_locked_at = CASE WHEN status = ? THEN signin_locked_at END WHERE id = ?`,
  ).run(p.displayName, p.kind, p.status, now, p.status, id);
  db.prepare(`DELETE FROM principal_roles WHERE principal_id = ?`).run(id);
  const add = db.prepare(`INSERT INTO principal_roles (principal_id, role) VALUES (?, ?)`);
  for (const r of new Set(p.roles)) add.run(id, r);
}

/** Inserts a principal, or makes an existing one match (display name, kind, status, roles): a bundle's import. */
export function upsertPrincipal(db: Db, p: NewPrincipal, now: string): number {
  const id = principalId(db, p.username);
  if (id === undefined) return insertPrincipal(db, p, now);
  updatePrincipal(db, id, p, now);
  return id;
}

export function deletePrincipal(db: Db, id: number): void {
  db.prepare(`DELETE FROM principals WHERE id = ?`).run(id);
}

export function recordFailedSignIn(db: Db, id: number, now: string): number {
  const row = db
    .prepare(
      `UPDATE principals SET failed_sign_ins = failed_sign_ins + 1, updated_at = ? WHERE id = ? RETURNING failed_sign_ins`,
    )
    .get(now, id) as { failed_sign_ins: number };
  return row.failed_sign_ins;
}

export function resetFailedSignIns(db: Db, id: number, now: string): void {
  db.prepare(`UPDATE principals SET failed_sign_ins = 0, updated_at = ? WHERE id = ? AND failed_sign_ins <> 0`).run(
    now,
    id,
  );
}

/** Unlocking by hand: unlike resetFailedSignIns, the change is dated by the status change beside it. */
export function clearFailedSignIns(db: Db, id: number): void {
  db.prepare(`UPDATE principals SET failed_sign_ins = 0 WHERE id = ?`).run(id);
}

/** Any status change but a lockout by failed sign-ins: whatever lock there was, it is not one that expires. */
export function setStatus(db: Db, id: number, status: PrincipalStatus, now: string): void {
  db.prepare(`UPDATE principals SET status = ?, signin_locked_at = NULL, updated_at = ? WHERE id = ?`).run(
    status,
    now,
    id,
  );
}

/** Failed sign-ins lock the account from `now`: this lock expires after the sign-in lockout setting's minutes. */
export function lockAfterFailedSignIns(db: Db, id: number, now: string): void {
  db.prepare(`UPDATE principals SET status = 'locked', signin_locked_at = ?, updated_at = ? WHERE id = ?`).run(
    now,
    now,
    id,
  );
}

export function setDisplayName(db: Db, id: number, displayName: string, now: string): void {
  db.prepare(`UPDATE principals SET display_name = ?, updated_at = ? WHERE id = ?`).run(displayName, now, id);
}

/** A new verifier also clears the failed sign-ins: the old password's failures say nothing about the new one. */
export function setPasswordHash(db: Db, id: number, hash: string, now: string): void {
  db.prepare(`UPDATE principals SET password_hash = ?, failed_sign_ins = 0, updated_at = ? WHERE id = ?`).run(
    hash,
    now,
    id,
  );
}

export function updateRoles(
  db: Db,
  id: number,
  change: { added: readonly AccountRole[]; removed: readonly AccountRole[] },
  now: string,
): void {
  const add = db.prepare(`INSERT INTO principal_roles (principal_id, role) VALUES (?, ?)`);
  const remove = db.prepare(`DELETE FROM principal_roles WHERE principal_id = ? AND role = ?`);
  for (const r of change.added) add.run(id, r);
  for (const r of change.removed) remove.run(id, r);
  db.prepare(`UPDATE principals SET updated_at = ? WHERE id = ?`).run(now, id);
}

export function countSuperAdmins(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM principal_roles WHERE role = 'super_admin'`).get() as { n: number }).n;
}

export function countActiveSuperAdmins(db: Db): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM principal_roles r JOIN principals p ON p.id = r.principal_id
         WHERE r.role = 'super_admin' AND p.status = 'active'`,
      )
      .get() as { n: number }
  ).n;
}

export interface PrincipalFilter {
  kind?: PrincipalKind | undefined;
  status?: PrincipalStatus | undefined;
  role?: AccountRole | undefined;
  emptyDisplayName?: boolean | undefined;
  search?: string | undefined;
}

/**
 * Up to `limit` principals matching the filter in username order, starting after `after` (a username and id:
 * keyset paging, never skipping rows), and how many match in all, wherever the page starts.
 */
export function pagePrincipals(
  db: Db,
  filter: PrincipalFilter,
  after: readonly [string, number] | null,
  limit: number,
): { rows: Principal[]; total: number } {
  const where = createWhere();
  const add = where.add;
  if (filter.kind) add('p.kind = ?', filter.kind);
  if (filter.status) add('p.status = ?', filter.status);
  if (filter.role)
    add('EXISTS (SELECT 1 FROM principal_roles r WHERE r.principal_id = p.id AND r.role = ?)', filter.role);
  if (filter.emptyDisplayName) add(`trim(p.display_name) = ''`);
  if (filter.search) {
    const like = `%${escapeLike(filter.search)}%`;
    add(`(p.username LIKE ? ESCAPE '\\' OR p.display_name LIKE ? ESCAPE '\\')`, like, like);
  }
  const total = (
    db.prepare(`SELECT count(*) AS n FROM principals p ${where.sql()}`).get(...where.params) as { n: number }
  ).n;
  if (after) {
    const [username, id] = after;
    add('(p.username > ? OR (p.username = ? AND p.id > ?))', username, username, id);
  }
  const rows = db
    .prepare(
      `SELECT p.id, p.username, p.display_name, p.kind, p.status, ${ROLES_SQL} AS roles
       FROM principals p ${where.sql()} ORDER BY p.username, p.id LIMIT ?`,
    )
    .all(...where.params, limit) as RawRow[];
  return { rows: rows.map(toPrincipal), total };
}

/**
 * Everyone whose display name or username contains `text`, people with a display name first, read lazily: the
 * impersonation dialog filters them by policy and stops once it has enough, so no eligible person is cut off by a
 * limit taken before the filter (R-S3). Nothing else may run on this connection until the caller stops iterating.
 */
export function* searchPrincipals(db: Db, text: string): Generator<{ username: string; displayName: string }> {
  const like = `%${escapeLike(text)}%`;
  const rows = db
    .prepare(
      `SELECT username, display_name FROM principals
       WHERE display_name LIKE ? ESCAPE '\\' OR username LIKE ? ESCAPE '\\'
       ORDER BY display_name = '', display_name COLLATE NOCASE, username`,
    )
    .iterate(like, like) as Iterable<{ username: string; display_name: string }>;
  for (const r of rows) yield { username: r.username, displayName: r.display_name };
}

/** Everyone with their display name, for a policy bundle (decide() has no use for display names). */
export function displayNames(db: Db): Map<string, string> {
  return new Map(
    (
      db.prepare(`SELECT username, display_name FROM principals`).all() as { username: string; display_name: string }[]
    ).map((r) => [r.username, r.display_name]),
  );
}

/** Every principal as decide() sees it; roles come separately (policyRoles), joined by id. */
export function policyPrincipals(db: Db): (Omit<PolicyPrincipal, 'roles'> & { id: number })[] {
  return db.prepare(`SELECT id, username, kind, status FROM principals`).all() as (Omit<PolicyPrincipal, 'roles'> & {
    id: number;
  })[];
}

export function policyRoles(db: Db): { principal_id: number; role: AccountRole }[] {
  return db.prepare(`SELECT principal_id, role FROM principal_roles ORDER BY role`).all() as {
    principal_id: number;
    role: AccountRole;
  }[];
}
