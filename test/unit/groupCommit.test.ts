// Group commit (src/main/store/groupCommit.ts): programs' calls that arrive together commit in one transaction, one
// fsync; a call that fails rolls back only itself; the audit chain stays whole; nobody is answered before the COMMIT.
// The keychain is not what is tested here, so the vault is the in-memory one (its reads resolve at once, so calls
// made together are settled in the same batch every time).
import Database from 'better-sqlite3';
import { readFileSync, realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/main/store/groupCommit';
import { startServiceApi, type ServiceApi } from '../../src/main/web/serviceApi';
import type { Credential } from '../../src/main/callers/resolve';
import type { Item } from '../../src/shared/model';
import type { Result } from '../../src/shared/result';
import { demoCore, signIn, type TestCore } from './helpers';

const servers: ServiceApi[] = [];
const readers: Database.Database[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const r of readers.splice(0)) r.close();
});

/**
 * Transactions committed to the WAL since it was last emptied: one commit frame each (the frame header's "database
 * size after commit" is non-zero), and with synchronous = FULL one fsync each. Frames of an older generation of the
 * file (other salts) are not counted.
 */
function walCommits(dbPath: string): number {
  const wal = readFileSync(`${dbPath}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salts[0] || wal.readUInt32BE(at + 12) !== salts[1]) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

/** Empties the WAL, so that walCommits counts from here. */
const emptyWal = (core: TestCore) => core.app.db.pragma('wal_checkpoint(TRUNCATE)');

/** A second connection on the same file: it sees only what was committed. */
function reader(core: TestCore): Database.Database {
  const db = new Database(core.dbPath, { readonly: true });
  readers.push(db);
  return db;
}

/** The demo, a key of po-bot (created by ivan), and `n` drafts po-bot created for jdoe in Purchase Order. */
async function setUp(n = 0) {
  const core = await demoCore();
  await signIn(core, 'ivan');
  const key = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
  const asJdoe: Credential = { kind: 'accessKey', keyId: key.id, secret: key.secret, onBehalfOf: 'jdoe' };
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const r = await core.callWith(asJdoe, 'items.create', { flow: 'Purchase Order', title: `Draft ${i}` });
    if (!r.ok) throw new Error(`items.create: ${r.error.message}`);
    items.push(r.value as Item);
  }
  return { core, key, asJdoe, items };
}

const titleOf = (db: Database.Database, id: number) =>
  db.prepare('SELECT title FROM items WHERE id = ?').pluck().get(id) as string | undefined;

describe('programs’ calls that arrive together commit together', () => {
  it('eight concurrent item updates are one transaction: one commit in the WAL, one batch', async () => {
    const { core, asJdoe, items } = await setUp(8);
    const before = core.lastSeq();
    const batches = core.groupCommit.stats().batches;
    emptyWal(core);
    const results = await Promise.all(
      items.map((it) => core.callWith(asJdoe, 'items.update', { id: it.id, title: `${it.title}, edited` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(walCommits(core.dbPath)).toBe(1);
    expect(core.groupCommit.stats().batches).toBe(batches + 1);
    // Each call still wrote its own History record, as its own user (R-S8).
    const records = core.auditSince(before);
    expect(records.map((r) => [r.action, r.username])).toEqual(items.map(() => ['item.update', 'jdoe (po-bot)']));
    expect(await core.must('admin', 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('calls one after another each commit on their own, as before', async () => {
    const { core, asJdoe, items } = await setUp(3);
    emptyWal(core);
    for (const it of items) await core.callWith(asJdoe, 'items.update', { id: it.id, title: `${it.title}!` });
    expect(walCommits(core.dbPath)).toBe(3);
  });

  it('a call that fails in a batch rolls back only itself: the others are kept, and the chain verifies', async () => {
    const { core, asJdoe, items } = await setUp(4);
    // The History record of one update fails to insert: its item change and record go, its failure is recorded.
    core.app.db.exec(`CREATE TEMP TRIGGER fail_one BEFORE INSERT ON audit_log
      WHEN NEW.action = 'item.update' AND NEW.message LIKE '%explodes%' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const before = core.lastSeq();
    const titles = items.map((it, i) => (i === 1 ? 'this one explodes' : `${it.title} (kept)`));
    emptyWal(core);
    const results = await Promise.all(
      items.map((it, i) => core.callWith(asJdoe, 'items.update', { id: it.id, title: titles[i] })),
    );
    expect(walCommits(core.dbPath)).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'internal' } });
    const db = reader(core);
    expect(items.map((it) => titleOf(db, it.id))).toEqual([titles[0], items[1]!.title, titles[2], titles[3]]);
    const records = core.auditSince(before);
    expect(records.map((r) => [r.log, r.action, r.target])).toEqual([
      ['history', 'item.update', `item:${items[0]!.id}`],
      ['exception', 'items.update', null],
      ['history', 'item.update', `item:${items[2]!.id}`],
      ['history', 'item.update', `item:${items[3]!.id}`],
    ]);
    expect(records.some((r) => r.message.includes('explodes'))).toBe(false);
    // The batch's records are full-text indexed once, at its end: exactly those that stayed, index and log agreeing.
    const matches = (word: string) =>
      db.prepare(`SELECT count(*) FROM audit_fts WHERE audit_fts MATCH ?`).pluck().get(word) as number;
    expect(matches('kept')).toBe(3);
    expect(matches('explodes')).toBe(0);
    core.app.db.exec(`INSERT INTO audit_fts (audit_fts, rank) VALUES ('integrity-check', 1)`);
    core.app.db.exec('DROP TRIGGER fail_one');
    // Nothing in memory ran ahead of the database: the anchored head is the committed tail.
    await core.app.anchor.sync();
    expect(await core.app.anchor.read()).toMatchObject(
      db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as object,
    );
    expect(await core.must('admin', 'audit.verify', {})).toMatchObject({ ok: true, count: core.lastSeq() });
  });

  it('a refused call in a batch keeps its refusal record, and the others their changes', async () => {
    const { core, asJdoe, items } = await setUp(2);
    const before = core.lastSeq();
    const [a, b] = await Promise.all([
      core.callWith(asJdoe, 'items.update', { id: items[0]!.id, title: 'Renamed' }),
      core.callWith(asJdoe, 'items.reopen', { id: items[1]!.id }), // a draft cannot be reopened
    ]);
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(false);
    const records = core.auditSince(before);
    expect(records.map((r) => [r.action, r.outcome])).toEqual([
      ['item.update', 'ok'],
      [expect.stringMatching(/^item/), 'refused'],
    ]);
  });

  it('ten wrong secrets at once lock the key on the tenth, as ten in a row do', async () => {
    const { core, key } = await setUp();
    const before = core.lastSeq();
    const wrong = (i: number): Credential => ({
      kind: 'accessKey',
      keyId: key.id,
      secret: `wrong-${i}`,
      onBehalfOf: 'jdoe',
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => core.callWith(wrong(i), 'access.canI', { checks: [] })),
    );
    expect(results.every((r) => !r.ok && r.error.code === 'unauthenticated')).toBe(true);
    const records = core.auditSince(before);
    expect(records.filter((r) => r.action === 'accessKey.lock')).toHaveLength(1);
    expect(records.filter((r) => r.action === 'accessKey.check').map((r) => r.message.split(': ')[1])).toEqual([
      ...Array<string>(9).fill('invalid'),
      'locked',
    ]);
    const right: Credential = { kind: 'accessKey', keyId: key.id, secret: key.secret, onBehalfOf: 'jdoe' };
    expect(await core.callWith(right, 'access.canI', { checks: [] })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });
});

