import type { KeychainStatus } from '../../shared/model';

/**
 * Where every secret lives: the OS keychain. SQLite keeps only ids and metadata.
 * Implementations: keytar (the real one) and in-memory (unit tests of other modules only).
 */
export interface CredentialVault {
  status(): Promise<KeychainStatus>;
  set(account: string, secret: string): Promise<void>;
  get(account: string): Promise<string | null>;
  delete(account: string): Promise<boolean>;
}

/** Builds the vault for one database; `scope` is the database's install id. */
export type VaultFactory = (scope: string) => CredentialVault;

/** Keychain service name for one database: two installs never share secrets. */
export const vaultService = (scope: string) => `deputy/${scope}`;
