// The impersonation sessions repository (R-S5…R-S10): one row per session, from start to its end and why
// (impersonation_sessions).
import type { Db } from '../kernel/ports';
import type { ImpersonationEnd, ImpersonationSessionRow } from '../../shared/model';

interface SessionRow {
  id: number;
  operator: string;
  target: string;
  reason: string;
  ticket: string | null;
  started_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: ImpersonationSessionRow['endReason'];
  actions: number;
}

function toSession(r: SessionRow): ImpersonationSessionRow {
  return {
    id: r.id,
    operator: r.operator,
    target: r.target,
    reason: r.reason,
    ticket: r.ticket,
    startedAt: r.started_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    actions: r.actions,
  };
}

export interface NewSession {
  operator: string;
  target: string;
  reason: string;
  ticket: string | null;
  startedAt: string;
  expiresAt: string;
  /** The core that runs it, and until when its lease holds (renewed while that core runs). */
  owner: string;
  leaseUntil: string;
}

export function insertSession(db: Db, s: NewSession): number {
  return Number(
    db
      .prepare(
        `INSERT INTO impersonation_sessions (operator, target, reason, ticket, started_at, expires_at, owner, lease_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.operator, s.target, s.reason, s.ticket, s.startedAt, s.expiresAt, s.owner, s.leaseUntil).lastInsertRowid,
  );
}

/** Renews the leases of an owner's running sessions. */
export function renewLeases(db: Db, owner: string, until: string): void {
  db.prepare(`UPDATE impersonation_sessions SET lease_until = ? WHERE owner = ? AND ended_at IS NULL`).run(
    until,
    owner,
  );
}

/** Who a session is, while it has not ended; undefined once it has (ending twice writes nothing). */
export function openSession(db: Db, id: number): { operator: string; target: string } | undefined {
  return db.prepare(`SELECT operator, target FROM impersonation_sessions WHERE id = ? AND ended_at IS NULL`).get(id) as
    { operator: string; target: string } | undefined;
}

/** Ends a running session; false when it had ended already (in this process or another): then nothing is written. */
export function endSession(db: Db, id: number, endedAt: string, reason: ImpersonationEnd): boolean {
  return (
    db
      .prepare(`UPDATE impersonation_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL`)
      .run(endedAt, reason, id).changes > 0
  );
}

export function sessionExpiry(db: Db, id: number): string | undefined {
  return db.prepare(`SELECT expires_at FROM impersonation_sessions WHERE id = ?`).pluck().get(id) as string | undefined;
}

/** R-S10: the sessions that have not ended, with who owns them and until when. */
export interface OpenSessionOwner {
  id: number;
  owner: string | null;
  leaseUntil: string | null;
  expiresAt: string;
}

export function openSessionOwners(db: Db): OpenSessionOwner[] {
  return db
    .prepare(
      `SELECT id, owner, lease_until AS leaseUntil, expires_at AS expiresAt FROM impersonation_sessions
       WHERE ended_at IS NULL`,
    )
    .all() as OpenSessionOwner[];
}

/** A running session that someone is in, as operator or target: deleting either would orphan it. */
export function openSessionOf(db: Db, username: string): { operator: string; target: string } | undefined {
  return db
    .prepare(
      `SELECT operator, target FROM impersonation_sessions WHERE ended_at IS NULL AND (operator = ? OR target = ?)`,
    )
    .get(username, username) as { operator: string; target: string } | undefined;
}

/** Every session still running: operator and target. */
export function openSessionPairs(db: Db): { operator: string; target: string }[] {
  return db.prepare(`SELECT operator, target FROM impersonation_sessions WHERE ended_at IS NULL`).all() as {
    operator: string;
    target: string;
  }[];
}

export function countSessionAction(db: Db, id: number): void {
  db.prepare(`UPDATE impersonation_sessions SET actions = actions + 1 WHERE id = ?`).run(id);
}

/** What the window's banner shows of a session. */
export function sessionTerms(
  db: Db,
  id: number,
): { reason: string; ticket: string | null; startedAt: string; expiresAt: string } {
  const row = db
    .prepare(`SELECT reason, ticket, started_at, expires_at FROM impersonation_sessions WHERE id = ?`)
    .get(id) as { reason: string; ticket: string | null; started_at: string; expires_at: string };
  return { reason: row.reason, ticket: row.ticket, startedAt: row.started_at, expiresAt: row.expires_at };
}

/** Who and when, for finding a session's records in the audit log. */
export function sessionSpan(
  db: Db,
  id: number,
): { operator: string; target: string; startedAt: string; endedAt: string | null } | undefined {
  const s = db
    .prepare(`SELECT operator, target, started_at, ended_at FROM impersonation_sessions WHERE id = ?`)
    .get(id) as { operator: string; target: string; started_at: string; ended_at: string | null } | undefined;
  return s && { operator: s.operator, target: s.target, startedAt: s.started_at, endedAt: s.ended_at };
}

/** The last ten people an operator impersonated, most recent first. */
export function recentTargets(db: Db, operator: string): string[] {
  return db
    .prepare(
      `SELECT target FROM impersonation_sessions WHERE operator = ? GROUP BY target ORDER BY max(id) DESC LIMIT 10`,
    )
    .pluck()
    .all(operator) as string[];
}

/** The latest 500 sessions, everyone's or (with an operator) one operator's. */
export function latestSessions(db: Db, operator: string | null): ImpersonationSessionRow[] {
  const all = operator === null;
  const rows = db
    .prepare(`SELECT * FROM impersonation_sessions ${all ? '' : 'WHERE operator = ?'} ORDER BY id DESC LIMIT 500`)
    .all(...(all ? [] : [operator])) as SessionRow[];
  return rows.map(toSession);
}
