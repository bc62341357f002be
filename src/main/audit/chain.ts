// The audit hash chain (R-L2): each record's hash covers the previous record's hash and its own
// canonical form, keyed with a secret from the OS keychain, so changing, deleting, reordering or
// truncating records is detected by verify.
import { createHash, hash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

/** The fields a record's hash covers, in a fixed order. seq is left out: order is the chain's job. */
export interface ChainedFields {
  ts: string;
  log: string;
  operator: string | null;
  effective_user: string | null;
  impersonator: string | null;
  username: string;
  action: string;
  target: string | null;
  outcome: string;
  message: string;
  details: string;
  key_id: string;
}

/** A row of audit_log as stored. */
export type AuditRow = ChainedFields & { seq: number; prev_hash: string; hash: string };

/** The columns canonical() covers, in its order: for building the same array in SQL (json_array). */
export const CHAINED_COLUMNS = [
  'ts',
  'log',
  'operator',
  'effective_user',
  'impersonator',
  'username',
  'action',
  'target',
  'outcome',
  'message',
  'details',
  'key_id',
] as const satisfies readonly (keyof ChainedFields)[];

export type ChainedValues = ChainedFields[(typeof CHAINED_COLUMNS)[number]][];

/** A record's chained fields in CHAINED_COLUMNS order: what the writer inserts and canonical() serialises. */
export const chainedValues = (r: ChainedFields): ChainedValues => CHAINED_COLUMNS.map((c) => r[c]);

/** The canonical text of a record's chained values: what the chain hashes. */
export const canonicalText = (values: ChainedValues): string => JSON.stringify(values);

export const canonical = (r: ChainedFields): string => canonicalText(chainedValues(r));

/** A record's hash from the previous record's hash and the record's canonical text, under one chain key. */
export type ChainHasher = (prevHash: string, canonicalText: string) => string;

/** SHA-256's block: an HMAC key is padded to it (RFC 2104). */
const BLOCK = 64;

/**
 * The chain's hash under `key`: HMAC-SHA256 of the previous hash, a newline and the canonical text, or plain SHA-256
 * for records written while the keychain was unavailable (null). The HMAC is RFC 2104's two hashes over padded keys,
 * each one call of `crypto.hash` on buffers this hasher keeps: createHmac builds a C++ object for every record, which
 * cost 3.6 µs a record against 2.3 µs (test/bench/audit.ts, verify at a million records). Chain keys are 32 bytes
 * (keys.ts); a key longer than the block would have to be hashed first, and is refused instead.
 */
export function chainHasher(key: Buffer | null): ChainHasher {
  if (!key) return (prevHash, text) => hash('sha256', `${prevHash}\n${text}`, 'hex');
  if (key.length > BLOCK) throw new Error(`chain keys are at most ${BLOCK} bytes, not ${key.length}`);
  const padded = (size: number, byte: number) => {
    const b = Buffer.alloc(size);
    b.fill(byte, 0, BLOCK);
    for (let i = 0; i < key.length; i++) b[i]! ^= key[i]!;
    return b;
  };
  let inner = padded(BLOCK + 4096, 0x36);
  const outer = padded(BLOCK + 32, 0x5c);
  return (prevHash, text) => {
    // UTF-8 takes at most 3 bytes for each UTF-16 code unit: room for the longest encoding, so nothing is cut off.
    const room = BLOCK + 3 * (prevHash.length + 1 + text.length);
    if (room > inner.length) {
      const grown = Buffer.alloc(room);
      inner.copy(grown, 0, 0, BLOCK);
      inner = grown;
    }
    let n = BLOCK + inner.write(prevHash, BLOCK);
    inner[n++] = 0x0a;
    n += inner.write(text, n);
    outer.write(hash('sha256', inner.subarray(0, n), 'hex'), BLOCK, 'hex');
    return hash('sha256', outer, 'hex');
  };
}

/** A short public name for a key, stored with each record: which key to verify it with. */
export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);
