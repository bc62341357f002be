// Disk full, on a real filesystem that fills (issue 21's fault suite): the database lives on a tmpfs a few hundred
// kilobytes larger than itself, and the console keeps writing — items created and changed, the CLI recording a key
// check — until the disk is full. Every refusal says `storage: the disk is full`, to the caller and on the CLI's
// stderr; nothing half-written stays; once there is room again the same calls go through and every acknowledged
// change is there with its record. SQLite's max_page_count (test/unit/storageFaults.test.ts) covers the same path on
// machines that may not mount.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';
import type { MethodName } from '../../src/shared/contract';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'deputy-diskfull-'));
const mnt = join(dir, 'disk');
mkdirSync(mnt);

/** Mounting needs root (CI and the development machines run as root); elsewhere the test says it is skipped. */
function tryMount(): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('diskFull.test.ts: skipped, this machine cannot mount a tmpfs (not root?)');
    return false;
  }
}
const mounted = tryMount();
const resize = (bytes: number) => execFileSync('mount', ['-o', `remount,size=${bytes}`, mnt]);

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  rmSync(dir, { recursive: true, force: true });
});

type Kind = 'items.create' | 'items.update' | 'cli auth check';

describe.skipIf(!mounted)('disk full on a tmpfs that fills up', () => {
  it('says the disk is full for every kind of write, keeps nothing half-written, and works again after', async () => {
    const dbPath = join(mnt, 'deputy.db');
    const core: Core = await createCore({ dbPath, vault: memoryVault });
    const call = async (method: MethodName, input: unknown) => core.call('admin', method, input);
    expect((await call('setup.loadDemo', { password: 'demo-password-123' })).ok).toBe(true);
    const first = await call('items.create', { flow: 'Purchase Request', title: 'Desk', fields: {} });
    if (!first.ok) throw new Error(first.error.message);
    const target = (first.value as { id: number }).id;
    core.app.db.pragma('wal_checkpoint(TRUNCATE)');

    const used = () => Number(execFileSync('df', ['--output=used', '-B1', mnt], { encoding: 'utf8' }).split('\n')[1]);
    resize(used() + 256 * 1024);

    const acknowledged: number[] = [];
    const refused: Record<Kind, number> = { 'items.create': 0, 'items.update': 0, 'cli auth check': 0 };
    const big = 'v'.repeat(6_000);
    const count = (sql: string) => core.app.db.prepare(sql).pluck().get() as number;
    for (let i = 0; i < 400 && refused['items.create'] < 3; i++) {
      const before = { items: count('SELECT count(*) FROM items'), records: count('SELECT count(*) FROM audit_log') };
      const created = await call('items.create', {
        flow: 'Purchase Request',
        title: `Chair ${i}`,
        fields: { Vendor: big },
      });
      if (created.ok) {
        acknowledged.push((created.value as { id: number }).id);
        continue;
      }
      refused['items.create'] += 1;
      expect(created.error.code).toBe('storage');
      expect(created.error.message).toMatch(/^storage: the disk is full \(SQLITE_FULL\)\. Nothing of this change/);
      // Nothing half-written: neither the item nor its record, nor a record of the failure.
      expect(count('SELECT count(*) FROM items')).toBe(before.items);
      expect(count('SELECT count(*) FROM audit_log')).toBe(before.records);

      const updated = await call('items.update', { id: target, fields: { Vendor: big + i } });
      if (!updated.ok) {
        refused['items.update'] += 1;
        expect(updated.error.message).toMatch(/^storage: the disk is full/);
      }

      // Another process on the full disk: a key check's failure record cannot be written, and stderr says why.
      const cli = spawnSync(
        process.execPath,
        [join(root, 'bin/deputy.mjs'), 'auth', 'check', '--key-id', 'DPK00000000000000000000', '--db', dbPath],
        { encoding: 'utf8', input: 'not-the-secret' },
      );
      if (cli.status !== 0 && /storage: the disk is full/.test(cli.stderr)) refused['cli auth check'] += 1;
      else expect({ out: cli.stdout.trim(), err: cli.stderr }).toEqual({ out: 'invalid', err: '' }); // it still fitted
    }
    console.log(`disk-full faults injected: ${JSON.stringify(refused)}; ${acknowledged.length} items acknowledged`);
    expect(refused['items.create']).toBe(3);
    expect(refused['items.update']).toBeGreaterThan(0);
    expect(refused['cli auth check']).toBeGreaterThan(0);

    resize(64 * 1024 * 1024);
    const again = await call('items.create', { flow: 'Purchase Request', title: 'After', fields: { Vendor: big } });
    expect(again.ok).toBe(true);
    expect(statSync(dbPath).size).toBeGreaterThan(0);
    // Every acknowledged change is there, each with its History record.
    const ids = core.app.db.prepare('SELECT id FROM items').pluck().all() as number[];
    for (const id of acknowledged) expect(ids).toContain(id);
    const recordsOf = core.app.db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'item.create' AND target = ?`);
    for (const id of [...acknowledged, (again as { value: { id: number } }).value.id]) {
      expect(recordsOf.pluck().get(`item:${id}`)).toBe(1);
    }
    expect(core.app.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(await call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    await core.close();
  }, 240_000);
});
