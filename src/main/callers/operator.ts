// An operator's connection → the operator, re-checked on every call.
import { findPrincipal } from '../store/principals';
import { readSettings } from '../store/settings';
import { checkImpersonation, endImpersonation } from '../impersonation/lifecycle';
import type { AppContext } from '../kernel/context';
import { identityOf, type OperatorCaller } from '../kernel/caller';

/**
 * The session must not be idle past the lock setting, and the account must still be an active human.
 * `touch: false` looks without counting as activity (the window's periodic status check must not keep
 * an idle session alive).
 */
export function resolveOperator(app: AppContext, connectionId: string, { touch = true } = {}): OperatorCaller | null {
  const session = app.sessions.get(connectionId);
  if (!session) return null;
  const now = app.clock();
  const { idleLockMinutes } = readSettings(app.db);
  if (now.getTime() - session.lastActivity > idleLockMinutes * 60_000) {
    endImpersonation(app, connectionId, 'idle_lock');
    app.audit.append({
      operator: session.username,
      action: 'session.idleLock',
      target: session.username,
      message: `Session locked after ${idleLockMinutes} minutes without activity`,
    });
    app.sessions.end(
      connectionId,
      `Your session locked after ${idleLockMinutes} minutes without activity. Sign in again.`,
    );
    return null;
  }
  const p = findPrincipal(app.db, session.username);
  if (!p || p.status !== 'active' || p.kind !== 'human') {
    endImpersonation(app, connectionId, 'rights_lost');
    app.sessions.end(connectionId, 'Your account is no longer active, so your session ended.');
    return null;
  }
  if (touch) session.lastActivity = now.getTime();
  const caller: OperatorCaller = { kind: 'operator', connectionId, ...identityOf(p) };
  const acting = checkImpersonation(app, connectionId, session);
  if (acting) return { ...caller, onBehalfOf: acting.user, impersonationId: acting.sessionId };
  // Told once: a status look shows the window the session is gone; a call is refused with the reason.
  const ended = session.impersonationEnded;
  session.impersonationEnded = undefined;
  return ended && touch ? { ...caller, impersonationEnded: ended } : caller;
}
