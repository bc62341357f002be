// Audit export (JSONL, CSV) with a manifest, and verify-export (R-L2 for exported copies).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell, exportAudit, toRecord } from '../../src/main/audit/export';
import { verifyExport } from '../../src/main/audit/verifyExport';
import type { AuditRow } from '../../src/main/audit/chain';
import { DEMO_PASSWORD, demoCore, tempDir, type TestCore } from './helpers';

async function logWithTrickyText(): Promise<TestCore> {
  const core = await demoCore();
  // A display name an attacker chose, to reach a spreadsheet through the log.
  await core.must('admin', 'serviceAccounts.create', {
    username: 'evil-bot',
    displayName: '=HYPERLINK("http://x","y")',
  });
  await core.as('w', 'auth.signIn', { username: 'jdoe', password: 'wrong-password-1' });
  await core.must('admin', 'settings.update', { idleLockMinutes: 20 });
  return core;
}

async function exported(core: TestCore, format: 'jsonl' | 'csv', filter = {}) {
  let text = '';
  const manifest = await exportAudit(core.app, format, filter, (c) => (text += c));
  return { text, manifest };
}

describe('audit export', () => {
  it('JSONL: one object per record with the documented fields, and a manifest of count, ends and digests', async () => {
    const core = await logWithTrickyText();
    const { text, manifest } = await exported(core, 'jsonl');
    const records = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const total = core.app.db.prepare(`SELECT count(*) FROM audit_log`).pluck().get() as number;
    expect(records).toHaveLength(total);
    expect(Object.keys(records[0]!)).toEqual(
      expect.arrayContaining([
        'seq',
        'ts',
        'log',
        'username',
        'operator',
        'impersonator',
        'action',
        'target',
        'message',
        'details',
        'prev_hash',
        'hash',
      ]),
    );
    expect(records[0]?.ts).toMatch(/Z$/);
    expect(manifest).toMatchObject({ format: 'jsonl', count: total, first: { seq: 1 }, last: { seq: total } });
    expect(manifest.hmac).toMatch(/^[0-9a-f]{64}$/);
    expect((await verifyExport(core.app, text, manifest)).ok).toBe(true);
  });

  it('JSONL lines built by SQLite are the very text JSON.stringify gives for each record', async () => {
    const core = await logWithTrickyText();
    const everyBmpCharacter = String.fromCharCode(...Array.from({ length: 0xffff }, (_, i) => i + 1));
    core.app.audit.append({
      operator: 'admin',
      action: 'test.tricky',
      target: 'quotes " and \\ backslash',
      message: `control \u0000\u0001\u001f\u007f, lone \ud800 surrogate, 😀, ${everyBmpCharacter}`,
      details: {
        numbers: [0, -1, 0.1, 1e21, 1e-7, 5e-324, -1.7976931348623157e308, 2 ** 53 + 2, 123456789.125],
        text: everyBmpCharacter,
        nested: { a: [null, true, false, {}, []], 'key "quoted"': '\n' },
      },
    });
    const { text } = await exported(core, 'jsonl');
    const rows = core.app.db.prepare(`SELECT * FROM audit_log ORDER BY seq`).all() as AuditRow[];
    expect(rows.some((r) => r.action === 'test.tricky')).toBe(true);
    const lines = text.split('\n');
    expect(lines.pop()).toBe(''); // every line ends with a newline
    expect(lines.length).toBe(rows.length);
    // The seq of the first record whose line differs (not the 64 KB texts themselves, should they differ).
    expect(rows.find((r, i) => lines[i] !== JSON.stringify(toRecord(r)))?.seq).toBeUndefined();
  });

  it('filters by log and time', async () => {
    const core = await logWithTrickyText();
    const { text, manifest } = await exported(core, 'jsonl', { log: 'history' });
    expect(
      text
        .trim()
        .split('\n')
        .every((l) => (JSON.parse(l) as { log: string }).log === 'history'),
    ).toBe(true);
    expect(manifest.filter).toEqual({ log: 'history' });
  });

  it('CSV: quoted cells, a header, and formulas neutralised against CSV injection', async () => {
    const core = await logWithTrickyText();
    const { text } = await exported(core, 'csv');
    expect(text.split('\r\n')[0]).toBe(
      '"seq","ts","log","username","operator","effective_user","impersonator","action","target","outcome","message","details","key_id","prev_hash","hash"',
    );
    expect(text).not.toMatch(/(^|,)"=/m);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const c of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(c).startsWith(`"'`)).toBe(true);
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
  });

  it('R-L2: verify-export names what changed: the file, a record, or a record removed', async () => {
    const core = await logWithTrickyText();
    const { text, manifest } = await exported(core, 'jsonl');
    const edited = text.replace('Idle lock: 15 → 20 minutes', 'Idle lock: 15 → 15 minutes');
    const r1 = await verifyExport(core.app, edited, manifest);
    expect(r1.ok).toBe(false);
    expect(r1.lines).toContain('FAIL file SHA-256 does not match the manifest: the file was changed');
    expect(r1.lines.some((l) => /FAIL record \d+ does not match its hash: it was changed/.test(l))).toBe(true);
    const lines = text.trim().split('\n');
    const removed = [...lines.slice(0, 2), ...lines.slice(3)].join('\n') + '\n';
    const r2 = await verifyExport(core.app, removed, manifest);
    expect(r2.lines).toContain(`FAIL ${lines.length - 1} records, but the manifest says ${lines.length}`);
  });

  it('R-L2: verify-export reads the file as a stream: chunks that split lines and characters give the same report', async () => {
    const core = await logWithTrickyText();
    const { text, manifest } = await exported(core, 'jsonl');
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length); // multi-byte characters, for the chunks to cut through
    const edited = text.replace('Idle lock: 15 → 20 minutes', 'Idle lock: 15 → 15 minutes');
    async function* inChunksOf7(s: string) {
      const bytes = Buffer.from(s);
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    for (const content of [text, edited]) {
      const whole = await verifyExport(core.app, content, manifest);
      expect(await verifyExport(core.app, inChunksOf7(content), manifest)).toEqual(whole);
    }
    expect((await verifyExport(core.app, inChunksOf7(text), manifest)).ok).toBe(true);
    expect((await verifyExport(core.app, inChunksOf7(edited), manifest)).ok).toBe(false);
  });

  it('R-L2: on a machine without the chain key, verify-export checks the digest and chain links and says what it skipped', async () => {
    const core = await logWithTrickyText();
    const { text, manifest } = await exported(core, 'jsonl');
    const elsewhere = await demoCore(); // another install: another keychain scope, other keys
    const r = await verifyExport(elsewhere.app, text, manifest);
    expect(r.ok).toBe(true);
    expect(r.lines).toContain(`skip HMAC: chain key ${manifest.keyId} is not in this machine's keychain`);
  });
});

describe('deputy audit export / verify-export', () => {
  const root = join(import.meta.dirname, '../..');
  const deputy = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, 'bin/deputy.mjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      input: '',
    });

  it('R-L2: writes the file and its manifest, and verify-export checks it; a changed or garbled file is reported', () => {
    const db = join(tempDir(), 'd.db');
    expect(deputy(['init', '--demo', '--db', db], { DEPUTY_PASSWORD: DEMO_PASSWORD }).status).toBe(0);
    const out = join(tempDir(), 'audit.jsonl');
    const r = deputy(['audit', 'export', '--format', 'jsonl', '--out', out, '--db', db]);
    // The demo's 10 (its items' 7 History records and the integration's Script Log record, setup.demo, the sign-in), init's 1.
    expect(r.stdout).toBe(`Wrote 11 records to ${out} and the manifest to ${out}.manifest.json.\n`);
    const ok = deputy(['audit', 'verify-export', out, '--db', db]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('ok   HMAC under the chain key');
    writeFileSync(out, readFileSync(out, 'utf8').replace('Northwind', 'Southwind'));
    const broken = deputy(['audit', 'verify-export', out, '--db', db]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN: the export does not match its manifest\.\n$/);

    // A line that is no longer JSON is reported like any other change, not thrown.
    expect(deputy(['audit', 'export', '--format', 'jsonl', '--out', out, '--db', db]).status).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\n');
    writeFileSync(out, [lines[0], '{not json', ...lines.slice(2)].join('\n'));
    const garbled = deputy(['audit', 'verify-export', out, '--db', db]);
    expect(garbled.status).toBe(1);
    expect(garbled.stdout).toContain('FAIL line 2 is not a JSON record: the file was changed');

    // A manifest that is not one is a usage error that says what is wrong with it.
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as Record<string, unknown>;
    writeFileSync(`${out}.manifest.json`, JSON.stringify({ ...manifest, sha256: 'abc' }));
    const bad = deputy(['audit', 'verify-export', out, '--db', db]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${out}.manifest.json is not an export manifest: sha256: a SHA-256 in hex.`);
    writeFileSync(`${out}.manifest.json`, '{"format":');
    expect(deputy(['audit', 'verify-export', out, '--db', db]).stderr).toContain(`${out}.manifest.json is not JSON`);
  });

  it('refuses a bad format, log or time with exit 2', () => {
    const db = join(tempDir(), 'd.db');
    for (const args of [
      ['--format', 'xml'],
      ['--log', 'diary'],
      ['--from', 'yesterday'],
    ]) {
      expect(
        deputy(['audit', 'export', '--out', join(tempDir(), 'x'), ...args, '--db', db]).status,
        args.join(' '),
      ).toBe(2);
    }
  });
});

describe('audit.export through the contract (the window)', () => {
  it('gives an auditor the file and its manifest, and records the export', async () => {
    const core = await logWithTrickyText();
    await core.must('a', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    const r = await core.must('a', 'audit.export', { format: 'csv', log: 'history' });
    expect(r.filename).toMatch(/^deputy-audit-.*\.csv$/);
    expect(r.manifest.format).toBe('csv');
    expect(r.manifest.filter).toEqual({ log: 'history' }); // what was asked, the format apart
    expect(r.content.split('\r\n')[0]).toMatch(/^"seq","ts"/);
    expect(core.app.db.prepare(`SELECT operator, message FROM audit_log ORDER BY seq DESC LIMIT 1`).get()).toEqual({
      operator: 'audrey',
      message: `Exported ${r.manifest.count} audit records as csv`,
    });
    await core.must('u', 'auth.signIn', { username: 'ursula', password: DEMO_PASSWORD });
    expect(await core.as('u', 'audit.export', { format: 'jsonl' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
