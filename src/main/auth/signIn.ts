// Sign-in with lockout: MAX_FAILED_SIGN_INS wrong passwords in a row lock the account.
import { DeputyError } from '../kernel/errors';
import { burnVerification, verifyPassword } from './password';
import { findPrincipal, recordFailedSignIn, resetFailedSignIns, setStatus } from '../store/principals';
import { endImpersonation } from '../impersonation/lifecycle';
import type { AppContext } from '../kernel/context';
import type { OperatorCaller } from '../kernel/caller';
import type { Operator } from '../../shared/model';
import { principalLabel } from '../../shared/model';

export const MAX_FAILED_SIGN_INS = 5;

const WRONG = 'Wrong username or password.';

/** Opens the operator session for a connection and records it. Call inside the caller's transaction. */
export function startOperatorSession(app: AppContext, connectionId: string, op: Operator): Operator {
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
export function signOut(app: AppContext, caller: OperatorCaller): void {
  endImpersonation(app, caller.connectionId, 'signed_out');
  app.audit.append({
    operator: caller.username,
    action: 'auth.signOut',
    target: caller.username,
    message: 'Signed out',
  });
  app.sessions.end(caller.connectionId);
}

/** Why the connection's last session ended (idle lock, lost rights), said once on the sign-in screen. */
export const takeSessionNotice = (app: AppContext, connectionId: string): string | null =>
  app.sessions.takeNotice(connectionId);

export async function signIn(
  app: AppContext,
  connectionId: string,
  username: string,
  password: string,
): Promise<Operator> {
  const found = findPrincipal(app.db, username);
  const refuse = (message: string, code: 'unauthenticated' | 'forbidden', details: Record<string, unknown>) => {
    app.audit.append({
      operator: null,
      action: 'auth.signIn',
      target: username,
      outcome: 'refused',
      message: `Sign-in refused for ${username}: ${details.reason as string}`,
      details,
    });
    return new DeputyError(code, message, undefined, true);
  };

  if (!found || found.kind !== 'human' || !found.passwordHash) {
    await burnVerification(password);
    throw refuse(WRONG, 'unauthenticated', { reason: found ? 'not an operator account' : 'unknown username' });
  }
  if (found.status === 'locked') {
    await burnVerification(password);
    throw refuse('This account is locked. An administrator must unlock it.', 'forbidden', { reason: 'account locked' });
  }
  if (found.status === 'inactive') {
    await burnVerification(password);
    throw refuse('This account is inactive. An administrator must activate it.', 'forbidden', {
      reason: 'account inactive',
    });
  }

  const good = await verifyPassword(password, found.passwordHash);
  const now = app.clock().toISOString();
  // A refusal is returned, not thrown, from the transaction: the failure count and its audit record
  // must commit, and a throw would roll them back.
  const outcome = app.db.transaction((): Operator | DeputyError => {
    if (good) {
      resetFailedSignIns(app.db, found.id, now);
      return startOperatorSession(app, connectionId, {
        username: found.username,
        displayName: found.displayName,
        roles: found.roles,
      });
    }
    const failures = recordFailedSignIn(app.db, found.id, now);
    if (failures < MAX_FAILED_SIGN_INS) {
      return refuse(WRONG, 'unauthenticated', { reason: 'wrong password', failures });
    }
    setStatus(app.db, found.id, 'locked', now);
    app.audit.append({
      log: 'history',
      operator: null,
      action: 'principal.status',
      target: found.username,
      message: `${principalLabel(found)} locked after ${failures} failed sign-ins`,
      details: { field: 'status', old: found.status, new: 'locked', failures },
    });
    return refuse(
      `Wrong password. After ${failures} failed sign-ins this account is now locked; an administrator must unlock it.`,
      'forbidden',
      { reason: 'wrong password; account locked', failures },
    );
  })();
  if (outcome instanceof DeputyError) throw outcome;
  return outcome;
}
