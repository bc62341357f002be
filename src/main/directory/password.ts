// An administrator sets a person's password: for people restored from the Record Deletion Log (their
// verifier is never logged) and for people imported without one. The password itself is never logged.
import { hashPassword } from '../auth/password';
import { requirePrincipal } from './manage';
import { directoryFacts, enforce, passwordRefusal } from './allowed';
import { setPasswordHash } from '../store/principals';
import { principalLabel } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export async function setPassword(app: AppContext, caller: Caller, username: string, password: string): Promise<void> {
  const p = requirePrincipal(app, username);
  enforce(passwordRefusal(directoryFacts(app), caller, p));
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
