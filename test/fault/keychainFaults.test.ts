// Issue 21's keychain faults, against `deputy serve` on a headless server with the keyring it starts for itself
// (issue 23): the keyring locked, an entry deleted behind Deputy's back, no D-Bus session at all. Each must give a
// precise message, leave nothing half-made (no key row without its secret), and the console must work again once
// the fault is gone. Real processes, real HTTP, real gnome-keyring; the keyring is each test's own, so locking it
// disturbs no other test of the suite.
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { headlessDemoServers } from '../support/headlessServers';
import { headlessEnv, onBus, type Served } from '../support/serveProcess';
import type { AccessKey, AppStatus, NewAccessKey } from '../../src/shared/model';

const servers = headlessDemoServers('a keyring passphrase');
const canI = { checks: [{ action: 'item.create', resource: 'flow:Purchase Order' }] };
type Key = { id: string; secret: string };

function setUp() {
  const { db, passphraseFile } = servers.setUp();
  return { db, args: ['--keyring-passphrase-file', passphraseFile] };
}

const start = (db: string, args: string[] = []) => servers.start(db, headlessEnv(), args);

async function createKey(served: Served): Promise<Key> {
  const r = await served.api<NewAccessKey>('keys.create', { username: 'po-bot', days: 30 });
  if (!r.ok) throw new Error(r.error.message);
  return { id: r.value.id, secret: r.value.secret };
}

