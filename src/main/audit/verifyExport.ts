// verify-export: checks an export against its manifest, on any machine — the file's SHA-256, its HMAC under the chain
// key, the record count, the chain links between records and every record's hash.
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { readChainKey } from './keys';
import { canonical, chainHasher, type ChainHasher } from './chain';
import type { AppContext } from '../kernel/context';
import type { AuditExportManifest } from '../../shared/model';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
const chainEnd = z.object({ seq: z.number().int().positive(), hash: sha256Hex }).nullable();

/** What verify-export needs of a manifest file, checked before the export is read. */
export const exportManifestSchema = z.object({
  format: z.enum(['jsonl', 'csv']),
  count: z.number().int().nonnegative(),
  first: chainEnd,
  last: chainEnd,
  filter: z.object({ log: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
  createdAt: z.string(),
  sha256: sha256Hex,
  hmac: sha256Hex.nullable(),
  keyId: z.string().nullable(),
}) satisfies z.ZodType<AuditExportManifest>;

export interface ExportCheck {
  ok: boolean;
  lines: string[];
}

/** The lines of a byte stream, decoded as UTF-8 (a newline byte never occurs inside a multi-byte character). */
async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk);
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
      yield bytes.toString('utf8', start, nl);
      start = nl + 1;
    }
    carry = bytes.subarray(start);
  }
  if (carry.length) yield carry.toString('utf8');
}

/** A JSONL line's record, or null when the line is not a JSON object. */
function parsedRecord(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Tees a byte stream into the digests of the whole file on its way to the line reader. */
async function* digesting(
  chunks: AsyncIterable<Uint8Array>,
  digests: { update(data: Uint8Array): unknown }[],
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    for (const d of digests) d.update(chunk);
    yield chunk;
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Checks an export against its manifest, on any machine; the HMAC and record hashes need the chain key. The file is
 * read as it streams in, never whole: an export of millions of records is larger than one string can be.
 */
export async function verifyExport(
  app: AppContext | null,
  content: string | AsyncIterable<Uint8Array>,
  manifest: AuditExportManifest,
): Promise<ExportCheck> {
  const key = app && manifest.keyId ? await readChainKey(app.vault, manifest.keyId) : null;
  const sha = createHash('sha256');
  const mac = manifest.hmac && key ? createHmac('sha256', key) : null;
  const chunks = digesting(
    typeof content === 'string' ? once(Buffer.from(content)) : content,
    mac ? [sha, mac] : [sha],
  );

  let records = 0;
  let checked = 0;
  let broken: string | null = null; // the first record that fails, as a report line
  let prev: Record<string, unknown> | null = null;
  const keys = new Map<string, Buffer | null>();
  /** One hasher per key id, each keeping its buffers from record to record. */
  const hashers = new Map<string, ChainHasher>();
  for await (const line of linesOf(chunks)) {
    if (manifest.format !== 'jsonl' || !line) continue;
    records++;
    if (broken) continue; // the rest is only counted; the file is still hashed to its end
    const r = parsedRecord(line);
    if (!r) {
      broken = `line ${records} is not a JSON record: the file was changed`;
      continue;
    }
    if (prev && (r.seq as number) === (prev.seq as number) + 1 && r.prev_hash !== prev.hash) {
      broken = `record ${String(r.seq)} does not follow record ${String(prev.seq)} in the chain`;
      continue;
    }
    prev = r;
    const keyId = r.key_id as string;
    if (app && keyId && !keys.has(keyId)) keys.set(keyId, await readChainKey(app.vault, keyId));
    const k = keyId ? keys.get(keyId) : null;
    if (keyId && !k) continue;
    const fields = {
      ts: r.ts as string,
      log: r.log as string,
      // Exports before the one vocabulary (shared/auditFields.ts) named the operator `actor`.
      operator: (r.operator !== undefined ? r.operator : r.actor) as string | null,
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
    const hasher = hashers.get(keyId) ?? hashers.set(keyId, chainHasher(k ?? null)).get(keyId)!;
    if (hasher(r.prev_hash as string, canonical(fields)) !== r.hash) {
      broken = `record ${String(r.seq)} does not match its hash: it was changed`;
      continue;
    }
    checked++;
  }

  const lines: string[] = [];
  let ok = true;
  const fail = (line: string) => {
    ok = false;
    lines.push(`FAIL ${line}`);
  };
  if (sha.digest('hex') === manifest.sha256) lines.push('ok   file SHA-256 matches the manifest');
  else fail('file SHA-256 does not match the manifest: the file was changed');
  if (!manifest.hmac) lines.push('skip HMAC: the export was made while the OS keychain was unavailable');
  else if (!mac) lines.push(`skip HMAC: chain key ${manifest.keyId} is not in this machine's keychain`);
  else if (mac.digest('hex') === manifest.hmac) lines.push('ok   HMAC under the chain key');
  else fail('HMAC does not match: the file or its manifest was changed');

  if (manifest.format !== 'jsonl') {
    lines.push('skip record-level checks: they read JSONL exports');
    return { ok, lines };
  }
  if (records === manifest.count) lines.push(`ok   ${records} records, as the manifest says`);
  else fail(`${records} records, but the manifest says ${manifest.count}`);
  if (broken) fail(broken);
  if (ok)
    lines.push(
      `ok   ${checked} record hashes recomputed${checked < records ? ` (${records - checked} need a chain key this machine lacks)` : ''}`,
    );
  return { ok, lines };
}
