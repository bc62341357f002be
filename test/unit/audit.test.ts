// The audit chain (R-L2): verify reports OK with the count, or the first broken record and the kind
// of break. Each test tampers the way an attacker with the file would: triggers dropped, SQL run.
import { spawnSync } from 'node:child_process';
import { realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { createCore } from '../../src/main/core';
import type { VaultFactory } from '../../src/main/kernel/vault';
import { verifyAudit } from '../../src/main/audit/verify';
import { DEMO_PASSWORD, demoCore, tempCore, tempDir, type TestCore } from './helpers';

async function withRecords(vault?: VaultFactory): Promise<TestCore> {
  const core = await demoCore(vault);
  for (let i = 0; i < 3; i++) await core.as('w', 'auth.signIn', { username: 'jdoe', password: `wrong-password-${i}` });
  await core.must('admin', 'settings.update', { idleLockMinutes: 20 });
  await core.app.anchor.sync();
  return core;
}

/** What an attacker with write access to the file does first. */
function dropGuards(core: TestCore) {
  core.app.db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`);
}

const verify = (core: TestCore) => core.must('admin', 'audit.verify', {});
const total = (core: Pick<TestCore, 'app'>) =>
  core.app.db.prepare(`SELECT count(*) FROM audit_log`).pluck().get() as number;

describe('R-L2: the audit hash chain', () => {
  it('chains every record to the one before, keyed', async () => {
    const core = await withRecords();
    const rows = core.app.db.prepare(`SELECT seq, key_id, prev_hash, hash FROM audit_log ORDER BY seq`).all() as {
      seq: number;
      key_id: string;
      prev_hash: string;
      hash: string;
    }[];
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((r, i) => expect(r.prev_hash).toBe(rows[i]?.hash));
    expect(new Set(rows.map((r) => r.key_id)).size).toBe(1);
    expect(rows[0]?.key_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('verifies an untouched log: OK with the count and the head', async () => {
    const core = await withRecords();
    const n = total(core);
    const report = await verify(core);
    expect(report).toMatchObject({ ok: true, count: n, unkeyed: 0 });
    expect(report.head?.seq).toBe(n);
  });

  it('detects a changed record, at its seq', async () => {
    const core = await withRecords();
    dropGuards(core);
    core.app.db.prepare(`UPDATE audit_log SET message = 'nothing happened' WHERE seq = 3`).run();
    expect(await verify(core)).toMatchObject({ ok: false, count: 2, break: { seq: 3, kind: 'changed' } });
  });

  it('detects a deleted record, at the first missing seq', async () => {
    const core = await withRecords();
    dropGuards(core);
    core.app.db.prepare(`DELETE FROM audit_log WHERE seq = 4`).run();
    expect(await verify(core)).toMatchObject({
      ok: false,
      break: { seq: 4, kind: 'deleted', message: 'Record 4 is missing: records were deleted.' },
    });
  });

  it('detects a deletion hidden by renumbering the records after it', async () => {
    const core = await withRecords();
    dropGuards(core);
    core.app.db.exec(`DELETE FROM audit_log WHERE seq = 4; UPDATE audit_log SET seq = seq - 1 WHERE seq > 4;`);
    expect(await verify(core)).toMatchObject({ ok: false, break: { seq: 4, kind: 'deleted' } });
  });

  it('detects reordered records', async () => {
    const core = await withRecords();
    dropGuards(core);
    core.app.db.exec(`
      UPDATE audit_log SET seq = -1 WHERE seq = 3;
      UPDATE audit_log SET seq = 3 WHERE seq = 4;
      UPDATE audit_log SET seq = 4 WHERE seq = -1;
    `);
    expect(await verify(core)).toMatchObject({ ok: false, break: { seq: 3, kind: 'reordered' } });
  });

  it('detects a truncated tail against the head anchored in the keychain', async () => {
    const core = await withRecords();
    const n = total(core);
    dropGuards(core);
    core.app.db.prepare(`DELETE FROM audit_log WHERE seq > ?`).run(n - 2);
    expect(await verify(core)).toMatchObject({ ok: false, count: n - 2, break: { seq: n - 1, kind: 'truncated' } });
  });

  it('detects a tail cut off and rewritten with new records, and keeps the anchor as evidence', async () => {
    const core = await withRecords();
    const n = total(core);
    dropGuards(core);
    core.app.db.prepare(`DELETE FROM audit_log WHERE seq > ?`).run(n - 2);
    for (let i = 0; i < 4; i++) await core.must('admin', 'settings.update', { idleLockMinutes: 30 + i });
    expect(await verify(core)).toMatchObject({ ok: false, break: { seq: n, kind: 'truncated' } });
  });

  it('detects a tail cut off after another process on the file anchored it, even once this process writes again', async () => {
    // Two consoles on one file (the window and the CLI beside it), each anchoring in the same keychain entry.
    const first = await withRecords(keytarVault);
    const second = await createCore({ dbPath: first.dbPath, vault: keytarVault });
    const cutFrom = total(first) + 1;
    expect((await second.call('cli', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD })).ok).toBe(true);
    await second.app.anchor.sync(); // the anchor is now the second's head, beyond anything the first wrote
    await second.close();
    dropGuards(first);
    first.app.db.prepare(`DELETE FROM audit_log WHERE seq >= ?`).run(cutFrom);
    // The first writes on: its anchor step must judge the keychain's anchor as it is now, not the one it wrote.
    await first.must('admin', 'settings.update', { idleLockMinutes: 25 });
    await first.app.anchor.sync();
    expect(await verify(first)).toMatchObject({ ok: false, break: { kind: 'truncated' } });
  });

  it('a copy of the database (a backup, a copied file) never moves the live log’s anchor, and verifies on its own', async () => {
    const live = await withRecords(keytarVault);
    const copyPath = join(tempDir(), 'copy.db');
    await live.app.db.backup(copyPath);
    const copy = await createCore({ dbPath: copyPath, vault: keytarVault });
    // The copy moves on by itself: its own records, its own head.
    expect((await copy.call('cli', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD })).ok).toBe(true);
    await copy.app.anchor.sync();
    const anchored = await live.app.anchor.read();
    expect(anchored).toMatchObject({ seq: total(live), file: realpathSync(live.dbPath) });
    const copyReport = await verifyAudit(copy.app.db, copy.app.vault, copy.app.anchor);
    expect(copyReport).toMatchObject({ ok: true, count: total(copy), copyOf: realpathSync(live.dbPath) });
    await copy.close();
    // The live log verifies, and goes on being anchored.
    expect(await verify(live)).toMatchObject({ ok: true, count: total(live) });
    expect((await verify(live)).copyOf).toBeUndefined();
    await live.must('admin', 'settings.update', { idleLockMinutes: 25 });
    await live.app.anchor.sync();
    expect(await live.app.anchor.read()).toMatchObject({ seq: total(live) });
  });

  it('a database moved to another place takes its anchor along; an anchor from before files were named is adopted', async () => {
    const first = await withRecords(keytarVault);
    const installId = first.app.db.prepare(`SELECT value FROM settings WHERE key = 'install_id'`).pluck().get();
    const vault = keytarVault(installId as string);
    // As an older Deputy wrote it: no file.
    const head = (await first.app.anchor.read())!;
    await vault.set('audit-head', JSON.stringify({ seq: head.seq, hash: head.hash }));
    await first.must('admin', 'settings.update', { idleLockMinutes: 25 });
    await first.app.anchor.sync();
    expect(await first.app.anchor.read()).toMatchObject({ seq: total(first), file: realpathSync(first.dbPath) });
    // Moved: the anchored file is gone, so the file at the new place is the log, held to the anchor, and anchored.
    const movedPath = join(tempDir(), 'moved.db');
    await first.app.db.backup(movedPath);
    await first.close();
    rmSync(first.dbPath);
    const moved = await createCore({ dbPath: movedPath, vault: keytarVault });
    await moved.call('cli', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    await moved.app.anchor.sync();
    expect(await moved.app.anchor.read()).toMatchObject({ file: realpathSync(movedPath) });
    const report = await verifyAudit(moved.app.db, moved.app.vault, moved.app.anchor);
    expect(report).toMatchObject({ ok: true });
    expect(report.copyOf).toBeUndefined();
    await moved.close();
  });

  it('reports a missing key when the chain key is gone from the keychain', async () => {
    const core = await withRecords();
    const keyId = core.app.db.prepare(`SELECT key_id FROM audit_log LIMIT 1`).pluck().get() as string;
    await core.app.vault.delete(`audit-chain-key:${keyId}`);
    expect(await verify(core)).toMatchObject({ ok: false, count: 0, break: { seq: 1, kind: 'missing_key' } });
  });

  it('keeps writing, chained but unkeyed, while the keychain is unavailable — and says so', async () => {
    const unavailable: VaultFactory = () => ({
      status: async () => ({ available: false, reason: 'no D-Bus session', fix: 'start one' }),
      set: async () => Promise.reject(new Error('unavailable')),
      get: async () => Promise.reject(new Error('unavailable')),
      delete: async () => Promise.reject(new Error('unavailable')),
    });
    const core = await withRecords(unavailable);
    const report = await verify(core);
    expect(report).toMatchObject({ ok: true, unkeyed: total(core) });
    dropGuards(core);
    core.app.db.prepare(`UPDATE audit_log SET message = 'x' WHERE seq = 2`).run();
    expect(await verify(core)).toMatchObject({ ok: false, break: { seq: 2, kind: 'changed' } });
  });

  it('never moves the chain for a transaction that rolled back', async () => {
    const core = await tempCore();
    await core.must('w', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: 'Rita Root',
      password: 'long-enough-pw',
    });
    try {
      core.app.db.transaction(() => {
        core.app.audit.append({ operator: 'root', action: 'x', message: 'rolled back' });
        throw new Error('abort');
      })();
    } catch {
      // expected
    }
    await core.must('w', 'settings.update', { idleLockMinutes: 16 });
    expect(await core.must('w', 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('chains a batch like records appended one by one: in order, searchable, across statement boundaries', async () => {
    const core = await tempCore();
    await core.must('w', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: 'Rita Root',
      password: 'long-enough-pw',
    });
    const { db, audit } = core.app;
    const before = total(core);
    const entry = (i: number) => ({ operator: 'root', action: `batch.${i % 3}`, message: `batch record n${i}` });
    const seqs = db.transaction(() => {
      const one = audit.append(entry(0));
      const many = audit.appendAll(Array.from({ length: 300 }, (_, i) => entry(i + 1)));
      const none = audit.appendAll([]);
      return [one, ...many, ...none];
    })();
    expect(seqs).toEqual(Array.from({ length: 301 }, (_, i) => before + 1 + i));
    const messages = db.prepare(`SELECT message FROM audit_log WHERE seq > ? ORDER BY seq`).pluck().all(before);
    expect(messages).toEqual(Array.from({ length: 301 }, (_, i) => `batch record n${i}`));
    // Every record's full-text row, from the one-record path and the batch path alike.
    for (const i of [0, 1, 128, 129, 256, 300]) {
      expect(db.prepare(`SELECT rowid FROM audit_fts WHERE audit_fts MATCH ?`).pluck().all(`n${i}`)).toEqual([
        before + 1 + i,
      ]);
    }
    expect(await core.must('w', 'audit.verify', {})).toMatchObject({ ok: true, count: before + 301 });
  });

  it('writes a batch whole or not at all: one bad record in the third statement leaves the log as it was', async () => {
    const core = await tempCore();
    await core.must('w', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: 'Rita Root',
      password: 'long-enough-pw',
    });
    const before = total(core);
    const entries = Array.from({ length: 300 }, (_, i) => ({ operator: 'root', action: 'batch', message: `m${i}` }));
    const bad = { ...entries[280]!, log: 'diary' as unknown as 'main' }; // past 2 × 128 rows
    expect(() => core.app.audit.appendAll([...entries.slice(0, 280), bad, ...entries.slice(281)])).toThrow(/CHECK/);
    expect(total(core)).toBe(before);
    expect(core.app.db.prepare(`SELECT count(*) FROM audit_fts WHERE audit_fts MATCH 'm1'`).pluck().get()).toBe(0);
    core.app.audit.appendAll(entries.slice(0, 3));
    expect(await core.must('w', 'audit.verify', {})).toMatchObject({ ok: true, count: before + 3 });
  });

  it('is for auditors and Super Admins; refused to others', async () => {
    const core = await withRecords();
    await core.must('a', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    expect((await core.must('a', 'audit.verify', {})).ok).toBe(true);
    await core.must('j', 'auth.signIn', { username: 'ivan', password: DEMO_PASSWORD });
    expect(await core.as('j', 'audit.verify', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe.skipIf(!process.env.DEPUTY_PRIVATE_KEYRING)('the chain key in the real OS keychain', () => {
  it('is stored in the keychain, never in SQLite', async () => {
    const core = await withRecords(keytarVault);
    const installId = core.app.db
      .prepare(`SELECT value FROM settings WHERE key = 'install_id'`)
      .pluck()
      .get() as string;
    const keyId = core.app.db.prepare(`SELECT key_id FROM audit_log LIMIT 1`).pluck().get() as string;
    const r = spawnSync(
      'secret-tool',
      ['lookup', 'service', `deputy/${installId}`, 'account', `audit-chain-key:${keyId}`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    const key = r.stdout;
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    const dump = JSON.stringify(core.app.db.prepare(`SELECT * FROM settings`).all());
    expect(dump).not.toContain(key);
    expect((await verify(core)).ok).toBe(true);
  });
});
