// Corrupt and foreign files (issue 21, the fault suite; issue 21 #5): a database file cut short, one with flipped bytes
// in a page, a file that is not SQLite, and another application's SQLite database, each put where the console's
// database was. Each is refused with a message saying exactly what is wrong (and, for a damaged Deputy database, which
// backup to restore and how), nothing is written to it or left beside it, and once the good file is back the console
// opens, signs in and verifies as before.
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { takeBackup } from '../../src/main/backups/backup';
import { verifyAudit } from '../../src/main/audit/verify';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { tempDir } from '../unit/helpers';

const PASSWORD = 'a-good-long-password';
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let dir: string;
let dbPath: string;
let good: string;
let backup: string;
/** The good file's pages, when the fault that cuts it short is made. */
let pages = 0;

beforeAll(async () => {
  dir = tempDir('file');
  dbPath = join(dir, 'deputy.db');
  const core = await createCore({ dbPath, vault: keytarVault });
  const made = await core.call('w', 'setup.createFirstAdmin', {
    username: 'alice',
    displayName: 'Alice',
    password: PASSWORD,
  });
  expect(made.ok).toBe(true);
  for (let i = 0; i < 40; i++) await core.call('w', 'groups.create', { name: `Team ${i}` });
  backup = (await takeBackup(core.app, dbPath, keytarVault)).path;
  await core.close();
  good = join(tempDir('file'), 'good.db');
  copyFileSync(dbPath, good);
});

const putBack = () => copyFileSync(good, dbPath);
afterAll(putBack);

const restoreLine = () =>
  `Its newest backup is ${backup}: restore it with deputy restore ${JSON.stringify(backup)} --db ${JSON.stringify(dbPath)}.`;

function rootPage(table: string): number {
  const db = new Database(good);
  try {
    return db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = ?`).pluck().get(table) as number;
  } finally {
    db.close();
  }
}

const FAULTS: [name: string, make: () => void, message: () => string][] = [
  [
    'a file cut short (a copy that stopped halfway)',
    () => {
      pages = statSync(dbPath).size / 4096;
      truncateSync(dbPath, Math.floor(pages / 2) * 4096);
    },
    () =>
      `${dbPath} is damaged: the file is cut short: it holds ${Math.floor(pages / 2)} of the ${pages} pages its ` +
      `header counts. Deputy writes nothing to a damaged database. ${restoreLine()}`,
  ],
  [
    'flipped bytes in a page (the groups table’s root)',
    () => {
      const bytes = readFileSync(dbPath);
      const at = (rootPage('groups') - 1) * 4096;
      for (let i = 0; i < 8; i++) bytes[at + i]! ^= 0x5a;
      writeFileSync(dbPath, bytes);
    },
    () =>
      `${dbPath} is damaged: SQLite cannot read the groups table (database disk image is malformed). Deputy writes ` +
      `nothing to a damaged database. ${restoreLine()}`,
  ],
  [
    'a file that is not SQLite',
    () => writeFileSync(dbPath, 'name,role\nalice,admin\n'.repeat(500)),
    () => `${dbPath} is not a Deputy database (it is not an SQLite file). It was left untouched.`,
  ],
  [
    'an SQLite database that is not Deputy’s',
    () => {
      rmSync(dbPath);
      const db = new Database(dbPath);
      db.pragma('journal_mode = DELETE');
      db.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);`);
      db.close();
    },
    () => `${dbPath} is an SQLite database of another application, not Deputy's. It was left untouched.`,
  ],
];

describe('corrupt and foreign files in place of the database', () => {
  it.each(FAULTS)(
    '%s: refused with a precise message, nothing written, and the console works once the good file is back',
    async (_name, make, message) => {
      putBack();
      make();
      const before = digest(dbPath);
      const beside = readdirSync(dir).sort();
      await expect(createCore({ dbPath, vault: keytarVault })).rejects.toThrow(message());
      expect(digest(dbPath)).toBe(before);
      expect(readdirSync(dir).sort()).toEqual(beside);

      putBack();
      const core = await createCore({ dbPath, vault: keytarVault });
      try {
        expect(await core.call('w', 'auth.signIn', { username: 'alice', password: PASSWORD })).toMatchObject({
          ok: true,
        });
        expect(await core.call('w', 'groups.list', {})).toMatchObject({ ok: true });
        await core.app.anchor.sync();
        expect(await verifyAudit(core.app.db, core.app.vault, core.app.anchor)).toMatchObject({ ok: true });
      } finally {
        await core.close();
      }
      // The console moved the keychain's anchor on: the next fault starts from this file, or verify would rightly call
      // the older one cut off.
      copyFileSync(dbPath, good);
    },
  );
});
