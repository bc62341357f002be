import type { AppContext } from '../kernel/context';
import type { OperatorCaller } from '../kernel/caller';
import type { Impersonation, Notice } from '../../shared/model';

/** The running session as the window shows it (banner, time left). */
export function currentImpersonation(app: AppContext, caller: OperatorCaller): Impersonation | null {
  const who = caller.onBehalfOf;
  if (!who || caller.impersonationId === undefined) return null;
  const row = app.db
    .prepare(`SELECT reason, ticket, started_at, expires_at FROM impersonation_sessions WHERE id = ?`)
    .get(caller.impersonationId) as { reason: string; ticket: string | null; started_at: string; expires_at: string };
  return {
    id: caller.impersonationId,
    user: { username: who.username, displayName: who.displayName, roles: who.roles },
    reason: row.reason,
    ticket: row.ticket,
    startedAt: row.started_at,
    expiresAt: row.expires_at,
  };
}

export function unreadNotices(app: AppContext, username: string): Notice[] {
  return (
    app.db
      .prepare(`SELECT id, message, created_at FROM notices WHERE username = ? AND seen_at IS NULL ORDER BY id`)
      .all(username) as { id: number; message: string; created_at: string }[]
  ).map((n) => ({ id: n.id, message: n.message, createdAt: n.created_at }));
}
