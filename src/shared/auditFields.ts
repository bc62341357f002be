// One vocabulary for an audit record's fields: the export's names (JSONL keys, the CSV header, syslog) are the names
// the Audit log tab shows under its labels, and its raw record is the export's line.
import type { AuditRecord } from './model';

/** Every field of an exported record, in the export's order, with the label the screen gives it. */
export const AUDIT_FIELDS = [
  { name: 'seq', label: '#' },
  { name: 'ts', label: 'Time (UTC)' },
  { name: 'log', label: 'Log' },
  { name: 'username', label: 'Username' },
  { name: 'operator', label: 'Operator' },
  { name: 'effective_user', label: 'Effective user' },
  { name: 'impersonator', label: 'Impersonator' },
  { name: 'action', label: 'Action' },
  { name: 'target', label: 'Target' },
  { name: 'outcome', label: 'Outcome' },
  { name: 'message', label: 'Message' },
  { name: 'details', label: 'Details' },
  { name: 'key_id', label: 'Chain key' },
  { name: 'prev_hash', label: 'Previous hash' },
  { name: 'hash', label: 'Hash' },
] as const;

export type AuditFieldName = (typeof AUDIT_FIELDS)[number]['name'];

export const auditFieldLabel = (name: AuditFieldName): string => AUDIT_FIELDS.find((f) => f.name === name)!.label;

/** A record as the export writes it (the same keys, in the same order): what the tab shows as the raw record. */
export function exportedRecord(r: AuditRecord): Record<AuditFieldName, unknown> {
  return {
    seq: r.seq,
    ts: r.ts,
    log: r.log,
    username: r.username,
    operator: r.operator,
    effective_user: r.effectiveUser,
    impersonator: r.impersonator,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    message: r.message,
    details: r.details,
    key_id: r.keyId,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}
