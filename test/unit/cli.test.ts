// The `deputy` command as a user runs it: the built bin, a real database file, the real keychain.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { tempDir } from './helpers';
import { signInRefusal } from '../../src/main/auth/signIn';
import type { NewAccessKey } from '../../src/shared/model';

const root = join(import.meta.dirname, '../..');

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/cli.js'))) {
    spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
}, 120_000);

function deputy(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/deputy.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEPUTY_PASSWORD: '', ...env },
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('deputy CLI', () => {
  it('--help lists the commands and exits 0', () => {
    const r = deputy(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: deputy <command>/);
    for (const cmd of ['init', 'serve', '--db']) expect(r.stdout).toContain(cmd);
  });

  it('an unknown command or option exits 2', () => {
    expect(deputy(['frobnicate']).code).toBe(2);
    expect(deputy(['init', '--colour']).code).toBe(2);
  });

  it('init creates the first Super Admin with the password from DEPUTY_PASSWORD, once', () => {
    const db = join(tempDir(), 'deputy.db');
    const env = { DEPUTY_PASSWORD: 'a-good-long-password' };
    const first = deputy(['init', '--db', db, '--username', 'root', '--display-name', 'Rita Root'], env);
    expect(first).toMatchObject({
      code: 0,
      stdout: `Created a new database at ${db}.\nCreated the first Super Admin root.\n`,
    });
    const again = deputy(['init', '--db', db, '--username', 'other', '--display-name', 'Other'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Deputy is already set up. Sign in instead.');
  });

  it('init --demo loads the demo organisation', () => {
    const db = join(tempDir(), 'deputy.db');
    const r = deputy(['init', '--demo', '--db', db], { DEPUTY_PASSWORD: 'a-good-long-password' });
    expect(r).toMatchObject({
      code: 0,
      stdout: `Created a new database at ${db}.\nLoaded the demo organisation. Sign in as alice.\n`,
    });
  });

  it('refuses a short password with exit 2 and the reason', () => {
    const r = deputy(['init', '--db', join(tempDir(), 'd.db'), '--username', 'root', '--display-name', 'Rita Root'], {
      DEPUTY_PASSWORD: 'short',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('A password needs at least 12 characters.');
  });

  it('without DEPUTY_PASSWORD and no terminal, says how to give the password', () => {
    const env = { ...process.env };
    delete env.DEPUTY_PASSWORD;
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'bin/deputy.mjs'),
        'init',
        '--db',
        join(tempDir(), 'd.db'),
        '--username',
        'root',
        '--display-name',
        'R',
      ],
      {
        encoding: 'utf8',
        env,
        input: '',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('set DEPUTY_PASSWORD or run in a terminal');
  });

  it('refuses a file that is not a Deputy database, leaving it untouched (--db and DEPUTY_DB)', () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'not a database');
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    for (const r of [
      deputy(['init', '--db', path, '--username', 'root'], { DEPUTY_PASSWORD: 'a-good-long-password' }),
      deputy(['init', '--username', 'root'], { DEPUTY_PASSWORD: 'a-good-long-password', DEPUTY_DB: path }),
    ]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('is not a Deputy database');
    }
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });
});

describe('deputy can-i (like kubectl auth can-i)', () => {
  const demoDb = () => {
    const db = join(tempDir(), 'deputy.db');
    expect(deputy(['init', '--demo', '--db', db], { DEPUTY_PASSWORD: 'a-good-long-password' }).code).toBe(0);
    return db;
  };

  it('R-K5/R-K6: answers yes with exit 0 when the service account may act as the user', () => {
    const db = demoDb();
    const r = deputy(['can-i', 'item.create', 'flow:Purchase Order', '--as', 'jdoe', '--via', 'po-bot', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^yes\n {2}R-K5: po-bot has impersonation access to flow Purchase Order\n/);
  });

  it('R-K6: answers no with exit 1 and the reason chain when the user could not do it by hand', () => {
    const db = demoDb();
    const r = deputy(['can-i', 'item.delete', 'flow:Purchase Order', '--as', 'jdoe', '--via', 'po-bot', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^no\n/);
    expect(r.stdout).toContain(
      "R-K6 via catalog: as jdoe: jdoe's role in flow Purchase Order (initiator) does not grant item.delete\n",
    );
  });

  it('prints the decision as JSON with --json', () => {
    const db = demoDb();
    const r = deputy(['can-i', 'session.start', 'user:lou', '--as', 'ian', '--json', '--db', db]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      allowed: false,
      reasons: [{ rule: 'R-S4', fact: 'lou is locked; unlock them before impersonating' }],
    });
  });

  it('exits 2 on bad input: unknown action, bad resource, unknown user, missing --as', () => {
    const db = demoDb();
    const cases = [
      [['can-i', 'item.frob', 'account', '--as', 'jdoe'], /Unknown action "item.frob"/],
      [['can-i', 'item.read', 'board:X', '--as', 'jdoe'], /Unknown resource "board:X"/],
      [['can-i', 'item.read', 'flow:Purchase Order', '--as', 'nobody'], /nobody is not in the directory/],
      [['can-i', 'item.read', 'flow:Purchase Order'], /needs --as USER/],
    ] as const;
    for (const [args, message] of cases) {
      const r = deputy([...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('deputy export and import', () => {
  const env = { DEPUTY_PASSWORD: 'a-good-long-password' };

  it('exports from one database and imports into another, dry run first', () => {
    const source = join(tempDir(), 'source.db');
    const target = join(tempDir(), 'target.db');
    const file = join(tempDir(), 'bundle.json');
    expect(deputy(['init', '--demo', '--db', source], env).code).toBe(0);
    expect(deputy(['init', '--db', target, '--username', 'root', '--display-name', 'Rita Root'], env).code).toBe(0);

    const exported = deputy(['export', '--db', source, '--user', 'alice', '--out', file], env);
    expect(exported).toMatchObject({ code: 0, stderr: `Wrote the policy bundle to ${file}.\n` });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, organisation: 'Northwind Trading' });

    const dry = deputy(['import', file, '--dry-run', '--db', target, '--user', 'root'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ service account po-bot\n    display name: (none) → Purchase Order Bot');
    expect(dry.stdout).toContain('differs missing:supplier-portal: portal Supplier Portal needs service account');
    expect(dry.stdout).toMatch(/Dry run: \d+ changes would be made; nothing was written\.\n$/);

    // R-A4: the supplier portal's service account is not in the target; the import waits for its acceptance.
    const refused = deputy(['import', file, '--db', target, '--user', 'root'], env);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('missing:supplier-portal') });
    const applied = deputy(
      ['import', file, '--db', target, '--user', 'root', '--accept', 'missing:supplier-portal'],
      env,
    );
    expect(applied.stdout).toContain('accepted missing:supplier-portal');
    expect(applied.stdout).toMatch(/Imported: \d+ changes\.\n$/);
    expect(deputy(['import', file, '--db', target, '--user', 'root'], env).stdout).toMatch(/Nothing to change\.\n$/);
    const r = deputy([
      'can-i',
      'item.create',
      'flow:Purchase Order',
      '--as',
      'jdoe',
      '--via',
      'po-bot',
      '--db',
      target,
    ]);
    expect(r.code).toBe(0);
  });

  it('R-K4: a dry run lists the flow changes the importer may not make and exits 1; the import is refused', () => {
    const db = join(tempDir(), 'd.db');
    const file = join(tempDir(), 'bundle.json');
    expect(deputy(['init', '--demo', '--db', db], env).code).toBe(0);
    expect(deputy(['export', '--db', db, '--user', 'alice', '--out', file], env).code).toBe(0);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { flows: { name: string; impersonation: string[] }[] };
    bundle.flows.find((f) => f.name === 'Purchase Order')!.impersonation = [];
    writeFileSync(file, JSON.stringify(bundle));
    const dry = deputy(['import', file, '--dry-run', '--db', db, '--user', 'alice'], env);
    expect(dry).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('refused flow Purchase Order: impersonation access: only a Flow Admin of'),
    });
    const refused = deputy(['import', file, '--db', db, '--user', 'alice'], env);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('You may not import this bundle') });
  });

  it('R-L1: records each run in the Script Log: the command line, who ran it, how it ended; never the password', () => {
    const db = join(tempDir(), 'd.db');
    const file = join(tempDir(), 'bundle.json');
    expect(deputy(['init', '--demo', '--db', db], env).code).toBe(0);
    expect(deputy(['export', '--db', db, '--user', 'alice', '--out', file], env).code).toBe(0);
    expect(deputy(['can-i', 'item.delete', 'flow:Purchase Order', '--as', 'jdoe', '--db', db]).code).toBe(1);
    expect(deputy(['import', join(tempDir(), 'missing.json'), '--db', db, '--user', 'alice'], env).code).toBe(2);
    expect(deputy(['export', '--db', db, '--user', 'alice'], { DEPUTY_PASSWORD: 'not-the-password' }).code).toBe(1);
    const rows = spawnSync('sqlite3', ['-json', db, `SELECT * FROM audit_log WHERE log = 'script' ORDER BY seq`], {
      encoding: 'utf8',
    });
    const records = JSON.parse(rows.stdout) as Record<string, string>[];
    expect(records.map((r) => [r.operator, r.action, r.outcome, r.message])).toEqual([
      // The demo's completed Purchase Request ran its integration through po-bot while loading.
      [
        'po-bot',
        'integration.run',
        'ok',
        expect.stringMatching(/^Integration Purchase Request to Order: item 1 Laptop for new hire completed/),
      ],
      ['alice', 'cli.init', 'ok', 'deputy init --demo: exit 0'], // loading the demo signs its Super Admin in
      ['alice', 'cli.export', 'ok', `deputy export --user "alice" --out ${JSON.stringify(file)}: exit 0`],
      [null, 'cli.can-i', 'ok', 'deputy can-i item.delete flow:Purchase Order --as "jdoe": exit 1'],
      [
        null,
        'cli.import',
        'refused',
        expect.stringMatching(
          /^deputy import .*missing\.json --user "alice": exit 2 \(.*missing\.json is not a readable/,
        ),
      ],
      [null, 'cli.export', 'error', `deputy export --user "alice": exit 1 (${signInRefusal(15)})`],
    ]);
    expect(records[0]?.username).toBe('jdoe (po-bot)');
    const runs = records.filter((r) => (r.action ?? '').startsWith('cli.'));
    expect(runs).toHaveLength(5);
    expect(runs.every((r) => r.username === (r.operator ?? 'system'))).toBe(true);
    expect(rows.stdout).not.toContain(env.DEPUTY_PASSWORD);
    // A huge argument is cut, and the record says how long it was.
    deputy(['can-i', 'item.read', `flow:${'x'.repeat(5_000)}`, '--as', 'jdoe', '--db', db]);
    const last = spawnSync('sqlite3', [db, `SELECT message FROM audit_log ORDER BY seq DESC LIMIT 1`], {
      encoding: 'utf8',
    }).stdout;
    expect(last).toMatch(/^deputy can-i item\.read flow:x{1972}… \(5040 characters\): exit 2/);
    expect(last.length).toBeLessThan(2_700); // the line (2,000), the error echoing it (500) and the rest
    expect(deputy(['audit', 'verify', '--db', db]).code).toBe(0);
  });

  it('exits 2 on a file that is not JSON, and 1 with a wrong password', () => {
    const db = join(tempDir(), 'd.db');
    expect(deputy(['init', '--demo', '--db', db], env).code).toBe(0);
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, '{ nope');
    expect(deputy(['import', file, '--db', db, '--user', 'alice'], env)).toMatchObject({ code: 2 });
    const wrong = deputy(['export', '--db', db, '--user', 'alice'], { DEPUTY_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Wrong username or password.');
  });
});

describe('deputy audit verify', () => {
  it('R-L2: says OK with the count on an untouched log, and names the broken record after tampering', () => {
    const db = join(tempDir(), 'd.db');
    expect(deputy(['init', '--demo', '--db', db], { DEPUTY_PASSWORD: 'a-good-long-password' }).code).toBe(0);
    const ok = deputy(['audit', 'verify', '--db', db]);
    // The demo's ten records (its items' History and integration run, setup.demo, the sign-in) and the Script Log
    // record of `deputy init`.
    expect(ok).toMatchObject({ code: 0, stdout: 'OK: 11 records, chain intact.\n' });

    const sql = `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET message = 'forged' WHERE seq = 1;`;
    expect(spawnSync('sqlite3', [db, sql]).status).toBe(0);
    const broken = deputy(['audit', 'verify', '--db', db]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('BROKEN at record 1 (changed): Record 1 was changed after it was written.\n');
  });

  it('exits 2 without the subcommand', () => {
    expect(deputy(['audit', '--db', join(tempDir(), 'd.db')]).code).toBe(2);
  });
});

describe('without a D-Bus session (no OS keychain at all)', () => {
  it('the CLI still opens the database, and refuses key checks plainly, writing nothing half-done', () => {
    const db = join(tempDir(), 'd.db');
    const env: NodeJS.ProcessEnv = { ...process.env, DEPUTY_PASSWORD: 'a-good-long-password' };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    const run = (args: string[], input = '') =>
      spawnSync(process.execPath, [join(root, 'bin/deputy.mjs'), ...args, '--db', db], {
        encoding: 'utf8',
        env,
        input,
      });
    expect(run(['init', '--demo']).status).toBe(0);
    const check = run(['auth', 'check', '--key-id', 'DPK00000000000000000000'], 'some-secret');
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(
      /^deputy: The OS keychain is unavailable: .*D-Bus.* Keys cannot be created, deleted or checked/,
    );
    // The audit log is chained unkeyed meanwhile, and verify says so.
    expect(run(['audit', 'verify']).stdout).toMatch(
      /^OK: \d+ records, chain intact \(\d+ written while the OS keychain was unavailable/,
    );
  });
});

describe.skipIf(!process.env.DEPUTY_PRIVATE_KEYRING)('R-L2: deputy audit verify of a backup', () => {
  it('checks a copy of the log on its own and writes nothing into it; the live log still verifies', () => {
    const dir = tempDir();
    const live = join(dir, 'deputy.db');
    expect(deputy(['init', '--demo', '--db', live], { DEPUTY_PASSWORD: 'a-good-long-password' }).code).toBe(0);
    expect(deputy(['audit', 'verify', '--db', live])).toMatchObject({ code: 0 }); // the anchor names this file
    const backup = join(dir, 'kept.bak');
    expect(deputy(['backup', backup, '--db', live]).code).toBe(0);
    const sha = () => createHash('sha256').update(readFileSync(backup)).digest('hex');
    const before = sha();
    const checked = deputy(['audit', 'verify', '--db', backup]);
    expect(checked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: \d+ records, chain intact\./) });
    expect(checked.stdout).toContain(`a copy of the log at ${realpathSync(live)}`);
    // Nothing written: the checksum its backup.create record gives still holds, and no -wal or -shm is left.
    expect(sha()).toBe(before);
    expect(existsSync(`${backup}-wal`) || existsSync(`${backup}-shm`)).toBe(false);
    expect(deputy(['audit', 'verify', '--db', live])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK/) });
  });
});

describe.skipIf(!process.env.DEPUTY_PRIVATE_KEYRING)(
  'deputy act and auth check: access keys from scripts (R-K5, R-K12)',
  () => {
    /** A demo database and a key of po-bot's, its secret in the keychain the CLI processes share. */
    async function demoWithKey(): Promise<{ db: string; key: NewAccessKey }> {
      const db = join(tempDir(), 'deputy.db');
      expect(deputy(['init', '--demo', '--db', db], { DEPUTY_PASSWORD: 'a-good-long-password' }).code).toBe(0);
      const core = await createCore({ dbPath: db, vault: keytarVault });
      await core.call('w', 'auth.signIn', { username: 'alice', password: 'a-good-long-password' });
      const created = await core.call('w', 'keys.create', { username: 'po-bot', days: 30 });
      await core.close();
      if (!created.ok) throw new Error(created.error.message);
      return { db, key: created.value as NewAccessKey };
    }

    it('auth check in a loop locks the key id: each run is a process, and the count is in the database', async () => {
      const { db, key } = await demoWithKey();
      const check = (secret: string) =>
        spawnSync(process.execPath, [join(root, 'bin/deputy.mjs'), 'auth', 'check', '--key-id', key.id, '--db', db], {
          encoding: 'utf8',
          input: `${secret}\n`,
        }).stdout.trim();
      const answers = Array.from({ length: 10 }, (_, i) => check(`wrong-${i}`));
      expect(answers).toEqual([...Array<string>(9).fill('invalid'), 'locked']);
      expect(check(key.secret)).toBe('locked');
    });

    it('answers as the service account acting for the user, secret on stdin; exit 0 allowed, 1 denied or refused', async () => {
      const { db, key } = await demoWithKey();
      const act = (input: object, secret = key.secret, as = 'jdoe') =>
        spawnSync(
          process.execPath,
          [
            join(root, 'bin/deputy.mjs'),
            'act',
            'access.decide',
            '--key-id',
            key.id,
            '--as',
            as,
            '--input',
            JSON.stringify(input),
            '--db',
            db,
          ],
          { encoding: 'utf8', input: `${secret}\n` },
        );
      const allowed = act({ action: 'item.create', resource: 'flow:Purchase Order' });
      expect(allowed.status).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ allowed: true });
      const denied = act({ action: 'flow.members', resource: 'flow:Purchase Order' });
      expect(denied.status).toBe(1);
      expect(JSON.parse(denied.stdout)).toMatchObject({ allowed: false });
      const wrong = act({ action: 'item.create', resource: 'flow:Purchase Order' }, 'not-the-secret');
      expect(wrong).toMatchObject({ status: 1, stderr: 'deputy: The access key was refused.\n' });
      const noUser = spawnSync(
        process.execPath,
        [join(root, 'bin/deputy.mjs'), 'act', 'access.canI', '--key-id', key.id, '--db', db],
        {
          encoding: 'utf8',
          input: `${key.secret}\n`,
        },
      );
      expect(noUser).toMatchObject({ status: 2, stderr: expect.stringContaining('act needs --as USER') });
      // Two decisions as jdoe (po-bot); the Script Log has the runs, never the secret.
      const rows = spawnSync(
        'sqlite3',
        [
          '-json',
          db,
          `SELECT username, action, outcome, message FROM audit_log WHERE action IN ('access.decide', 'cli.act') ORDER BY seq`,
        ],
        {
          encoding: 'utf8',
        },
      );
      const records = JSON.parse(rows.stdout) as {
        username: string;
        action: string;
        outcome: string;
        message: string;
      }[];
      expect(records.filter((r) => r.action === 'access.decide')).toMatchObject([
        { username: 'jdoe (po-bot)', outcome: 'ok' },
        { username: 'jdoe (po-bot)', outcome: 'refused' },
      ]);
      // Each run as who ran it (R-L3): the program for jdoe once its key was accepted; a refused key names no one.
      expect(records.filter((r) => r.action === 'cli.act').map((r) => [r.username, r.outcome])).toEqual([
        ['jdoe (po-bot)', 'ok'],
        ['jdoe (po-bot)', 'ok'],
        ['system', 'error'],
        ['system', 'refused'],
      ]);
      expect(rows.stdout).not.toContain(key.secret);
    });

    it('R-A5: act portals.decide with a portal key (no --as): exit 0 allowed, 1 refused, and refused after rotation', async () => {
      const db = join(tempDir(), 'deputy.db');
      expect(deputy(['init', '--demo', '--db', db], { DEPUTY_PASSWORD: 'a-good-long-password' }).code).toBe(0);
      const core = await createCore({ dbPath: db, vault: keytarVault });
      const must = async (method: string, input: object): Promise<unknown> => {
        const r = await core.call('w', method, input);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      await must('auth.signIn', { username: 'alice', password: 'a-good-long-password' });
      const viewer = [{ grantee: { type: 'user', name: 'po-bot' }, level: 'viewer' }];
      await must('designObjects.create', { name: 'R-A5 Suppliers', kind: 'record_type', permissions: viewer });
      await must('portals.create', {
        name: 'R-A5 Portal',
        serviceAccount: 'po-bot',
        uses: [{ useCase: 'query_records', objects: ['R-A5 Suppliers'] }],
      });
      const key = (await must('portals.publish', { name: 'R-A5 Portal' })) as { keyId: string; secret: string };
      const act = (input: object) =>
        spawnSync(
          process.execPath,
          [
            join(root, 'bin/deputy.mjs'),
            'act',
            'portals.decide',
            '--key-id',
            key.keyId,
            '--input',
            JSON.stringify(input),
            '--db',
            db,
          ],
          { encoding: 'utf8', input: `${key.secret}\n` },
        );
      const allowed = act({ useCase: 'query_records', object: 'R-A5 Suppliers' });
      expect(allowed.status, allowed.stderr).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ portal: 'R-A5 Portal', allowed: true });
      const refused = act({ useCase: 'start_process', object: 'R-A5 Suppliers' });
      expect(refused.status).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ allowed: false });
      await must('portals.rotate', { name: 'R-A5 Portal' });
      await core.close();
      // --as means nothing to a portal key: refused as bad usage, not silently dropped.
      const asSomeone = spawnSync(
        process.execPath,
        [join(root, 'bin/deputy.mjs'), 'act', 'portals.decide', '--key-id', key.keyId, '--as', 'jdoe', '--db', db],
        { encoding: 'utf8', input: `${key.secret}\n` },
      );
      expect(asSomeone).toMatchObject({ status: 2, stderr: expect.stringContaining('drop --as') });
      const rotated = act({ useCase: 'query_records', object: 'R-A5 Suppliers' });
      expect(rotated).toMatchObject({ status: 1, stderr: expect.stringContaining('unavailable until republished') });
    });
  },
);

