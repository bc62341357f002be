// Which OS keychain this machine offers Deputy, for `deputy --version`: the backend found, or why there is none.
import type { VaultFactory } from './kernel/vault';
import type { KeychainStatus } from '../shared/model';

/** The scope asked about: a name no database's install id can be (those are UUIDs), so no secret is read. */
const PROBE_SCOPE = 'keychain-probe';

/**
 * Asks the vault Deputy would use whether the keychain answers. On Linux the usual reason it does not is that no
 * D-Bus session reaches a Secret Service (a server without a desktop, a shell over SSH): that is said in so many words,
 * where the library's own message may only say it could not autolaunch D-Bus.
 */
export async function probeKeychain(
  vault: VaultFactory,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<KeychainStatus> {
  const status = await vault(PROBE_SCOPE).status();
  if (status.available || platform !== 'linux' || env.DBUS_SESSION_BUS_ADDRESS) return status;
  return {
    ...status,
    reason: `${status.reason} (no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set, so no Secret Service answers)`,
  };
}
