// Issue 22 #5 and issue 21 #5: backups taken while the console runs, restores that check the file first and are
// recorded on both sides, and a damaged database refused with the way back. Real files, the real keychain.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { takeBackup } from '../../src/main/backups/backup';
import { restoreBackup, type RestorePlan } from '../../src/main/backups/restore';
import { verifyAudit } from '../../src/main/audit/verify';
import { newestBackup } from '../../src/main/store/backupFiles';
import { LATEST_VERSION } from '../../src/main/store/migrations';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { tempCore, tempDir, type TestCore } from './helpers';

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const vault = keytarVault;

const PASSWORD = 'a-good-long-password';

/** A console with its first Super Admin signed in as `admin` (the demo would cost seconds of password hashing). */
async function aliceCore(): Promise<TestCore> {
  const core = await tempCore(vault);
  await core.must('admin', 'setup.createFirstAdmin', { username: 'alice', displayName: 'Alice', password: PASSWORD });
  return core;
}

/** A change to tell the database's states apart by: a group of that name. */
const createItem = (core: TestCore, name: string) => core.must('admin', 'groups.create', { name });

const itemTitles = (db: Database.Database) => db.prepare(`SELECT name FROM groups ORDER BY name`).pluck().all();

/** Verifies the log the way `deputy audit verify` does, against the head anchored in the keychain. */
async function verified(core: Core) {
  await core.app.anchor.sync();
  return verifyAudit(core.app.db, core.app.vault, core.app.anchor);
}

/** Read-write, though it only reads: closing it removes the -wal and -shm it made, as a read-only one would not. */
function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const yes = async () => true;

describe('issue 22 #5: deputy backup', () => {
  it('copies the database while the console keeps writing, checks the copy, and records it in the log', async () => {
    const core = await aliceCore();
    // The console keeps working during the copy: its calls are not refused nor lost.
    const during = Promise.all([createItem(core, 'During 1'), createItem(core, 'During 2')]);
    const taken = await takeBackup(core.app, core.dbPath, vault);
    await during;
    expect(basename(taken.path)).toMatch(
      new RegExp(`^deputy\\.db\\.schema-${LATEST_VERSION}\\.2026-11-23T09-00-00Z\\.bak$`),
    );
    expect(dirname(taken.path)).toBe(dirname(core.dbPath));
    expect(taken.sha256).toBe(digest(taken.path));
    expect(existsSync(`${taken.path}-wal`)).toBe(false); // one file, to be moved as it is
    withDb(taken.path, (db) => {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare(`SELECT count(*) FROM audit_log`).pluck().get()).toBe(taken.records);
    });
    const record = core.auditSince(0).find((r) => r.action === 'backup.create');
    expect(record).toMatchObject({ target: taken.path, outcome: 'ok' });
    expect(JSON.parse(record!.details)).toMatchObject({ sha256: taken.sha256, records: taken.records });
    expect(await createItem(core, 'After')).toContainEqual(expect.objectContaining({ name: 'After' }));
    expect(await verified(core)).toMatchObject({ ok: true });
  });

  it('goes into a folder under its default name, and never overwrites a file', async () => {
    const core = await aliceCore();
    const folder = tempDir();
    const taken = await takeBackup(core.app, core.dbPath, vault, folder);
    expect(dirname(taken.path)).toBe(folder);
    const before = digest(taken.path);
    await expect(takeBackup(core.app, core.dbPath, vault, taken.path)).rejects.toThrow(
      `${taken.path} exists already; a backup never overwrites a file. Name another.`,
    );
    expect(digest(taken.path)).toBe(before);
  });

  it('a log whose chain is broken is not backed up: the copy is removed and the failure says where', async () => {
    const core = await aliceCore();
    core.app.db.exec(`DROP TRIGGER audit_log_no_update`);
    core.app.db.prepare(`UPDATE audit_log SET message = 'rewritten' WHERE seq = 2`).run();
    const dest = join(tempDir(), 'broken.bak');
    await expect(takeBackup(core.app, core.dbPath, vault, dest)).rejects.toThrow(
      `The audit chain in The backup ${dest} does not verify: record 2 (changed)`,
    );
    expect(existsSync(dest)).toBe(false);
  });
});

/** A demo database with a backup taken, then one more item made after it; the console closed. */
async function backedUp() {
  const core = await aliceCore();
  await createItem(core, 'Before the backup');
  const taken = await takeBackup(core.app, core.dbPath, vault);
  await createItem(core, 'After the backup');
  await core.close();
  return { dbPath: core.dbPath, backup: taken.path, clock: core.clock.fn };
}

