// The real vault: keytar over Secret Service (Linux), Keychain (macOS), Credential Vault (Windows).
import type * as KeytarModule from 'keytar';
import { DeputyError } from '../kernel/errors';
import { vaultService, type CredentialVault, type VaultFactory } from '../kernel/vault';
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

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const keytarVault: VaultFactory = (scope) => {
  const service = vaultService(scope);

  async function use<T>(op: (k: Keytar) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(loadKeytar().then(op));
    } catch (err) {
      throw new DeputyError('keychain_unavailable', `The OS keychain is unavailable: ${reasonOf(err)}`);
    }
  }

  const vault: CredentialVault = {
    async status(): Promise<KeychainStatus> {
      try {
        await withTimeout(loadKeytar().then((k) => k.findCredentials(service)));
        return { available: true, backend: BACKENDS[process.platform] ?? process.platform };
      } catch (err) {
        return { available: false, reason: reasonOf(err) };
      }
    },
    set: (account, secret) => use((k) => k.setPassword(service, account, secret)),
    get: (account) => use((k) => k.getPassword(service, account)),
    delete: (account) => use((k) => k.deletePassword(service, account)),
  };
  return vault;
};
