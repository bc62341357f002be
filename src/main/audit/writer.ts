// Appends audit records. Callers run it inside the same transaction as the change it records,
// so there is never a change without its record, nor a record without its change.
import type { Db } from '../store/db';
import type { Clock } from '../clock';
import type { AuditLogName } from '../../shared/model';

export type Outcome = 'ok' | 'refused' | 'error';

export interface AuditEntry {
  log?: AuditLogName;
  /** The signed-in person (username), or null before sign-in. */
  operator: string | null;
  /** Who the action was done as; the operator unless impersonating. */
  effectiveUser?: string | null;
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

export function createAuditWriter(db: Db, clock: Clock): AuditWriter {
  const insert = db.prepare(`
    INSERT INTO audit_log (ts, log, operator, effective_user, impersonator, username, action, target, outcome, message, details)
    VALUES (@ts, @log, @operator, @effective_user, @impersonator, @username, @action, @target, @outcome, @message, @details)
  `);
  return {
    append(e) {
      const info = insert.run({
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
      });
      return Number(info.lastInsertRowid);
    },
  };
}