describe('commands that read refuse a database that is not there (a deleted log must not verify as clean)', () => {
  it.each([
    ['audit', 'verify'],
    ['can-i', 'directory.read', 'account', '--as', 'alice'],
    ['auth', 'check', '--key-id', 'DPK00000000000000000000'],
    ['portal', 'check', 'Supplier Portal'],
  ])('%s %s: a missing or empty --db is refused with exit 2, and nothing is created', (...args) => {
    const dir = tempDir();
    const missing = join(dir, 'deleted.db');
    const r = deputy([...args, '--db', missing]);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining(`${missing} does not exist`) });
    expect(existsSync(missing)).toBe(false);
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect(deputy([...args, '--db', empty])).toMatchObject({ code: 2, stderr: expect.stringContaining('is empty') });
  });
});

describe('deputy portal check (issue 20, item 6): a portal’s findings for a deployment pipeline', () => {
  const env = { DEPUTY_PASSWORD: 'a-good-long-password' };
  const demoDb = () => {
    const db = join(tempDir(), 'deputy.db');
    expect(deputy(['init', '--demo', '--db', db], env).code).toBe(0);
    return db;
  };

  it('prints the demo portal’s findings and exits 1; --json gives the report', () => {
    const db = demoDb();
    const r = deputy(['portal', 'check', 'Supplier Portal', '--db', db]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Portal Supplier Portal (service account supplier-portal): publishing blocked');
    expect(r.stdout).toContain('  exact: query records on record type Supplier: ');
    expect(r.stdout).toContain('  more than needed: start a process on process model Supplier Onboarding: ');
    expect(r.stdout).toContain('  missing: upload documents on document folder Supplier uploads: ');
    expect(r.stdout).toContain('  R-A3 warning: Default (All Other Users) has Viewer on record type Supplier');
    expect(r.stdout).toMatch(/\n3 findings: publishing blocked\.\n$/);
    const json = deputy(['portal', 'check', 'Supplier Portal', '--json', '--db', db]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { blocked: boolean; problems: number; findings: { verdict: string }[] };
    expect(report).toMatchObject({ blocked: true, problems: 3 });
    expect(report.findings.map((f) => f.verdict)).toEqual(['exact', 'more_than_needed', 'missing']);
  });

  it('exits 0 once every finding is fixed, and each run is in the Script Log', async () => {
    const db = demoDb();
    const core = await createCore({ dbPath: db, vault: keytarVault });
    await core.call('w', 'auth.signIn', { username: 'alice', password: env.DEPUTY_PASSWORD });
    for (let i = 0; i < 5; i++) {
      const got = await core.call('w', 'portals.get', { name: 'Supplier Portal' });
      if (!got.ok) throw new Error(got.error.message);
      const report = got.value as {
        findings: { id: string; fix: unknown }[];
        warnings: { id: string; fix: unknown }[];
      };
      const next = [...report.findings, ...report.warnings].find((f) => f.fix);
      if (!next) break;
      await core.call('w', 'portals.fix', { portal: 'Supplier Portal', finding: next.id });
    }
    await core.close();
    const r = deputy(['portal', 'check', 'Supplier Portal', '--db', db]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/No findings: every grant is exactly what is needed\.\n$/);
    const rows = spawnSync(
      'sqlite3',
      ['-json', db, `SELECT action, outcome, message FROM audit_log WHERE action = 'cli.portal' ORDER BY seq`],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(rows.stdout)).toEqual([
      { action: 'cli.portal', outcome: 'ok', message: 'deputy portal check Supplier Portal: exit 0' },
    ]);
  });

  it('R-A2: lists the account’s own entry no use case needs, and what Default gives beyond the needs, counting both among the problems', async () => {
    const db = demoDb();
    const core = await createCore({ dbPath: db, vault: keytarVault });
    await core.call('w', 'auth.signIn', { username: 'alice', password: env.DEPUTY_PASSWORD });
    // Starting the onboarding process is dropped; supplier-portal keeps its Administrator entry on the model.
    const updated = await core.call('w', 'portals.update', {
      name: 'Supplier Portal',
      uses: [
        { useCase: 'query_records', objects: ['Supplier'] },
        { useCase: 'upload_documents', objects: ['Supplier uploads'] },
      ],
    });
    expect(updated.ok).toBe(true);
    const payroll = await core.call('w', 'designObjects.create', {
      name: 'Payroll',
      kind: 'record_type',
      permissions: [{ grantee: { type: 'default' }, level: 'viewer' }],
    });
    expect(payroll.ok).toBe(true);
    await core.close();
    const r = deputy(['portal', 'check', 'Supplier Portal', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "  R-A2 warning: Default (All Other Users) gives supplier-portal 1 object none of supplier-portal's portals needs (Payroll): service accounts count as users (R-A3), so every user and service account reaches them; taking them away is a decision about everyone, not this portal (least privilege).\n",
    );
    expect(r.stdout).toContain(
      '  not needed: process model Supplier Onboarding: supplier-portal has its own Administrator entry on process model Supplier Onboarding, which no use case of its portals needs (least privilege).\n',
    );
    const json = JSON.parse(deputy(['portal', 'check', 'Supplier Portal', '--json', '--db', db]).stdout) as {
      unneeded: { object: string }[];
      problems: number;
    };
    expect(json.unneeded.map((u) => u.object)).toEqual(['Supplier Onboarding']);
    expect(json.problems).toBe(4); // the missing Editor, R-A3 on Supplier, the entry not needed, Default's reach
  });

  it('R-A2/R-A3: exits as Publish decides: Default reaching objects no portal needs prints a warning and exits 0, a missing grant exits 1', async () => {
    const db = demoDb();
    let core = await createCore({ dbPath: db, vault: keytarVault });
    const must = async (...args: Parameters<typeof core.call>) => {
      const r = await core.call(...args);
      if (!r.ok) throw new Error(r.error.message);
    };
    await must('w', 'auth.signIn', { username: 'alice', password: env.DEPUTY_PASSWORD });
    await must('w', 'serviceAccounts.create', { username: 'cat-bot', displayName: 'Catalog Bot' });
    await must('w', 'designObjects.create', {
      name: 'Catalog',
      kind: 'record_type',
      permissions: [{ grantee: { type: 'user', name: 'cat-bot' }, level: 'viewer' }],
    });
    await must('w', 'designObjects.create', {
      name: 'Payroll',
      kind: 'record_type',
      permissions: [{ grantee: { type: 'default' }, level: 'viewer' }],
    });
    await must('w', 'portals.create', {
      name: 'Catalog Portal',
      serviceAccount: 'cat-bot',
      uses: [{ useCase: 'query_records', objects: ['Catalog'] }],
    });
    await core.close();

    const warned = deputy(['portal', 'check', 'Catalog Portal', '--db', db]);
    expect(warned.code, warned.stdout).toBe(0);
    expect(warned.stdout.split('\n')[0]).toBe('Portal Catalog Portal (service account cat-bot): can be published');
    expect(warned.stdout).toMatch(
      /\n {2}R-A2 warning: Default \(All Other Users\) gives cat-bot \d+ objects? none of cat-bot's portals needs \([^)]*Payroll/,
    );
    expect(warned.stdout).toMatch(/\n1 finding, none blocking publishing\.\n$/);
    const json = deputy(['portal', 'check', 'Catalog Portal', '--json', '--db', db]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ blocked: false, problems: 1 });

    // A use case whose folder cat-bot cannot write to: Publish would refuse, and so does the check.
    core = await createCore({ dbPath: db, vault: keytarVault });
    await must('w', 'auth.signIn', { username: 'alice', password: env.DEPUTY_PASSWORD });
    await must('w', 'designObjects.create', { name: 'Catalog uploads', kind: 'document_folder' });
    await must('w', 'portals.update', {
      name: 'Catalog Portal',
      uses: [
        { useCase: 'query_records', objects: ['Catalog'] },
        { useCase: 'upload_documents', objects: ['Catalog uploads'] },
      ],
    });
    await core.close();
    const blocked = deputy(['portal', 'check', 'Catalog Portal', '--db', db]);
    expect(blocked.code, blocked.stdout).toBe(1);
    expect(blocked.stdout).toContain('  missing: upload documents on document folder Catalog uploads: ');
    expect(blocked.stdout).toMatch(/\n2 findings: publishing blocked\.\n$/);
    expect(deputy(['portal', 'check', 'Catalog Portal', '--json', '--db', db]).code).toBe(1);
  });

  it('exits 2 on bad input: an unknown portal, no name, no subcommand', () => {
    const db = demoDb();
    const cases = [
      [['portal', 'check', 'Nowhere'], /There is no portal named Nowhere\./],
      [['portal', 'check'], /portal check needs the portal NAME/],
      [['portal'], /portal needs a subcommand/],
    ] as const;
    for (const [args, message] of cases) {
      const r = deputy([...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
