// Audit export (JSONL or CSV) with a manifest that lets another machine check the file:
// its SHA-256, the record count and chain ends, and an HMAC under the chain key.
import { createHash, createHmac } from 'node:crypto';
import { readChainKey } from './keys';
import { chainHash, type AuditRow } from './chain';
import { createWhere } from '../store/where';
import type { AppContext } from '../context';
import type { AuditExportFormat, AuditExportManifest } from '../../shared/model';

export interface ExportFilter {
  log?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const FIELDS = [
  'seq',
  'ts',
  'log',
  'username',
  'actor',
  'effective_user',
  'impersonator',
  'action',
  'target',
  'outcome',
  'message',
  'details',
  'key_id',
  'prev_hash',
  'hash',
] as const;

/** A record as exported and forwarded: the stored row with its details parsed. */
export function toRecord(r: AuditRow): Record<(typeof FIELDS)[number], unknown> {
  return {
    seq: r.seq,
    ts: r.ts,
    log: r.log,
    username: r.username,
    actor: r.operator,
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
  if (format === 'csv') yield { line: `${FIELDS.map(csvCell).join(',')}\r\n`, seq: null };
  for (const row of app.db
    .prepare(`SELECT * FROM audit_log ${where.sql()} ORDER BY seq`)
    .iterate(...where.params) as IterableIterator<AuditRow>) {
    const rec = toRecord(row);
    const line =
      format === 'jsonl' ? `${JSON.stringify(rec)}\n` : `${FIELDS.map((f) => csvCell(rec[f])).join(',')}\r\n`;
    yield { line, seq: row.seq };
  }
}

/** Streams the export through `write`, and returns the manifest for it. */
export async function exportAudit(
  app: AppContext,
  format: AuditExportFormat,
  filter: ExportFilter,
  write: (chunk: string) => void,
): Promise<AuditExportManifest> {
  const keyId = app.db.prepare(`SELECT value FROM settings WHERE key = 'audit.current_key_id'`).pluck().get() as
    string | undefined;
  const key = keyId ? await readChainKey(app.vault, keyId) : null;
  const digest = createHash('sha256');
  const mac = key ? createHmac('sha256', key) : null;
  let count = 0;
  const bounds = app.db.prepare(`SELECT seq, hash FROM audit_log WHERE seq = ?`);
  let first: number | null = null;
  let last: number | null = null;
  for (const { line, seq } of exportLines(app, format, filter)) {
    digest.update(line);
    mac?.update(line);
    write(line);
    if (seq === null) continue;
    first ??= seq;
    last = seq;
    count++;
  }
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

export interface ExportCheck {
  ok: boolean;
  lines: string[];
}

/** Checks an export against its manifest, on any machine; the HMAC and record hashes need the chain key. */
export async function verifyExport(
  app: AppContext | null,
  content: string,
  manifest: AuditExportManifest,
): Promise<ExportCheck> {
  const lines: string[] = [];
  let ok = true;
  const fail = (line: string) => {
    ok = false;
    lines.push(`FAIL ${line}`);
  };
  const sha = createHash('sha256').update(content).digest('hex');
  if (sha === manifest.sha256) lines.push('ok   file SHA-256 matches the manifest');
  else fail('file SHA-256 does not match the manifest: the file was changed');

  const key = app && manifest.keyId ? await readChainKey(app.vault, manifest.keyId) : null;
  if (!manifest.hmac) lines.push('skip HMAC: the export was made while the OS keychain was unavailable');
  else if (!key) lines.push(`skip HMAC: chain key ${manifest.keyId} is not in this machine's keychain`);
  else if (createHmac('sha256', key).update(content).digest('hex') === manifest.hmac)
    lines.push('ok   HMAC under the chain key');
  else fail('HMAC does not match: the file or its manifest was changed');

  if (manifest.format !== 'jsonl') {
    lines.push('skip record-level checks: they read JSONL exports');
    return { ok, lines };
  }
  const records = content
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  if (records.length === manifest.count) lines.push(`ok   ${records.length} records, as the manifest says`);
  else fail(`${records.length} records, but the manifest says ${manifest.count}`);
  const keys = new Map<string, Buffer | null>();
  let checked = 0;
  for (const [i, r] of records.entries()) {
    const prev = records[i - 1];
    if (prev && (r.seq as number) === (prev.seq as number) + 1 && r.prev_hash !== prev.hash) {
      fail(`record ${String(r.seq)} does not follow record ${String(prev.seq)} in the chain`);
      break;
    }
    const keyId = r.key_id as string;
    if (app && keyId && !keys.has(keyId)) keys.set(keyId, await readChainKey(app.vault, keyId));
    const k = keyId ? keys.get(keyId) : null;
    if (keyId && !k) continue;
    const fields = {
      ts: r.ts as string,
      log: r.log as string,
      operator: r.actor as string | null,
      effective_user: r.effective_user as string | null,
      impersonator: r.impersonator as string | null,
      username: r.username as string,
      action: r.action as string,
      target: r.target as string | null,
      outcome: r.outcome as string,
      message: r.message as string,
      details: JSON.stringify(r.details),
      key_id: keyId,
    };
    if (chainHash(k ?? null, r.prev_hash as string, fields) !== r.hash) {
      fail(`record ${String(r.seq)} does not match its hash: it was changed`);
      break;
    }
    checked++;
  }
  if (ok)
    lines.push(
      `ok   ${checked} record hashes recomputed${checked < records.length ? ` (${records.length - checked} need a chain key this machine lacks)` : ''}`,
    );
  return { ok, lines };
}