async function keyIds(served: Served): Promise<string[]> {
  const r = await served.api<AccessKey[]>('keys.list', { username: 'po-bot' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.map((k) => k.id);
}

async function keychain(served: Served) {
  const r = await served.api<AppStatus>('app.status', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value.keychain;
}

/** The audit records of one action, newest last, read from the file as an auditor's tool would. */
function records(db: string, action: string): string[] {
  const file = new Database(db, { readonly: true });
  try {
    return file.prepare(`SELECT message FROM audit_log WHERE action = ? ORDER BY seq`).pluck().all(action) as string[];
  } finally {
    file.close();
  }
}

/** The vault trusts a "ready" answer for a second (keytarVault.ts): a fault shows after that. */
const pastReadyCache = () => new Promise((ok) => setTimeout(ok, 1100));

describe('keychain faults (issue 21)', () => {
  it('the keyring locked: said in plain words, nothing half-made, a key is not taken for wrong; works again after the restart that unlocks it', async () => {
    const { db, args } = setUp();
    const served = await start(db, args);
    const key = await createKey(served);
    expect((await served.service('access.canI', canI, key, 'jdoe')).status).toBe(200);

    const lock = onBus(served.busAddress!, [
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets',
      'org.freedesktop.Secret.Service.Lock',
      'array:objpath:/org/freedesktop/secrets/collection/login',
    ]);
    expect(lock.status).toBe(0);
    await pastReadyCache();

    const down = await keychain(served);
    expect(down).toMatchObject({ available: false, reason: expect.stringMatching(/keyring .* is locked/) });
    expect(down).toMatchObject({ fix: expect.stringMatching(/restart Deputy/) });
    const refused = await served.api('keys.create', { username: 'po-bot', days: 30 });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringMatching(/is locked.*nothing was changed/s) },
    });
    expect(await keyIds(served)).toEqual([key.id]);
    // A locked keyring answers "no such secret": the key must not be judged wrong (nor count toward its lock).
    const check = await served.service('access.canI', canI, key, 'jdoe');
    expect(check).toMatchObject({ status: 503, body: { ok: false, error: { code: 'keychain_unavailable' } } });
    expect(records(db, 'accessKey.check')).toEqual([]);
    // The process survived the lock (keytar's findCredentials would have crashed it) and still serves the rest.
    expect((await served.api('serviceAccounts.list', {})).ok).toBe(true);

    await served.stop();
    const again = await start(db, args);
    expect(await keychain(again)).toMatchObject({ available: true });
    expect(await again.service('access.canI', canI, key, 'jdoe')).toEqual({
      status: 200,
      body: { ok: true, value: [true] },
    });
    await createKey(again);
    expect(await keyIds(again)).toHaveLength(2);
  }, 60_000);

  it("an entry deleted behind Deputy's back: the program is refused, the record says why; deleting the key and making a new one works", async () => {
    const { db, args } = setUp();
    const served = await start(db, args);
    const key = await createKey(served);
    const cleared = spawnSync('secret-tool', ['clear', 'account', `access-key:${key.id}`], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: served.busAddress },
    });
    expect(cleared.status).toBe(0);

    const check = await served.service('access.canI', canI, key, 'jdoe');
    expect(check.status).toBe(401);
    expect(JSON.stringify(check.body)).not.toMatch(/keychain/i); // the program learns only that it was refused
    expect(records(db, 'accessKey.check').at(-1)).toBe(
      `Access key check refused for ${key.id}: invalid (its secret is not in the OS keychain: it was deleted there, ` +
        'so this key can never authenticate again; delete the key and create a new one)',
    );
    expect(await keychain(served)).toMatchObject({ available: true });

    // Deleting a key whose secret is already gone succeeds and leaves no row; a new key works at once.
    expect(await served.api('keys.delete', { keyId: key.id })).toEqual({ ok: true, value: null });
    expect(await keyIds(served)).toEqual([]);
    const next = await createKey(served);
    expect((await served.service('access.canI', canI, next, 'jdoe')).status).toBe(200);
  }, 60_000);

  it("Deputy's own D-Bus session ended while it runs: said so, nothing half-made, the process lives on; a restart brings it back", async () => {
    const { db, args } = setUp();
    const served = await start(db, args);
    const key = await createKey(served);
    // The bus is the child of dbus-run-session, the server's child: end it as an outside cleanup would.
    const pgrep = (parent: number, name: string) =>
      Number(spawnSync('pgrep', ['-P', String(parent), name], { encoding: 'utf8' }).stdout.trim());
    const bus = pgrep(pgrep(served.child.pid!, 'dbus-run-sessio'), 'dbus-daemon');
    expect(bus).toBeGreaterThan(0);
    process.kill(bus, 'SIGKILL');
    await pastReadyCache();

    expect(await keychain(served)).toMatchObject({
      available: false,
      reason: expect.stringMatching(/The keyring Deputy started for itself .* has stopped/),
      fix: expect.stringMatching(/^Restart Deputy/),
    });
    expect(await served.api('keys.create', { username: 'po-bot', days: 30 })).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringMatching(/has stopped.*nothing was changed/s) },
    });
    expect(await keyIds(served)).toEqual([key.id]);
    expect((await served.service('access.canI', canI, key, 'jdoe')).status).toBe(503);
    expect(served.child.exitCode).toBeNull();

    await served.stop();
    const again = await start(db, args);
    expect((await again.service('access.canI', canI, key, 'jdoe')).status).toBe(200);
  }, 60_000);

  it('no D-Bus session and no passphrase: the reason and its fix, nothing half-made; given the passphrase, it works', async () => {
    const { db, args } = setUp();
    const served = await start(db);
    const down = await keychain(served);
    expect(down).toMatchObject({
      available: false,
      reason: expect.stringMatching(/No desktop session provides an OS keychain here/),
      fix: expect.stringMatching(/--keyring-passphrase-file/),
    });
    expect(await served.api('keys.create', { username: 'po-bot', days: 30 })).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringContaining(down.available ? '' : down.reason) },
    });
    expect(await keyIds(served)).toEqual([]);
    expect(records(db, 'accessKey.create')).toEqual([]);

    await served.stop();
    const again = await start(db, args);
    expect(await keychain(again)).toMatchObject({ available: true });
    const key = await createKey(again);
    expect((await again.service('access.canI', canI, key, 'jdoe')).status).toBe(200);
  }, 60_000);
});
