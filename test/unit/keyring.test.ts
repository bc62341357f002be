// Issue 23: `deputy serve` on a headless server (no D-Bus session, no display) brings up an OS keychain of its own —
// a private D-Bus session with gnome-keyring, the keyring kept in `<data dir>/keyring/`, unlocked with the operator's
// passphrase — or, where it cannot, says what is missing and refuses what needs a secret, making nothing half.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headlessDemoServers } from '../support/headlessServers';
import { headlessEnv, onBus, ROOT } from '../support/serveProcess';
import { tempDir } from './helpers';
import type { AppStatus, NewAccessKey } from '../../src/shared/model';

const PASSPHRASE = 'correct horse battery staple';
const { setUp, start } = headlessDemoServers(PASSPHRASE);

const canI = { checks: [{ action: 'item.create', resource: 'flow:Purchase Order' }] };

describe('deputy serve without a desktop session (issue 23)', () => {
  it('starts a keyring of its own from a passphrase file: a key created survives a restart and still authenticates', async () => {
    const { dataDir, db, passphraseFile } = setUp();
    const env = headlessEnv();
    const first = await start(db, env, ['--keyring-passphrase-file', passphraseFile]);
    expect(first.stdout).toContain(`Deputy keychain: its own gnome-keyring, kept in ${join(dataDir, 'keyring')}`);
    const status = await first.api<AppStatus>('app.status', {});
    expect(status).toMatchObject({ ok: true, value: { keychain: { available: true } } });
    const created = await first.api<NewAccessKey>('keys.create', { username: 'po-bot', days: 30 });
    if (!created.ok) throw new Error(created.error.message);
    const key = { id: created.value.id, secret: created.value.secret };
    expect((await first.service('access.canI', canI, key, 'jdoe')).status).toBe(200);
    const bus = first.busAddress!;
    await first.stop();
    // The private session went with the server.
    expect(onBus(bus, ['--dest=org.freedesktop.DBus', '/', 'org.freedesktop.DBus.Peer.Ping']).status).not.toBe(0);

    // The keyring is a file under the data folder; neither it nor the database holds the passphrase in clear.
    expect(readdirSync(join(dataDir, 'keyring', 'keyrings'))).toContain('login.keyring');
    for (const file of [db, join(dataDir, 'keyring', 'keyrings', 'login.keyring')]) {
      expect(readFileSync(file).includes(PASSPHRASE)).toBe(false);
      expect(readFileSync(file).includes(key.secret)).toBe(false);
    }

    // Restarted the way a service unit gives it: the environment variable.
    const second = await start(db, headlessEnv({ DEPUTY_KEYRING_PASSPHRASE_FILE: passphraseFile }));
    const answer = await second.service('access.canI', canI, key, 'jdoe');
    expect(answer).toEqual({ status: 200, body: { ok: true, value: [true] } });
    const wrong = await second.service('access.canI', canI, { ...key, secret: 'not-the-secret' }, 'jdoe');
    expect(wrong.status).toBe(401);
  }, 60_000);

  it('reads the systemd credential keyring-passphrase from $CREDENTIALS_DIRECTORY', async () => {
    const { dir, db } = setUp();
    const credentials = join(dir, 'credentials');
    mkdirSync(credentials);
    writeFileSync(join(credentials, 'keyring-passphrase'), PASSPHRASE);
    const served = await start(db, headlessEnv({ CREDENTIALS_DIRECTORY: credentials }));
    expect(await served.api('app.status', {})).toMatchObject({ value: { keychain: { available: true } } });
  }, 30_000);

  it('without a passphrase and no terminal: the plain reason and fix, key creation refused, nothing half-made', async () => {
    const { db } = setUp();
    const served = await start(db, headlessEnv());
    expect(served.stderr).toContain('the OS keychain is unavailable');
    const status = await served.api<AppStatus>('app.status', {});
    if (!status.ok || status.value.keychain.available) throw new Error('expected the keychain unavailable');
    const { reason, fix } = status.value.keychain;
    expect(reason).toMatch(/no passphrase for a keyring of its own .* none was given, and there is no terminal/);
    expect(reason).not.toMatch(/autolaunch|X11|\$DISPLAY/);
    expect(fix).toMatch(/--keyring-passphrase-file FILE/);

    const created = await served.api('keys.create', { username: 'po-bot', days: 30 });
    expect(created).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    if (created.ok) return;
    expect(created.error.message).toContain(reason);
    expect(created.error.message).toContain(fix);
    const keys = await served.api<unknown[]>('keys.list', { username: 'po-bot' });
    expect(keys).toEqual({ ok: true, value: [] });
  }, 30_000);

  it('without gnome-keyring-daemon on PATH: says it is not installed and how to install it', async () => {
    const { db, passphraseFile } = setUp();
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin);
    for (const tool of ['dbus-send', 'dbus-run-session', 'sh']) {
      symlinkSync(spawnSync('which', [tool], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    }
    const served = await start(db, headlessEnv({ PATH: bin }), ['--keyring-passphrase-file', passphraseFile]);
    const status = await served.api<AppStatus>('app.status', {});
    expect(status).toMatchObject({
      value: {
        keychain: {
          available: false,
          reason: expect.stringMatching(/gnome-keyring-daemon is not installed/),
          fix: expect.stringMatching(/apt-get install dbus gnome-keyring/),
        },
      },
    });
    expect(await served.api('keys.create', { username: 'po-bot', days: 30 })).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringMatching(/gnome-keyring-daemon is not installed/) },
    });
  }, 30_000);

  it('refuses a passphrase file in the database folder, saying why, and a wrong passphrase unlocks nothing', async () => {
    const { dataDir, db, passphraseFile } = setUp();
    const beside = join(dataDir, 'passphrase');
    writeFileSync(beside, PASSPHRASE);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/deputy.mjs'), 'serve', '--db', db, '--keyring-passphrase-file', beside],
      {
        env: headlessEnv(),
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is inside the database's folder");
    expect(r.stderr).toContain('would carry the keyring together with the passphrase');

    // Created with one passphrase, started again with another: unavailable, with what to do.
    const first = await start(db, headlessEnv(), ['--keyring-passphrase-file', passphraseFile]);
    await first.stop();
    const other = join(tempDir(), 'other');
    writeFileSync(other, 'not the passphrase');
    const second = await start(db, headlessEnv(), ['--keyring-passphrase-file', other]);
    expect(await second.api('app.status', {})).toMatchObject({
      value: {
        keychain: {
          available: false,
          reason: expect.stringMatching(/does not unlock Deputy's keyring/),
          fix: expect.stringMatching(/passphrase the keyring was created with/),
        },
      },
    });
  }, 40_000);
});