describe('issue 22 #5: deputy restore', () => {
  it('puts the backup back, keeps the replaced file, records the restore in both, and the chain verifies', async () => {
    const { dbPath, backup, clock } = await backedUp();
    const plans: RestorePlan[] = [];
    const outcome = await restoreBackup({
      dbPath,
      file: backup,
      vault,
      clock,
      confirm: async (plan) => (plans.push(plan), true),
    });
    expect(outcome.restored).toBe(true);
    const plan = plans[0]!;
    expect(plan).toMatchObject({
      dbPath,
      file: backup,
      backup: { schema: LATEST_VERSION, fromSchema: LATEST_VERSION, sha256: digest(backup) },
      current: { state: 'whole' },
      keptAs: `${dbPath}.before-restore.2026-11-23T09-00-00Z.db`,
    });
    withDb(dbPath, (db) => expect(itemTitles(db)).toContain('Before the backup'));
    withDb(dbPath, (db) => expect(itemTitles(db)).not.toContain('After the backup'));
    // The replaced database is kept, with its own record of the restore as its newest.
    withDb(plan.keptAs!, (db) => {
      expect(itemTitles(db)).toContain('After the backup');
      const last = db.prepare(`SELECT action, target, details FROM audit_log ORDER BY seq DESC LIMIT 1`).get();
      expect(last).toMatchObject({ action: 'backup.restore', target: backup });
      expect(JSON.parse((last as { details: string }).details)).toMatchObject({ phase: 'before' });
    });

    const core = await createCore({ dbPath, vault, clock });
    try {
      const restoreRecord = core.app.db
        .prepare(`SELECT seq, action, target, message, details FROM audit_log WHERE action = 'backup.restore'`)
        .all() as { seq: number; target: string; message: string; details: string }[];
      expect(restoreRecord).toHaveLength(1);
      expect(restoreRecord[0]).toMatchObject({ seq: plan.backup.head!.seq + 1, target: backup });
      expect(restoreRecord[0]!.message).toContain(`the replaced database is kept as ${plan.keptAs}`);
      expect(JSON.parse(restoreRecord[0]!.details)).toMatchObject({ phase: 'after', keptAs: plan.keptAs });
      // The anchor was moved to the restored log deliberately: verify does not call it truncated.
      expect(await verified(core)).toMatchObject({ ok: true });
      const r = await core.call('w', 'auth.signIn', { username: 'alice', password: PASSWORD });
      expect(r.ok).toBe(true);
    } finally {
      await core.close();
    }
  });

  it('is refused while a console has the database open, and nothing is replaced', async () => {
    const { dbPath, backup, clock } = await backedUp();
    const running = await createCore({ dbPath, vault, clock });
    try {
      const before = running.app.db.prepare(`SELECT max(seq) FROM audit_log`).pluck().get();
      await expect(restoreBackup({ dbPath, file: backup, vault, clock, confirm: yes })).rejects.toThrow(
        `${dbPath} is open in a running Deputy (the window, deputy serve or another command). Close it first`,
      );
      expect(running.app.db.prepare(`SELECT max(seq) FROM audit_log`).pluck().get()).toBe(before);
      expect(itemTitles(running.app.db)).toContain('After the backup');
    } finally {
      await running.close();
    }
  });

  it.each([
    ['a text file', (path: string) => writeFileSync(path, 'not a database\n'.repeat(50)), 'is not a Deputy database'],
    [
      "another application's SQLite file",
      (path: string) => {
        const db = new Database(path);
        db.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY)`);
        db.close();
      },
      "is an SQLite database of another application, not Deputy's.",
    ],
  ])('%s is refused before anything is replaced', async (_what, make, message) => {
    const { dbPath, clock } = await backedUp();
    const file = join(tempDir(), 'not-a-backup.bak');
    make(file);
    const before = digest(dbPath);
    const refused = restoreBackup({ dbPath, file, vault, clock, confirm: yes });
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.toThrow(/Nothing was replaced\.$/);
    expect(digest(dbPath)).toBe(before);
    expect(readdirSync(dirname(dbPath)).filter((n) => n.includes('restoring') || n.includes('before-restore'))).toEqual(
      [],
    );
  });

  it('a backup whose audit chain does not verify is refused before anything is replaced', async () => {
    const { dbPath, backup, clock } = await backedUp();
    const tampered = join(tempDir(), 'tampered.bak');
    copyFileSync(backup, tampered);
    const db = new Database(tampered);
    db.exec(`DROP TRIGGER audit_log_no_update`);
    db.prepare(`UPDATE audit_log SET message = 'rewritten' WHERE seq = 2`).run();
    db.close();
    const before = digest(dbPath);
    await expect(restoreBackup({ dbPath, file: tampered, vault, clock, confirm: yes })).rejects.toThrow(
      `The audit chain in ${tampered} does not verify: record 2 (changed): Record 2 was changed after it was written. ` +
        'Nothing was replaced.',
    );
    expect(digest(dbPath)).toBe(before);
  });

  it('onto a machine with no database yet: the folder and the database are made from the backup', async () => {
    const { backup, clock } = await backedUp();
    const dbPath = join(tempDir(), 'new', 'deputy.db');
    const plans: RestorePlan[] = [];
    const outcome = await restoreBackup({ dbPath, file: backup, vault, clock, confirm: async (p) => !!plans.push(p) });
    expect(outcome.restored).toBe(true);
    expect(plans[0]).toMatchObject({ current: null, keptAs: null });
    withDb(dbPath, (db) => expect(itemTitles(db)).toContain('Before the backup'));
  });

  it('the database itself is not a backup of it', async () => {
    const { dbPath, clock } = await backedUp();
    await expect(restoreBackup({ dbPath, file: dbPath, vault, clock, confirm: yes })).rejects.toThrow(
      `${dbPath} is the database itself, not a backup of it.`,
    );
  });

  it('answered no, replaces nothing', async () => {
    const { dbPath, backup, clock } = await backedUp();
    const before = digest(dbPath);
    const outcome = await restoreBackup({ dbPath, file: backup, vault, clock, confirm: async () => false });
    expect(outcome.restored).toBe(false);
    expect(digest(dbPath)).toBe(before);
    expect(existsSync(`${dbPath}.restoring`)).toBe(false);
  });

  it('brings a damaged database back, keeping the damaged file aside', async () => {
    const { dbPath, backup, clock } = await backedUp();
    damagePage(dbPath, 'principals');
    await expect(createCore({ dbPath, vault, clock })).rejects.toThrow(`${dbPath} is damaged: `);
    const damaged = digest(dbPath);
    const plans: RestorePlan[] = [];
    const outcome = await restoreBackup({ dbPath, file: backup, vault, clock, confirm: async (p) => !!plans.push(p) });
    expect(outcome.restored).toBe(true);
    expect(plans[0]?.current).toMatchObject({ state: 'damaged' });
    expect(digest(plans[0]!.keptAs!)).toBe(damaged);
    const core = await createCore({ dbPath, vault, clock });
    try {
      expect(await verified(core)).toMatchObject({ ok: true });
    } finally {
      await core.close();
    }
  });
});

/** Flips the bytes of the b-tree page header of a table's root page: SQLite's integrity check then fails there. */
function damagePage(path: string, table: string): void {
  const { rootpage, pageSize } = withDb(path, (db) => ({
    rootpage: db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = ?`).pluck().get(table) as number,
    pageSize: db.pragma('page_size', { simple: true }) as number,
  }));
  const bytes = readFileSync(path);
  for (let i = 0; i < 12; i++) bytes[(rootpage - 1) * pageSize + i]! ^= 0xff;
  writeFileSync(path, bytes);
}

