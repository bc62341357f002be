// Creating a person (or guest) and fixing a display name (R-S3: a person with an empty one cannot be found by name
// in the Impersonate dialog, and the directory's filter finds them so that they can be fixed here). Each change
// commits with its History record; the password, if one is given, is never recorded.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { hashPassword } from '../auth/password';
import { insertPrincipal, principalExists, setDisplayName } from '../store/principals';
import { changeAction, directoryFacts, enforce, renameRefusal } from './allowed';
import { requirePrincipal, strip } from './manage';
import { principalLabel, type Principal } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export interface NewPerson {
  username: string;
  displayName: string;
  kind: 'human' | 'guest';
  password?: string | undefined;
}

/** A new active person or guest with no account role (roles are given under Roles…, with their own checks). */
export async function createPerson(app: AppContext, caller: Caller, input: NewPerson): Promise<Principal> {
  const taken = () => {
    if (principalExists(app.db, input.username)) {
      throw new DeputyError('conflict', `The username ${input.username} is taken.`, 'username');
    }
  };
  taken();
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return app.db.transaction(() => {
    taken(); // again: someone may have taken it while the password was hashed
    const p = { username: input.username, displayName: input.displayName, kind: input.kind };
    insertPrincipal(app.db, { ...p, status: 'active', roles: [], passwordHash }, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'principal.create',
      target: p.username,
      message: `Created ${p.kind === 'guest' ? 'guest' : 'person'} ${principalLabel(p)}${
        passwordHash === null ? ' (no password yet: cannot sign in until one is set)' : ''
      }`,
      details: { field: 'principal', old: null, new: { ...p, password: passwordHash === null ? 'none' : 'set' } },
    });
    return strip(requirePrincipal(app, p.username));
  })();
}

export function changeDisplayName(app: AppContext, caller: Caller, username: string, displayName: string): Principal {
  const p = requirePrincipal(app, username);
  authorize(app, caller, changeAction(p));
  enforce(renameRefusal(directoryFacts(app), caller, p, displayName));
  return app.db.transaction(() => {
    setDisplayName(app.db, p.id, displayName, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'principal.displayName',
      target: p.username,
      message: `${p.username} display name: ${p.displayName || '(empty)'} → ${displayName}`,
      details: { field: 'displayName', old: p.displayName, new: displayName },
    });
    return strip(requirePrincipal(app, username));
  })();
}
