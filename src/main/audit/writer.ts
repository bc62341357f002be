// Appends audit records. Callers run it inside the same transaction as the change it records,
// so there is never a change without its record, nor a record without its change.
import { createSecretKey } from 'node:crypto';
import { CHAINED_COLUMNS, chainHash, GENESIS, type ChainedFields } from './chain';
import { currentAttribution } from './attribution';
import type { ChainKey } from './keys';
import type { Db } from '../store/db';
import type { Clock } from '../clock';
import type { AuditLogName } from '../../shared/model';

export type Outcome = 'ok' | 'refused' | 'error';

export interface AuditEntry {
  log?: AuditLogName;
  /** The signed-in person (username), or null before sign-in. */
  operator: string | null;
  /** Who the action was done as; by default the call's impersonated user, else the operator. */
  effectiveUser?: string | null;
  /** By default the call's impersonator; pass null to write a record as the operator alone (R-S7). */
  impersonator?: string | null;
  action: string;
  target?: string | null;
  outcome?: Outcome;
  message: string;
  details?: Record<string, unknown>;
}

export interface AuditWriter {
  append(entry: AuditEntry): number;
}

/** The username shown on a record: `impersonated (impersonator)` during impersonation (R-S8). */
export function displayedUsername(e: AuditEntry): string {
  const effective = e.effectiveUser ?? e.operator ?? 'system';
  return e.impersonator ? `${effective} (${e.impersonator})` : effective;
}

/** Fills in who the call acts as (R-S8) unless the entry says otherwise. */
function withAttribution(e: AuditEntry): AuditEntry {
  const a = currentAttribution();
  if (!a || e.operator !== a.impersonator) return e;
  return {
    ...e,
    effectiveUser: e.effectiveUser === undefined ? a.effectiveUser : e.effectiveUser,
    impersonator: e.impersonator === undefined ? a.impersonator : e.impersonator,
  };
}

const COLUMNS = ['seq', ...CHAINED_COLUMNS, 'prev_hash', 'hash'] as const;

export function createAuditWriter(db: Db, clock: Clock, key: ChainKey | null): AuditWriter {
  const secret = key ? createSecretKey(key.key) : null; // imported once, not for every record
  // Read from the table, not kept in memory: a rolled-back transaction must not move the chain.
  const tail = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  const values = COLUMNS.map(() => '?').join(', ');
  // Positional parameters: a named object per record costs an allocation and a lookup per name.
  const insert = db.prepare(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES (${values})`);
  const index = db.prepare(`INSERT INTO audit_fts (rowid, message) VALUES (?, ?)`);

  const row = (fields: ChainedFields, last: { seq: number; hash: string } | undefined) => {
    const prev = last?.hash ?? GENESIS;
    return [
      (last?.seq ?? 0) + 1,
      ...CHAINED_COLUMNS.map((c) => fields[c]),
      prev,
      chainHash(secret, prev, fields),
    ] as const;
  };

  return {
    append(entry) {
      const e = withAttribution(entry);
      const fields: ChainedFields = {
        ts: clock().toISOString(),
        log: e.log ?? 'main',
        operator: e.operator,
        effective_user: e.effectiveUser ?? e.operator,
        impersonator: e.impersonator ?? null,
        username: displayedUsername(e),
        action: e.action,
        target: e.target ?? null,
        outcome: e.outcome ?? 'ok',
        message: e.message,
        details: JSON.stringify(e.details ?? {}),
        key_id: key?.id ?? '',
      };
      const values = row(fields, tail.get() as { seq: number; hash: string } | undefined);
      insert.run(...values);
      const seq = values[0];
      index.run(seq, fields.message);
      return seq;
    },
  };
}
