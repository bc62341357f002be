import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, migrate, type Migration } from '../../src/main/store/migrations';
import { tempDir } from './helpers';

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('store: opening the database', () => {
  it('creates a new file with WAL, foreign keys, FULL sync and every migration applied', async () => {
    const db = await openDatabase(join(tempDir(), 'nested', 'deputy.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });

  it('reopens its own database without migrating again', async () => {
    const path = join(tempDir(), 'deputy.db');
    (await openDatabase(path)).close();
    const db = await openDatabase(path);
    expect(db.prepare(`SELECT count(*) AS n FROM groups WHERE name = 'Service Account'`).get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a file that is not SQLite and leaves it untouched', async () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(100));
    const before = digest(path);
    await expect(openDatabase(path)).rejects.toThrow(
      /not a Deputy database \(it is not an SQLite file\).*left untouched/,
    );
    expect(digest(path)).toBe(before);
  });

  it("refuses another application's SQLite database and leaves it untouched", async () => {
    const path = join(tempDir(), 'other.db');
    const other = new Database(path);
    other.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);`);
    other.close();
    const before = digest(path);
    await expect(openDatabase(path)).rejects.toThrow(/another application, not Deputy's.*left untouched/);
    expect(digest(path)).toBe(before);
  });

  it('refuses a database written by a newer Deputy and leaves it untouched', async () => {
    const path = join(tempDir(), 'future.db');
    (await openDatabase(path)).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 10}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = digest(path);
    await expect(openDatabase(path)).rejects.toThrow(
      new RegExp(`newer Deputy \\(schema ${LATEST_VERSION + 10}; this version knows up to ${LATEST_VERSION}\\)`),
    );
    expect(digest(path)).toBe(before);
  });
});

describe('store: migrations', () => {
  it('are numbered in increasing steps', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('upgrade a database built to an older version, keeping its data', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    db.prepare(
      `INSERT INTO principals (username, kind, status, created_at, updated_at) VALUES ('kept', 'human', 'active', 'now', 'now')`,
    ).run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare(`SELECT username FROM principals`).all()).toEqual([{ username: 'kept' }]);
  });

  it('roll a failing migration back whole: no partial schema, version unchanged', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken: Migration = {
      version: LATEST_VERSION + 10,
      name: 'broken',
      up(d) {
        d.exec(`CREATE TABLE half_done (id INTEGER)`);
        throw new Error('disk on fire');
      },
    };
    expect(() => migrate(db, broken.version, [...MIGRATIONS, broken])).toThrow('disk on fire');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half_done'`).get()).toBeUndefined();
  });

  it('serve the directory page from the username index, with no sort step', () => {
    const db = new Database(':memory:');
    migrate(db);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM principals p WHERE p.username > ? ORDER BY p.username, p.id LIMIT 26`)
      .all('m')
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_principals_1/);
    expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });
});

describe('store: the audit table is append-only (R-L2)', () => {
  it('refuses UPDATE and DELETE of audit records', async () => {
    const db = await openDatabase(join(tempDir(), 'deputy.db'));
    db.prepare(
      `INSERT INTO audit_log (ts, log, username, action, outcome, message, key_id, prev_hash, hash)
       VALUES ('t', 'main', 'x', 'a', 'ok', 'm', '', '', '')`,
    ).run();
    expect(() => db.prepare(`UPDATE audit_log SET message = 'changed'`).run()).toThrow(/append-only.*changed/);
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only.*deleted/);
    expect(db.prepare(`SELECT message FROM audit_log`).get()).toEqual({ message: 'm' });
    db.close();
  });
});
