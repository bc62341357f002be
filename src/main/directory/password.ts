// An administrator sets a person's password: for people restored from the Record Deletion Log (their
// verifier is never logged) and for people imported without one. The password itself is never logged.
import { DeputyError } from '../kernel/errors';
import { hashPassword } from '../auth/password';
import { requirePrincipal, rolesBeyond } from './manage';
import { setPasswordHash } from '../store/principals';
import { principalLabel } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export async function setPassword(app: AppContext, caller: Caller, username: string, password: string): Promise<void> {
  const p = requirePrincipal(app, username);
  if (p.kind !== 'human') {
    throw new DeputyError('invalid_input', `Only people sign in; ${p.username} is a ${p.kind} principal.`, 'username');
  }
  // Signed in already, a password change by hand would let anyone at this window take the account over.
  if (p.username === caller.username) {
    throw new DeputyError('conflict', 'You cannot set your own password here; ask another administrator.');
  }
  // Whoever sets a password can sign in as that person, so only over roles the setter holds too.
  const beyond = rolesBeyond(caller, p.roles);
  if (beyond.length) {
    throw new DeputyError(
      'forbidden',
      `You may not set ${p.username}'s password: they hold ${beyond.join(', ')}, which you do not.`,
    );
  }
  const hash = await hashPassword(password);
  app.db.transaction(() => {
    setPasswordHash(app.db, p.id, hash, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'principal.password',
      target: p.username,
      message: `Password ${p.passwordHash === null ? 'set' : 'changed'} for ${principalLabel(p)}`,
      details: { field: 'password', old: p.passwordHash === null ? 'none' : 'set', new: 'set' },
    });
  })();
}
