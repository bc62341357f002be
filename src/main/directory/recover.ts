// `deputy unlock USER`: the way back for an organisation whose only Super Admin is locked out (5 wrong passwords,
// or made inactive by an import). Nobody can sign in to unlock them, so the proof of authority is holding the
// database file and the OS keychain that keeps its audit key, as for every other command that reads the file
// directly. It is refused while another active Super Admin exists: they can unlock USER in the console, recorded
// under their name, and a second way around them would only be a way to overrule them.
import { userInfo } from 'node:os';
import { DeputyError } from '../kernel/errors';
import { clearFailedSignIns, countActiveSuperAdmins, setStatus } from '../store/principals';
import { requirePrincipal } from './manage';
import { principalLabel } from '../../shared/model';
import type { AppContext } from '../kernel/context';

/** Who ran the command, as the operating system says: the record's only trace of the person. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function recoverSuperAdmin(app: AppContext, username: string): Promise<string> {
  const keychain = await app.vault.status();
  if (!keychain.available) {
    throw new DeputyError(
      'forbidden',
      `deputy unlock needs the OS keychain that holds this database's audit key, and it is unavailable: ${keychain.reason}`,
    );
  }
  const p = requirePrincipal(app, username);
  if (p.kind !== 'human' || !p.roles.includes('super_admin')) {
    throw new DeputyError(
      'invalid_input',
      `${p.username} is not a Super Admin: deputy unlock only recovers a Super Admin; a Super Admin unlocks everyone else in the console.`,
      'username',
    );
  }
  if (p.status === 'active') throw new DeputyError('conflict', `${principalLabel(p)} is already active.`);
  const others = countActiveSuperAdmins(app.db);
  if (others > 0) {
    throw new DeputyError(
      'forbidden',
      `Another active Super Admin exists: ask them to unlock ${p.username} in the console (Directory). deputy unlock is only for when no Super Admin can sign in.`,
    );
  }
  const who = osUser();
  app.db.transaction(() => {
    setStatus(app.db, p.id, 'active', app.clock().toISOString());
    clearFailedSignIns(app.db, p.id);
    app.audit.append({
      log: 'history',
      operator: null,
      action: 'principal.status',
      target: p.username,
      message: `${principalLabel(p)} ${p.status === 'locked' ? 'unlocked' : 'activated'} by deputy unlock (run by OS user ${who}; no active Super Admin): ${p.status} → active`,
      details: { field: 'status', old: p.status, new: 'active', via: 'deputy unlock', osUser: who },
    });
  })();
  return `${principalLabel(p)} is active again (was ${p.status}); sign in with their password.`;
}
