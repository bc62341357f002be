// The real vault: keytar over Secret Service (Linux), Keychain (macOS), Credential Vault (Windows).
import type * as KeytarModule from 'keytar';
import { DeputyError } from '../kernel/errors';
import { vaultService, type CredentialVault, type VaultFactory } from '../kernel/vault';
import {
  describeProblem,
  plainKeytarError,
  probeSecretService,
  type KeychainProblem,
  type SecretServiceState,
} from './secretService';
import type { KeychainStatus } from '../../shared/model';

type Keytar = typeof KeytarModule;

const BACKENDS: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Secret Service',
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
};

/** A keychain that never answers (no daemon behind D-Bus) must not hang the console. */
const TIMEOUT_MS = 5000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the OS keychain did not answer within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    );
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

let keytarModule: Promise<Keytar> | undefined;
function loadKeytar(): Promise<Keytar> {
  keytarModule ??= import('keytar').then((m) => ('default' in m ? (m.default as Keytar) : m));
  return keytarModule;
}

const reasonOf = (err: unknown) => plainKeytarError(err instanceof Error ? err.message : String(err));

const READY_FOR_MS = 1000;
const PROBE = 'deputy-keychain-probe';

const OTHER_OS_FIX = 'Check that the OS keychain is running and unlocked for the user running Deputy, then try again.';

const ownKeyringLost = (dir: string): KeychainProblem => ({
  reason:
    `The keyring Deputy started for itself (kept in ${dir}) has stopped: its D-Bus session or ` +
    `gnome-keyring-daemon ended while Deputy was running.`,
  fix:
    'Restart Deputy: it starts its keyring again and unlocks it with the passphrase. If it keeps stopping, look ' +
    'for what ends it (a session cleanup, the out-of-memory killer).',
});

export interface KeytarVaultOptions {
  /** The backend's name when `deputy serve` started a keyring of its own (cli/keyring.ts). */
  backend?: string;
  /** Where that keyring is kept: if its session ends while Deputy runs, that is what is said, not "no D-Bus". */
  ownKeyring?: string;
  /**
   * Why `deputy serve` could not start a keyring of its own where no Secret Service was reachable (no passphrase, a
   * wrong one, gnome-keyring not installed): said instead of "no D-Bus session", which is only how it shows.
   */
  setupProblem?: KeychainProblem;
}

export function keytarVaultWith(options: KeytarVaultOptions = {}): VaultFactory {
  const linux = process.platform === 'linux';

  // A ready answer is trusted for a second: a burst of calls (a page load, a batch of key creations) asks D-Bus once.
  // A problem is never remembered, so the console is usable again as soon as it is fixed.
  let readyUntil = 0;
  // Calls that find the ready answer stale while a probe is running wait for that probe rather than start their own:
  // under a program's load every waiting call used to spawn its own dbus-send once a second.
  let probing: Promise<SecretServiceState> | null = null;
  const probeShared = () => (probing ??= probeSecretService().finally(() => (probing = null)));

  /** The problem in the operator's words, or null when the keychain can be used. */
  async function problem(): Promise<KeychainProblem | null> {
    if (!linux || Date.now() < readyUntil) return null;
    const probe = await probeShared();
    // Without dbus-send nothing can be asked: keytar itself then decides (status reads a secret, see below).
    if (probe.state === 'no_tool') return null;
    if (probe.state === 'ready') {
      readyUntil = Date.now() + READY_FOR_MS;
      return null;
    }
    if (probe.state === 'locked') return describeProblem(probe);
    if (options.ownKeyring) return ownKeyringLost(options.ownKeyring);
    return options.setupProblem ?? describeProblem(probe);
  }

  return (scope) => {
    const service = vaultService(scope);

    async function use<T>(op: (k: Keytar) => Promise<T>): Promise<T> {
      try {
        return await withTimeout(loadKeytar().then(op));
      } catch (err) {
        readyUntil = 0;
        const known = linux ? await problem().catch(() => null) : null;
        throw new DeputyError(
          'keychain_unavailable',
          `The OS keychain is unavailable: ${known?.reason ?? reasonOf(err)}`,
        );
      }
    }

    const vault: CredentialVault = {
      async status(): Promise<KeychainStatus> {
        try {
          const found = await problem();
          if (found) return { available: false, ...found };
          // On Linux D-Bus answered already (or could not be asked: then a read of a secret that is never stored
          // is the probe; never findCredentials, which crashes the process on a locked keyring). Elsewhere the
          // read is the probe.
          await withTimeout(
            loadKeytar().then(async (k): Promise<void> => {
              if (!linux) await k.findCredentials(service);
              else if (Date.now() >= readyUntil) await k.getPassword(service, PROBE);
            }),
          );
          return { available: true, backend: options.backend ?? BACKENDS[process.platform] ?? process.platform };
        } catch (err) {
          return { available: false, reason: reasonOf(err), fix: OTHER_OS_FIX };
        }
      },
      set: (account, secret) => use((k) => k.setPassword(service, account, secret)),
      async get(account) {
        const stored = await use((k) => k.getPassword(service, account));
        // libsecret answers "none" for a locked keyring: that must not read as a lost secret.
        if (stored === null && linux) {
          readyUntil = 0;
          const found = await problem();
          if (found) throw new DeputyError('keychain_unavailable', `The OS keychain is unavailable: ${found.reason}`);
        }
        return stored;
      },
      delete: (account) => use((k) => k.deletePassword(service, account)),
    };
    return vault;
  };
}

export const keytarVault: VaultFactory = keytarVaultWith();
