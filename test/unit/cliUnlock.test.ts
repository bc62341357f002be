// `deputy unlock USER` as an administrator runs it (issue 23): the built bin, a real database file, the real keychain.
// The way back when the only Super Admin locked themself out; refused while another active Super Admin exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { MAX_FAILED_SIGN_INS } from '../../src/main/auth/signIn';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { tempDir } from './helpers';

const root = join(import.meta.dirname, '../..');
const PASSWORD = 'a-good-long-password';

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/cli.js'))) {
    spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
}, 120_000);

function deputy(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/deputy.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEPUTY_PASSWORD: PASSWORD },
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A demo database whose only Super Admin, alice, typed a wrong password five times. */
async function aliceLockedOut(): Promise<string> {
  const db = join(tempDir(), 'deputy.db');
  expect(deputy(['init', '--demo', '--db', db]).code).toBe(0);
  const core = await createCore({ dbPath: db, vault: keytarVault });
  for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
    await core.call('w', 'auth.signIn', { username: 'alice', password: `wrong-password-${i}` });
  }
  await core.close();
  return db;
}

async function inspect(db: string) {
  const core = await createCore({ dbPath: db, vault: keytarVault });
  const status = (u: string) => core.app.db.prepare(`SELECT status FROM principals WHERE username = ?`).pluck().get(u);
  const last = (log: string) =>
    core.app.db
      .prepare(
        `SELECT operator, action, target, outcome, message, details FROM audit_log WHERE log = ? ORDER BY seq DESC LIMIT 1`,
      )
      .get(log) as {
      operator: string | null;
      action: string;
      target: string;
      outcome: string;
      message: string;
      details: string;
    };
  return { core, status, last };
}

describe('deputy unlock', () => {
  it('unlocks the only Super Admin, recorded in History and the Script Log; she signs in again', async () => {
    const db = await aliceLockedOut();
    const r = deputy(['unlock', 'alice', '--db', db]);
    expect(r).toMatchObject({
      code: 0,
      stdout: 'Alice Admin (alice) is active again (was locked); sign in with their password.\n',
    });

    const { core, status, last } = await inspect(db);
    expect(status('alice')).toBe('active');
    const history = last('history');
    expect(history).toMatchObject({
      operator: null,
      action: 'principal.status',
      target: 'alice',
      message: expect.stringMatching(
        /^Alice Admin \(alice\) unlocked by deputy unlock \(run by OS user .+; no active Super Admin\): locked → active$/,
      ),
    });
    expect(JSON.parse(history.details)).toMatchObject({
      field: 'status',
      old: 'locked',
      new: 'active',
      via: 'deputy unlock',
    });
    expect(last('script')).toMatchObject({
      action: 'cli.unlock',
      target: 'alice',
      outcome: 'ok',
      message: 'deputy unlock alice: exit 0',
    });
    expect(await core.call('w', 'auth.signIn', { username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
    expect((await core.call('w', 'audit.verify', {})) as unknown).toMatchObject({ ok: true, value: { ok: true } });
    await core.close();
  });

  it('is refused while another active Super Admin exists: they unlock in the console', async () => {
    const db = join(tempDir(), 'deputy.db');
    expect(deputy(['init', '--demo', '--db', db]).code).toBe(0);
    const setup = await createCore({ dbPath: db, vault: keytarVault });
    await setup.call('w', 'auth.signIn', { username: 'alice', password: PASSWORD });
    expect(await setup.call('w', 'directory.setRoles', { username: 'lou', roles: ['super_admin'] })).toMatchObject({
      ok: true,
    });
    await setup.close();

    const r = deputy(['unlock', 'lou', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Another active Super Admin exists: ask them to unlock lou in the console');
    const { core, status, last } = await inspect(db);
    expect(status('lou')).toBe('locked');
    expect(last('script')).toMatchObject({
      action: 'cli.unlock',
      outcome: 'error',
      message: expect.stringMatching(/^deputy unlock lou: exit 1 \(Another active/),
    });
    await core.close();
  });

  it('exits 2 for someone who is not a Super Admin, an unknown user, or no USER', async () => {
    const db = await aliceLockedOut();
    const notAdmin = deputy(['unlock', 'lou', '--db', db]);
    expect(notAdmin.code).toBe(2);
    expect(notAdmin.stderr).toContain('lou is not a Super Admin: deputy unlock only recovers a Super Admin');
    expect(deputy(['unlock', 'nobody', '--db', db])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('There is no user named nobody.'),
    });
    expect(deputy(['unlock', '--db', db])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unlock needs USER'),
    });
    const { core, status } = await inspect(db);
    expect(status('lou')).toBe('locked');
    await core.close();
  });
});
