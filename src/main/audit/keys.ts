// Audit chain keys live in the OS keychain only. The current key's id is kept in settings; older keys
// stay in the keychain so records written under them still verify.
import { randomBytes } from 'node:crypto';
import { keyIdOf } from './chain';
import type { CredentialVault } from '../kernel/vault';
import { readSetting, writeSetting } from '../store/settings';
import type { Db } from '../kernel/ports';

const account = (keyId: string) => `audit-chain-key:${keyId}`;
const CURRENT = 'audit.current_key_id';

export interface ChainKey {
  id: string;
  key: Buffer;
}

/** Reads a chain key by id; null when the keychain does not have it (or is unavailable). */
export async function readChainKey(vault: CredentialVault, keyId: string): Promise<Buffer | null> {
  try {
    const stored = await vault.get(account(keyId));
    return stored ? Buffer.from(stored, 'base64') : null;
  } catch {
    return null;
  }
}

/** The id of the key new records are chained with, as the last run left it. */
export const currentChainKeyId = (db: Db): string | undefined => readSetting(db, CURRENT);

/**
 * The key new records are chained with: the current one from the keychain, or a new one when there is
 * none yet (or it was lost). Null while the keychain is unavailable: records are then chained unkeyed.
 */
export async function currentChainKey(vault: CredentialVault, db: Db): Promise<ChainKey | null> {
  if (!(await vault.status()).available) return null;
  const id = currentChainKeyId(db);
  if (id) {
    const key = await readChainKey(vault, id);
    if (key) return listed(db, { id, key });
  }
  const key = randomBytes(32);
  const next = { id: keyIdOf(key), key };
  try {
    await vault.set(account(next.id), key.toString('base64'));
  } catch {
    return null;
  }
  writeSetting(db, CURRENT, next.id);
  return listed(db, next);
}

/** Lists the key among those records are written under (migration 220), for verify; a write only the first time. */
function listed(db: Db, key: ChainKey): ChainKey {
  if (!db.prepare(`SELECT 1 FROM audit_chain_keys WHERE key_id = ?`).get(key.id)) {
    db.prepare(`INSERT INTO audit_chain_keys (key_id) VALUES (?)`).run(key.id);
  }
  return key;
}

/** The ids of every key records were written under (records written without one have none). */
export const chainKeyIds = (db: Db): string[] =>
  db.prepare(`SELECT key_id FROM audit_chain_keys ORDER BY key_id`).pluck().all() as string[];
