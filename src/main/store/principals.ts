// The principals repository: people, service accounts, guests and system users with their roles.
import type { Db } from '../kernel/ports';
import type { AccountRole, Principal, PrincipalKind, PrincipalStatus } from '../../shared/model';

export interface PrincipalRow extends Principal {
  passwordHash: string | null;
  failedSignIns: number;
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
}

export const ROLES_SQL = `(SELECT group_concat(role, ',') FROM (SELECT role FROM principal_roles r WHERE r.principal_id = p.id ORDER BY role))`;

export function toPrincipal(r: RawRow): Principal {
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
  const r = db.prepare(`SELECT p.*, ${ROLES_SQL} AS roles FROM principals p WHERE p.username = ?`).get(username) as
    RawRow | undefined;
  return r && { ...toPrincipal(r), passwordHash: r.password_hash, failedSignIns: r.failed_sign_ins };
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
  if (p.kind === 'service') {
    db.prepare(
      `INSERT INTO group_members (group_id, principal_id) SELECT id, ? FROM groups WHERE name = 'Service Account' AND system = 1`,
    ).run(id);
  }
  return id;
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

export function setStatus(db: Db, id: number, status: PrincipalStatus, now: string): void {
  db.prepare(`UPDATE principals SET status = ?, updated_at = ? WHERE id = ?`).run(status, now, id);
}

export function countSuperAdmins(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM principal_roles WHERE role = 'super_admin'`).get() as { n: number }).n;
}
