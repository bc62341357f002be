// Operator sessions held in main, one per connection (an Electron window, a browser-mode cookie).
// The identity of every call comes from here, never from the caller's input.
import { DeputyError } from '../errors';
import { findPrincipal } from '../store/principals';
import { readSettings } from '../store/settings';
import { checkImpersonation, endImpersonation } from '../impersonation/lifecycle';
import type { AppContext } from '../context';
import type { Operator } from '../../shared/model';

export interface Caller extends Operator {
  principalId: number;
  /** Set while the operator is impersonating: then every decision is for this user (R-S9). */
  impersonating?: Operator & { sessionId: number };
}

export interface OperatorSession {
  username: string;
  lastActivity: number;
  impersonation?: { id: number; target: string };
}

export class SessionTable {
  private readonly open = new Map<string, OperatorSession>();
  private readonly notices = new Map<string, string>();

  start(connectionId: string, username: string, now: Date): void {
    this.open.set(connectionId, { username, lastActivity: now.getTime() });
    this.notices.delete(connectionId);
  }

  /** Ends a session; `notice` is shown once on the sign-in screen to say why. */
  end(connectionId: string, notice?: string): void {
    this.open.delete(connectionId);
    if (notice) this.notices.set(connectionId, notice);
  }

  get(connectionId: string): OperatorSession | undefined {
    return this.open.get(connectionId);
  }

  /** Every open connection, for ending their impersonation sessions on quit or expiry. */
  entries(): [string, OperatorSession][] {
    return [...this.open];
  }

  takeNotice(connectionId: string): string | null {
    const notice = this.notices.get(connectionId) ?? null;
    this.notices.delete(connectionId);
    return notice;
  }
}

/**
 * The operator behind a connection, re-checked on every call: the session must not be idle past the
 * lock setting, and the account must still be an active human. `touch: false` looks without counting
 * as activity (the window's periodic status check must not keep an idle session alive).
 */
export function resolveOperator(app: AppContext, connectionId: string, { touch = true } = {}): Caller | null {
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
  const caller: Caller = { principalId: p.id, username: p.username, displayName: p.displayName, roles: p.roles };
  const impersonating = checkImpersonation(app, connectionId, session);
  return impersonating ? { ...caller, impersonating } : caller;
}

export function requireOperator(app: AppContext, connectionId: string): Caller {
  const caller = resolveOperator(app, connectionId);
  if (!caller) {
    throw new DeputyError('unauthenticated', app.sessions.takeNotice(connectionId) ?? 'Sign in first.');
  }
  return caller;
}