describe('nobody is answered before the COMMIT', () => {
  it('over HTTP: when each response arrives, another connection already sees that call’s change', async () => {
    const { core, key, items } = await setUp(6);
    const server = await startServiceApi({ callWith: core.callWith });
    servers.push(server);
    const db = reader(core);
    const seen = await Promise.all(
      items.map(async (it) => {
        const res = await fetch(`${server.url}items.update`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString('base64')}`,
            'deputy-on-behalf-of': 'jdoe',
          },
          body: JSON.stringify({ id: it.id, title: `${it.title} over HTTP` }),
        });
        const title = titleOf(db, it.id); // read before the body, as soon as the status line is in
        expect(res.status).toBe(200);
        return title;
      }),
    );
    expect(seen).toEqual(items.map((it) => `${it.title} over HTTP`));
  });

  it('the group commit itself: every call settles after the COMMIT, a thrown one with its error', async () => {
    const { core } = await setUp();
    const { db } = core.app;
    const other = reader(core);
    const groups = createGroupCommit(db);
    const put = (n: number) => () => {
      core.app.audit.append({ operator: null, action: 'test.put', message: `put ${n}` });
      return n;
    };
    const settledAt: { n: number | string; inTransaction: boolean; committed: number }[] = [];
    const committed = () =>
      other.prepare(`SELECT count(*) FROM audit_log WHERE action = 'test.put'`).pluck().get() as number;
    const note = (n: number | string) => settledAt.push({ n, inTransaction: db.inTransaction, committed: committed() });
    const boom = new Error('boom');
    const calls = [
      groups.run(put(1)).then(note),
      groups
        .run(() => {
          put(2)();
          throw boom;
        })
        .catch((err: unknown) => note(err === boom ? 'boom' : 'other')),
      groups.run(put(3)).then(note),
    ];
    expect(committed()).toBe(0); // nothing runs before the batch
    await Promise.all(calls);
    await groups.idle();
    expect(groups.stats()).toEqual({ batches: 1, calls: 3 });
    expect(settledAt).toEqual([
      { n: 1, inTransaction: false, committed: 2 },
      { n: 'boom', inTransaction: false, committed: 2 },
      { n: 3, inTransaction: false, committed: 2 },
    ]);
    expect(other.prepare(`SELECT message FROM audit_log WHERE action = 'test.put' ORDER BY seq`).pluck().all()).toEqual(
      ['put 1', 'put 3'],
    );
    expect(await core.must('admin', 'audit.verify', {})).toMatchObject({ ok: true });
  });

  it('a batch whose COMMIT cannot happen answers every call in it with a storage error, and keeps none', async () => {
    const { core, asJdoe, items } = await setUp(2);
    const blocker = new Database(core.dbPath);
    readers.push(blocker);
    blocker.pragma('busy_timeout = 0');
    blocker.exec('BEGIN IMMEDIATE'); // another process holds the write lock past the busy timeout
    core.app.db.pragma('busy_timeout = 50');
    const before = core.lastSeq();
    const results: Result<unknown>[] = await Promise.all(
      items.map((it) => core.callWith(asJdoe, 'items.update', { id: it.id, title: 'never' })),
    );
    blocker.exec('ROLLBACK');
    core.app.db.pragma('busy_timeout = 5000');
    expect(results).toEqual(
      items.map(() => ({
        ok: false,
        error: { code: 'storage', message: expect.stringMatching(/could not be saved/) },
      })),
    );
    expect(core.lastSeq()).toBe(before);
    expect(items.map((it) => titleOf(reader(core), it.id))).toEqual(items.map((it) => it.title));
  });
});

describe('the head anchor under many calls', () => {
  it('sync() calls made while a step waits to start share it: one keychain write for the newest head', async () => {
    const { core } = await setUp();
    await core.app.anchor.sync();
    const writes: string[] = [];
    const set = core.app.vault.set.bind(core.app.vault);
    core.app.vault.set = async (account, secret) => {
      if (account === 'audit-head') writes.push(secret);
      return set(account, secret);
    };
    core.app.audit.append({ operator: null, action: 'test.head', message: 'moves the head' });
    const syncs = Array.from({ length: 20 }, () => core.app.anchor.sync());
    expect(new Set(syncs).size).toBe(1);
    await Promise.all(syncs);
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0]!)).toEqual({
      seq: core.lastSeq(),
      hash: expect.any(String),
      file: realpathSync(core.dbPath),
    });
  });
});
