// A program's repeated calls read its key's secret from the keychain once a minute, not once per call
// (src/main/serviceAccounts/verifiedSecrets.ts), while every call is still judged whole. The keys live in the real
// OS keychain (scripts/with-keyring); the only addition is a count of its reads.
import { describe, expect, it } from 'vitest';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { checkKey } from '../../src/main/serviceAccounts/keys';
import { VERIFIED_FOR_MS } from '../../src/main/serviceAccounts/verifiedSecrets';
import type { VaultFactory } from '../../src/main/kernel/vault';
import type { Credential } from '../../src/main/callers/resolve';
import type { NewAccessKey } from '../../src/shared/model';
import { demoCore, signIn } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);

async function withCountedKeychain() {
  const reads: string[] = [];
  const counted: VaultFactory = (scope) => {
    const vault = keytarVault(scope);
    // Key secrets only: the audit head's anchor is read from the same keychain after commits too.
    const counted = (account: string) => account.startsWith('access-key:') && reads.push(account);
    return { ...vault, get: (account) => (counted(account), vault.get(account)) };
  };
  const core = await demoCore(counted);
  await signIn(core, 'ivan');
  const key = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
  reads.length = 0;
  const call = (k: NewAccessKey, secret = k.secret) => {
    const credential: Credential = { kind: 'accessKey', keyId: k.id, secret, onBehalfOf: 'jdoe' };
    return core.callWith(credential, 'myItems.list', { which: 'created' });
  };
  return { core, key, reads, call };
}

describe.skipIf(!inKeyring)('R-K12: a program key check asks the keychain once a minute per key', () => {
  it('reads the secret once for many calls, and again once the minute is over', async () => {
    const { core, key, reads, call } = await withCountedKeychain();
    for (let i = 0; i < 5; i++) expect((await call(key)).ok).toBe(true);
    expect(reads).toEqual([`access-key:${key.id}`]);
    core.clock.advance(VERIFIED_FOR_MS + 1);
    expect((await call(key)).ok).toBe(true);
    expect(reads).toHaveLength(2);
  });

  it('still refuses a wrong secret, and counts it toward the lock', async () => {
    const { core, key, call } = await withCountedKeychain();
    expect((await call(key)).ok).toBe(true);
    const wrong = await call(key, 'x'.repeat(key.secret.length));
    expect(wrong.ok).toBe(false);
    const checks = core.auditSince(0).filter((r) => r.action === 'accessKey.check' && r.target === key.id);
    expect(checks.at(-1)?.message).toBe(`Access key check refused for ${key.id}: invalid`);
  });

  it('refuses at once a key disabled or deleted since it was last read', async () => {
    const { core, key, call } = await withCountedKeychain();
    expect((await call(key)).ok).toBe(true);
    await core.must('ivan', 'keys.setEnabled', { keyId: key.id, enabled: false });
    expect((await call(key)).ok).toBe(false);
    await core.must('ivan', 'keys.setEnabled', { keyId: key.id, enabled: true });
    expect((await call(key)).ok).toBe(true);
    await core.must('ivan', 'keys.delete', { keyId: key.id });
    expect((await call(key)).ok).toBe(false);
  });

  it('a one-off check (deputy auth check) always asks the keychain', async () => {
    const { core, key, reads, call } = await withCountedKeychain();
    expect((await call(key)).ok).toBe(true);
    expect(await checkKey(core.app, key.id, key.secret)).toBe('valid');
    expect(await checkKey(core.app, key.id, key.secret)).toBe('valid');
    expect(reads).toHaveLength(3);
  });
});
