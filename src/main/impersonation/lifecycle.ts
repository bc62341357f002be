// Impersonation sessions (R-S5…R-S10): start, the checks on every call, and every way one ends —
// Back to me, expiry (a timer in main), sign-out, idle lock, lost rights, quit, and crash recovery.
import { decide } from '../policy/decide';
import { findPrincipal } from '../store/principals';
import {
  countSessionAction,
  endSession,
  openSession,
  openSessionOwners,
  renewLeases,
  sessionExpiry,
} from '../store/impersonationSessions';
import { LEASE_MS, RENEW_EVERY_MS, ownerGone } from './owner';
import { principalLabel, type ImpersonationEnd } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import { identityOf, type Identity } from '../kernel/caller';
import type { OperatorSession } from '../kernel/ports';

const END_TEXT: Record<ImpersonationEnd, string> = {
  back_to_me: 'Back to me',
  expired: 'the session reached its maximum duration',
  signed_out: 'the operator signed out',
  idle_lock: 'the console locked after inactivity',
  rights_lost: "the operator's rights no longer allow it",
  quit: 'the console was closed',
  crash_recovery: 'the console stopped unexpectedly; closed at the next start',
};

/** `Display Name (username)`, or the username alone when the display name is empty (R-S6). */
export function nameOf(app: AppContext, username: string): string {
  const p = findPrincipal(app.db, username);
  return p ? principalLabel(p) : username;
}

/**
 * Writes the end of a session and its Main Log record, as the impersonator (R-S6, R-S7), exactly once: whichever
 * process ends it first writes both, in one transaction; any other finds it ended and writes nothing.
 */
export function closeSessionRecord(
  app: AppContext,
  id: number,
  reason: ImpersonationEnd,
  endedAt = app.clock().toISOString(),
): void {
  const row = openSession(app.db, id);
  app.timers.clear(id);
  if (!row) return;
  app.db.transaction(() => {
    if (!endSession(app.db, id, endedAt, reason)) return;
    app.audit.append({
      operator: row.operator,
      effectiveUser: row.operator,
      impersonator: null,
      action: 'impersonation.end',
      target: row.target,
      message: `Impersonation end: ${nameOf(app, row.target)} by: ${nameOf(app, row.operator)}`,
      details: { session: id, ended: reason, why: END_TEXT[reason] },
    });
  })();
}

/** Ends the connection's impersonation session, if it has one. */
export function endImpersonation(app: AppContext, connectionId: string, reason: ImpersonationEnd): void {
  const session = app.sessions.get(connectionId);
  if (!session?.impersonation) return;
  closeSessionRecord(app, session.impersonation.id, reason);
  if (reason !== 'back_to_me') {
    session.impersonationEnded = endedText(app, session.impersonation.target, END_TEXT[reason]);
  }
  session.impersonation = undefined;
}

const endedText = (app: AppContext, target: string, why: string) =>
  `Your impersonation of ${nameOf(app, target)} ended (${why}), so this was not done: you act as yourself again.`;

/** Ends sessions past their time; run by each session's timer, and on every call (the clock may be injected). */
export function endExpired(app: AppContext): void {
  const now = app.clock().toISOString();
  for (const [connectionId, s] of app.sessions.entries()) {
    if (!s.impersonation) continue;
    const expires = sessionExpiry(app.db, s.impersonation.id);
    if (!expires || expires <= now) endImpersonation(app, connectionId, 'expired');
  }
}

export function scheduleExpiry(app: AppContext, id: number, expiresAt: Date): void {
  app.timers.set(id, expiresAt, () => endExpired(app));
}

/**
 * On every call while impersonating: the session must not have expired, and the operator must still
 * be allowed to impersonate this user (R-S1, R-S2, R-S4) — losing the role or the target being locked
 * ends it at once. Returns who the operator acts as, or undefined.
 */
export function checkImpersonation(
  app: AppContext,
  connectionId: string,
  session: OperatorSession,
): { user: Identity; sessionId: number } | undefined {
  if (!session.impersonation) return undefined;
  // Ended elsewhere (another process's recovery, an administrator): its end record is written; act as oneself.
  if (!openSession(app.db, session.impersonation.id)) {
    app.timers.clear(session.impersonation.id);
    session.impersonationEnded = endedText(app, session.impersonation.target, 'it was ended elsewhere');
    session.impersonation = undefined;
    return undefined;
  }
  endExpired(app);
  if (!session.impersonation) return undefined;
  const { id, target } = session.impersonation;
  const stillAllowed = decide(app.policy(), {
    actor: session.username,
    action: 'session.start',
    resource: { type: 'user', username: target },
  }).allowed;
  const t = findPrincipal(app.db, target);
  if (!stillAllowed || !t) {
    endImpersonation(app, connectionId, 'rights_lost');
    return undefined;
  }
  return {
    user: identityOf(t),
    sessionId: id,
  };
}

/**
 * R-S10: a session left open by a crash is closed with an end record at the next start — only when its owner is
 * gone: a session of another live process on this database goes on.
 */
export function recoverOpenSessions(app: AppContext): number {
  const now = app.clock();
  const left = openSessionOwners(app.db).filter((s) => ownerGone(s.owner, s.leaseUntil, now));
  // It ended when its process did, or at its maximum duration if that came first: never later than that (R-S10).
  const nowText = now.toISOString();
  for (const s of left) closeSessionRecord(app, s.id, 'crash_recovery', s.expiresAt < nowText ? s.expiresAt : nowText);
  return left.length;
}

/** The lease a session of this core holds from `now`. */
export const leaseFrom = (now: Date): string => new Date(now.getTime() + LEASE_MS).toISOString();

/** How often a core looks at its running sessions between calls (recheckSessions). */
export const RECHECK_EVERY_MS = 5_000;

/**
 * Runs every session of this core through the checks of a call (checkImpersonation): one whose operator lost the right
 * to it, whose user was locked or deleted (here or by another process), or that was ended elsewhere, ends with its
 * record now, not at the operator's next call, and every console's Sessions tab shows it ended.
 */
export function recheckSessions(app: AppContext): void {
  for (const [connectionId, s] of app.sessions.entries()) {
    if (s.impersonation) checkImpersonation(app, connectionId, s);
  }
}

/** Keeps this core's sessions leased, and rechecked, while it runs; returns the stop. */
export function superviseSessionsWhileRunning(app: AppContext): () => void {
  const renew = setInterval(() => renewLeases(app.db, app.owner, leaseFrom(app.clock())), RENEW_EVERY_MS);
  const recheck = setInterval(() => {
    try {
      recheckSessions(app);
    } catch {
      // The database failing (disk full, file gone) fails the next call too, which says so; a timer has no one to tell.
    }
  }, RECHECK_EVERY_MS);
  renew.unref();
  recheck.unref();
  return () => {
    clearInterval(renew);
    clearInterval(recheck);
  };
}

/** On quit: every running session ends with its record. */
export function endAll(app: AppContext, reason: ImpersonationEnd): void {
  for (const [connectionId] of app.sessions.entries()) endImpersonation(app, connectionId, reason);
  app.timers.clearAll();
}

/** The session's action count, shown in the Sessions tab. */
export function countAction(app: AppContext, sessionId: number): void {
  countSessionAction(app.db, sessionId);
}
