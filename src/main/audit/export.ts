// Audit export (JSONL or CSV) with a manifest that lets another machine check the file (verifyExport.ts):
// its SHA-256, the record count and chain ends, and an HMAC under the chain key.
import { createHash, createHmac } from 'node:crypto';
import { currentChainKeyId, readChainKey } from './keys';
import type { AuditRow } from './chain';
import { createWhere } from '../store/where';
import type { AppContext } from '../kernel/context';
import { AUDIT_FIELDS, type AuditFieldName } from '../../shared/auditFields';
import type { AuditExportFormat, AuditExportManifest } from '../../shared/model';

export interface ExportFilter {
  log?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The export's fields, in order: the names the Audit log tab shows too (shared/auditFields.ts). */
const FIELDS = AUDIT_FIELDS.map((f) => f.name);

/** A record as exported and forwarded: the stored row with its details parsed. */
export function toRecord(r: AuditRow): Record<AuditFieldName, unknown> {
  return {
    seq: r.seq,
    ts: r.ts,
    log: r.log,
    username: r.username,
    operator: r.operator,
    effective_user: r.effective_user,
    impersonator: r.impersonator,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    message: r.message,
    details: JSON.parse(r.details) as unknown,
    key_id: r.key_id,
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
}

/** One CSV cell, quoted; a leading = + - @ tab or CR is neutralised so spreadsheets never run it. */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A record's JSONL line, built by SQLite: the same text as JSON.stringify(toRecord(row)) (its escaping is JSON's, and
 * `details` is stored as JSON.stringify wrote it; test/unit/auditExport.test.ts compares them), at a fraction of the
 * cost of a row object, a parse and a stringify per record (test/bench).
 */
const JSONL_LINE = (() => {
  const column = (f: AuditFieldName) => (f === 'details' ? 'json(details)' : f);
  return `json_object(${FIELDS.map((f) => `'${f}', ${column(f)}`).join(', ')}) || char(10)`;
})();

/** The export's lines, each with the seq of the record it holds (null for the CSV header). */
export function* exportLines(
  app: AppContext,
  format: AuditExportFormat,
  filter: ExportFilter,
): Generator<{ line: string; seq: number | null }, void, undefined> {
  const where = createWhere();
  if (filter.log) where.add('log = ?', filter.log);
  if (filter.from) where.add('ts >= ?', new Date(filter.from).toISOString());
  if (filter.to) where.add('ts < ?', new Date(filter.to).toISOString());
  if (format === 'jsonl') {
    const lines = app.db.prepare(`SELECT seq, ${JSONL_LINE} FROM audit_log ${where.sql()} ORDER BY seq`).raw();
    for (const [seq, line] of lines.iterate(...where.params) as IterableIterator<[number, string]>) yield { line, seq };
    return;
  }
  yield { line: `${FIELDS.map(csvCell).join(',')}\r\n`, seq: null };
  for (const row of app.db
    .prepare(`SELECT * FROM audit_log ${where.sql()} ORDER BY seq`)
    .iterate(...where.params) as IterableIterator<AuditRow>) {
    const rec = toRecord(row);
    yield { line: `${FIELDS.map((f) => csvCell(rec[f])).join(',')}\r\n`, seq: row.seq };
  }
}

/** Characters per chunk handed to `write` (and the digests): one call per line cost a system call per record. */
const CHUNK_CHARS = 1 << 20;

/** Streams the export through `write`, and returns the manifest for it. */
export async function exportAudit(
  app: AppContext,
  format: AuditExportFormat,
  filter: ExportFilter,
  write: (chunk: string) => void,
): Promise<AuditExportManifest> {
  const keyId = currentChainKeyId(app.db);
  const key = keyId ? await readChainKey(app.vault, keyId) : null;
  const digest = createHash('sha256');
  const mac = key ? createHmac('sha256', key) : null;
  let count = 0;
  const bounds = app.db.prepare(`SELECT seq, hash FROM audit_log WHERE seq = ?`);
  let first: number | null = null;
  let last: number | null = null;
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    const chunk = pending.join('');
    pending = [];
    pendingChars = 0;
    digest.update(chunk);
    mac?.update(chunk);
    write(chunk);
  };
  for (const { line, seq } of exportLines(app, format, filter)) {
    pending.push(line);
    if ((pendingChars += line.length) >= CHUNK_CHARS) flush();
    if (seq === null) continue;
    first ??= seq;
    last = seq;
    count++;
  }
  if (pending.length) flush();
  const end = (seq: number | null) => (seq ? (bounds.get(seq) as { seq: number; hash: string }) : null);
  return {
    format,
    count,
    first: end(first),
    last: end(last),
    filter: { ...filter },
    createdAt: app.clock().toISOString(),
    sha256: digest.digest('hex'),
    hmac: mac ? mac.digest('hex') : null,
    keyId: mac ? (keyId ?? null) : null,
  };
}
