// The audit hash chain (R-L2): each record's hash covers the previous record's hash and its own
// canonical form, keyed with a secret from the OS keychain, so changing, deleting, reordering or
// truncating records is detected by verify.
import { createHash, createHmac, type KeyObject } from 'node:crypto';

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

export const canonical = (r: ChainedFields): string => JSON.stringify(chainedValues(r));

/**
 * HMAC-SHA256 under the chain key of the previous hash and the canonical text of these values; plain SHA-256 for
 * records written while the keychain was unavailable.
 */
export function chainHashOfValues(key: Buffer | KeyObject | null, prevHash: string, values: ChainedValues): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  // One update of the whole text hashes the same bytes as one per part, with a third of the calls into C++.
  return h.update(`${prevHash}\n${JSON.stringify(values)}`).digest('hex');
}

export const chainHash = (key: Buffer | KeyObject | null, prevHash: string, r: ChainedFields): string =>
  chainHashOfValues(key, prevHash, chainedValues(r));

/** A short public name for a key, stored with each record: which key to verify it with. */
export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);
