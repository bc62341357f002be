// Issue 22 #3 and #5 from the terminal: `deputy --version`, where a new database is, `deputy backup` and
// `deputy restore` as an administrator's script runs them (the built bin, real files, the real keychain).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../src/main/store/migrations';
import { tempDir } from './helpers';

const root = join(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/cli.js'))) {
    spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
}, 120_000);

function deputy(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/deputy.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEPUTY_PASSWORD: 'a-good-long-password', ...env },
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const groups = (db: string) => {
  const d = new Database(db);
  try {
    return d.prepare(`SELECT name FROM groups ORDER BY name`).pluck().all();
  } finally {
    d.close();
  }
};

describe('issue 22 #3: deputy --version and the first start', () => {
  it('prints the version, the schema, where the database is and the keychain found', () => {
    const db = join(tempDir(), 'deputy.db');
    const r = deputy(['--version', '--db', db]);
    expect(r.code).toBe(0);
    const schema = String(LATEST_VERSION).padStart(3, '0');
    expect(r.stdout.split('\n')).toEqual([
      `deputy ${version}`,
      `schema ${schema} (opens Deputy databases of schema 010 to ${schema}; an older one is backed up beside itself, then upgraded)`,
      `database ${db} (not created yet: the first start, or deputy init, creates it)`,
      'keychain Secret Service',
      '',
    ]);
    expect(existsSync(db)).toBe(false);
  });

  it('says why there is no keychain when no D-Bus session reaches one', () => {
    const r = deputy(['version'], { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /\nkeychain none: .*\(no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set, so no Secret Service answers\)\n$/,
    );
  });

  it('init says where it created the database', () => {
    const db = join(tempDir(), 'deputy.db');
    const r = deputy(['init', '--db', db, '--username', 'root', '--display-name', 'Rita Root']);
    expect(r).toMatchObject({
      code: 0,
      stdout: `Created a new database at ${db}.\nCreated the first Super Admin root.\n`,
      stderr: '',
    });
  });
});

describe('issue 22 #5: deputy backup and deputy restore', () => {
  it('backs up, refuses to restore without a confirmation, restores with --yes, and the log verifies', () => {
    const db = join(tempDir(), 'deputy.db');
    expect(deputy(['init', '--db', db, '--username', 'root', '--display-name', 'Rita Root']).code).toBe(0);
    const backup = deputy(['backup', '--db', db]);
    expect(backup.code, backup.stderr).toBe(0);
    const file = /to (.+\.bak): schema/.exec(backup.stdout)?.[1];
    expect(file).toMatch(new RegExp(`deputy\\.db\\.schema-${LATEST_VERSION}\\.[0-9T-]+Z\\.bak$`));
    expect(backup.stdout).toContain('the chain verified in the copy. SHA-256 ');

    // A change after the backup, which the restore takes back.
    const d = new Database(db);
    d.prepare(`INSERT INTO groups (name) VALUES ('After the backup')`).run();
    d.close();

    const unconfirmed = deputy(['restore', file!, '--db', db]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`Restore ${db} from the backup ${file}?`);
    expect(unconfirmed.stderr).toContain('No terminal to confirm in: add --yes to go ahead from a script.');
    expect(groups(db)).toContain('After the backup');

    const restored = deputy(['restore', file!, '--db', db, '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`Restored ${db} with the backup ${file}`);
    expect(groups(db)).not.toContain('After the backup');
    const verify = deputy(['audit', 'verify', '--db', db]);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: \d+ records, chain intact/) });
    const d2 = new Database(db);
    const runs = d2.prepare(`SELECT action, message FROM audit_log WHERE log = 'script' ORDER BY seq`).all() as {
      action: string;
      message: string;
    }[];
    d2.close();
    expect(runs.map((r) => r.action)).toContain('cli.restore');
  });

  it('a file that is not a backup is refused with exit 1 and nothing replaced', () => {
    const dir = tempDir();
    const db = join(dir, 'deputy.db');
    expect(deputy(['init', '--db', db, '--username', 'root', '--display-name', 'Rita Root']).code).toBe(0);
    const notes = join(dir, 'notes.bak');
    writeFileSync(notes, 'not a database\n'.repeat(40));
    const r = deputy(['restore', notes, '--db', db, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `deputy: ${notes} is not a Deputy database (it is not an SQLite file). Nothing was replaced.`,
    );
  });
});
