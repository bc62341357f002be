// Sign-in with lockout: MAX_FAILED_SIGN_INS wrong passwords in a row lock the account, for the sign-in lockout
// setting's minutes.
import { DeputyError } from '../kernel/errors';
import { burnVerification, verifyPassword } from './password';
import {
  clearFailedSignIns,
  findPrincipal,
  lockAfterFailedSignIns,
  recordFailedSignIn,
  resetFailedSignIns,
  setStatus,
  type PrincipalRow,
} from '../store/principals';
import { readSettings } from '../store/settings';
import { endImpersonation } from '../impersonation/lifecycle';
import type { AppContext } from '../kernel/context';
import type { OperatorCaller } from '../kernel/caller';
import type { ImpersonationEnd, Operator } from '../../shared/model';
import { principalLabel } from '../../shared/model';

export const MAX_FAILED_SIGN_INS = 5;

const WRONG = 'Wrong username or password.';

/**
 * Ends a connection's operator session, if it has one: its impersonation first, with its end record (R-S6), then a
 * sign-out record as the operator themself (the impersonation is over: R-S8 attributes only the session's acts).
 */
export function endOperatorSession(
  app: AppContext,
  connectionId: string,
  reason: ImpersonationEnd,
  why?: string,
): void {
  const session = app.sessions.get(connectionId);
  if (!session) return;
  app.db.transaction(() => {
    endImpersonation(app, connectionId, reason);
    app.audit.append({
      operator: session.username,
      effectiveUser: session.username,
      impersonator: null,
      action: 'auth.signOut',
      target: session.username,
      message: why ? `Signed out: ${why}` : 'Signed out',
    });
  })();
  app.sessions.end(connectionId);
}

/**
 * Opens the operator session for a connection and records it. Call inside the caller's transaction. A session the
 * connection had is signed out first: replaced silently, its impersonation would run on with nothing left to end it,
 * at expiry or at quit.
 */
export function startOperatorSession(app: AppContext, connectionId: string, op: Operator): Operator {
  endOperatorSession(app, connectionId, 'signed_out', `${op.username} signed in on the same connection`);
  app.audit.append({
    operator: op.username,
    action: 'auth.signIn',
    target: op.username,
    message: `Signed in: ${principalLabel(op)}`,
  });
  app.sessions.start(connectionId, op.username, app.clock());
  return op;
}

/** Ends the caller's session, and its impersonation session first. */
export const signOut = (app: AppContext, caller: OperatorCaller): void =>
  endOperatorSession(app, caller.connectionId, 'signed_out');

/** Why the connection's last session ended (idle lock, lost rights), said once on the sign-in screen. */
export const takeSessionNotice = (app: AppContext, connectionId: string): string | null =>
  app.sessions.takeNotice(connectionId);

/**
 * The one answer to every refused sign-in, the same for every username: a stranger learns neither whether the
 * account exists nor whether it is locked or inactive. The audit record keeps the real reason for the auditor.
 */
export function signInRefusal(lockoutMinutes: number): string {
  const lock =
    lockoutMinutes > 0
      ? `for ${lockoutMinutes} minute${lockoutMinutes === 1 ? '' : 's'}`
      : 'until an administrator unlocks it';
  return `${WRONG} After ${MAX_FAILED_SIGN_INS} wrong passwords in a row an account is locked ${lock}.`;
}

/** Whether a lockout by failed sign-ins has run its course at `now`; other locks never do. */
export function lockoutExpired(
  p: Pick<PrincipalRow, 'status' | 'signinLockedAt'>,
  lockoutMinutes: number,
  now: Date,
): boolean {
  if (p.status !== 'locked' || p.signinLockedAt === null || lockoutMinutes <= 0) return false;
  return now.getTime() >= Date.parse(p.signinLockedAt) + lockoutMinutes * 60_000;
}

export async function signIn(
  app: AppContext,
  connectionId: string,
  username: string,
  password: string,
): Promise<Operator> {
  const lockoutMinutes = readSettings(app.db).signInLockoutMinutes;
  const message = signInRefusal(lockoutMinutes);
  const refuse = (details: Record<string, unknown>) => {
    app.audit.append({
      operator: null,
      action: 'auth.signIn',
      target: username,
      outcome: 'refused',
      message: `Sign-in refused for ${username}: ${details.reason as string}`,
      details,
    });
    return new DeputyError('unauthenticated', message, undefined, true);
  };

  let found = findPrincipal(app.db, username);
  if (found && lockoutExpired(found, lockoutMinutes, app.clock())) found = endLockout(app, found, lockoutMinutes);

  // Every refusal before the password check still spends a verification's time, so timing tells nothing either.
  if (!found || found.kind !== 'human' || !found.passwordHash) {
    await burnVerification(password);
    throw refuse({ reason: found ? 'not an operator account' : 'unknown username' });
  }
  if (found.status === 'locked') {
    await burnVerification(password);
    throw refuse({ reason: 'account locked' });
  }
  if (found.status === 'inactive') {
    await burnVerification(password);
    throw refuse({ reason: 'account inactive' });
  }

  const good = await verifyPassword(password, found.passwordHash);
  const now = app.clock().toISOString();
  const person = found;
  // A refusal is returned, not thrown, from the transaction: the failure count and its audit record
  // must commit, and a throw would roll them back.
  const outcome = app.db.transaction((): Operator | DeputyError => {
    if (good) {
      resetFailedSignIns(app.db, person.id, now);
      return startOperatorSession(app, connectionId, {
        username: person.username,
        displayName: person.displayName,
        roles: person.roles,
      });
    }
    const failures = recordFailedSignIn(app.db, person.id, now);
    if (failures < MAX_FAILED_SIGN_INS) return refuse({ reason: 'wrong password', failures });
    lockAfterFailedSignIns(app.db, person.id, now);
    app.audit.append({
      log: 'history',
      operator: null,
      action: 'principal.status',
      target: person.username,
      message: `${principalLabel(person)} locked after ${failures} failed sign-ins${
        lockoutMinutes > 0 ? ` (for ${lockoutMinutes} minutes)` : ''
      }`,
      details: { field: 'status', old: person.status, new: 'locked', failures, lockoutMinutes },
    });
    return refuse({ reason: 'wrong password; account locked', failures });
  })();
  if (outcome instanceof DeputyError) throw outcome;
  return outcome;
}

/**
 * A lockout by failed sign-ins that has run its course ends at the next sign-in attempt, with its History record
 * (no operator: nobody unlocked it), before the password is checked, so the attempt counts from zero.
 */
function endLockout(app: AppContext, p: PrincipalRow, lockoutMinutes: number): PrincipalRow {
  return app.db.transaction(() => {
    // Again inside the write lock: another process may have ended this lockout (or locked it anew) meanwhile.
    const now = app.clock();
    const current = findPrincipal(app.db, p.username);
    if (!current || !lockoutExpired(current, lockoutMinutes, now)) return current ?? p;
    setStatus(app.db, current.id, 'active', now.toISOString());
    clearFailedSignIns(app.db, current.id);
    app.audit.append({
      log: 'history',
      operator: null,
      action: 'principal.status',
      target: current.username,
      message: `${principalLabel(current)} unlocked: the sign-in lockout of ${lockoutMinutes} minutes expired (locked → active)`,
      details: {
        field: 'status',
        old: 'locked',
        new: 'active',
        reason: 'lockout expired',
        lockedAt: current.signinLockedAt,
      },
    });
    return findPrincipal(app.db, p.username) ?? current;
  })();
}
