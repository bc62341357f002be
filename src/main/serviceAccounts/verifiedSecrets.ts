// A program calls again and again with the same key: its secret is read from the keychain once a minute per key id,
// not once per call. A keychain read is a D-Bus round trip to the Secret Service and was two thirds of a call's cost
// (test/bench/serviceApi.ts, real keychain: 1,124 calls/s without this). Every call is still judged whole: the key's
// row, state, expiry, lock and failures are read from SQLite and the secret is compared in constant time; only the
// keychain's answer is reused, as a digest held in this process's memory, never written anywhere.
import { createHash } from 'node:crypto';
import type { AppContext } from '../kernel/context';

/**
 * How long a matched secret's digest stands in for the keychain. A key deleted or disabled in Deputy is refused at
 * once whatever this is (its row says so); what it delays is only noticing an entry removed from the keychain behind
 * Deputy's back, for at most this long.
 */
export const VERIFIED_FOR_MS = 60_000;

interface Verified {
  digest: Buffer;
  until: number;
}

const byCore = new WeakMap<AppContext, Map<string, Verified>>();

export const secretDigest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

function cacheOf(app: AppContext): Map<string, Verified> {
  let cache = byCore.get(app);
  if (!cache) byCore.set(app, (cache = new Map()));
  return cache;
}

/** The digest of the secret last matched for this key id, while it stands in for the keychain. */
export function verifiedDigest(app: AppContext, keyId: string, now: number): Buffer | null {
  const hit = byCore.get(app)?.get(keyId);
  return hit && hit.until > now ? hit.digest : null;
}

export function rememberVerified(app: AppContext, keyId: string, digest: Buffer, now: number): void {
  cacheOf(app).set(keyId, { digest, until: now + VERIFIED_FOR_MS });
}

export function forgetVerified(app: AppContext, keyIds: readonly string[]): void {
  const cache = byCore.get(app);
  for (const id of keyIds) cache?.delete(id);
}
