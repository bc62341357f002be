// For unit tests of modules that need a vault but are not about the keychain. Never used by an adapter.
import type { CredentialVault, VaultFactory } from '../kernel/vault';

export const memoryVault: VaultFactory = () => {
  const secrets = new Map<string, string>();
  const vault: CredentialVault = {
    status: async () => ({ available: true, backend: 'memory (tests only)' }),
    set: async (account, secret) => void secrets.set(account, secret),
    get: async (account) => secrets.get(account) ?? null,
    delete: async (account) => secrets.delete(account),
  };
  return vault;
};