describe('issue 21 #5: a damaged database is refused, with the way back', () => {
  it('names the newest backup beside it and the deputy restore line; nothing is written', async () => {
    const { dbPath, clock } = await backedUp();
    const core = await createCore({ dbPath, vault, clock });
    const second = await takeBackup(core.app, dbPath, vault);
    await core.close();
    expect(newestBackup(dbPath)).toBe(second.path);
    damagePage(dbPath, 'principals');
    const before = digest(dbPath);
    await expect(createCore({ dbPath, vault, clock })).rejects.toThrow(
      `${dbPath} is damaged: SQLite's integrity check fails (`,
    );
    await expect(createCore({ dbPath, vault, clock })).rejects.toThrow(
      `Deputy writes nothing to a damaged database. Its newest backup is ${second.path}: restore it with ` +
        `deputy restore ${JSON.stringify(second.path)} --db ${JSON.stringify(dbPath)}.`,
    );
    expect(digest(dbPath)).toBe(before);
    expect(readdirSync(dirname(dbPath)).filter((n) => n.endsWith('-wal') || n.endsWith('-shm'))).toEqual([]);
  });

  it('without a backup beside it, says so', async () => {
    const core = await aliceCore();
    await core.close();
    damagePage(core.dbPath, 'principals');
    await expect(createCore({ dbPath: core.dbPath, vault })).rejects.toThrow(
      `No backup of it was found beside it (deputy.db.schema-NNN.<time>.bak): restore one kept elsewhere with ` +
        `deputy restore FILE --db ${JSON.stringify(core.dbPath)}.`,
    );
  });
});
