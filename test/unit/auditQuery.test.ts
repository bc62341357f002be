// The auditor's view: filters, newest first, keyset pages by seq; attribution on every record (R-L3).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/store/migrations';
import { AUDIT_BLOCK_BITS, queryAudit } from '../../src/main/audit/query';
import { DEMO_PASSWORD, demoCore, tempCore } from './helpers';
import { statementsRun } from '../support/sqlSpy';

async function busyLog() {
  const core = await demoCore();
  await core.must('a', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
  await core.as('w', 'auth.signIn', { username: 'jdoe', password: 'wrong-password-1' });
  core.clock.advance(60_000);
  await core.must('admin', 'settings.update', { idleLockMinutes: 20 });
  await core.as('a', 'settings.update', { idleLockMinutes: 99 });
  return core;
}

describe('R-L3: every change and refusal is recorded with operator, effective user and time', () => {
  it('lists records newest first with their attribution and chain position', async () => {
    const core = await busyLog();
    const page = await core.must('a', 'audit.list', {});
    expect(page.rows.map((r) => r.seq)).toEqual([...page.rows.map((r) => r.seq)].sort((a, b) => b - a));
    const refused = page.rows.find((r) => r.operator === 'audrey' && r.outcome === 'refused');
    expect(refused).toMatchObject({
      effectiveUser: 'audrey',
      username: 'audrey',
      action: 'settings.update',
      log: 'main',
    });
    expect(refused?.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const change = page.rows.find((r) => r.action === 'settings.update' && r.outcome === 'ok');
    expect(change).toMatchObject({
      operator: 'alice',
      log: 'history',
      details: { field: 'idleLockMinutes', old: 15, new: 20 },
    });
    expect(change?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('filters by log, operator, outcome, action, text and time', async () => {
    const core = await busyLog();
    const list = async (q: Parameters<typeof core.must<'audit.list'>>[2]) =>
      (await core.must('a', 'audit.list', q)).rows;
    expect((await list({ log: 'history' })).every((r) => r.log === 'history')).toBe(true);
    expect((await list({ operator: 'audrey' })).map((r) => r.action)).toEqual(['settings.update', 'auth.signIn']);
    expect((await list({ outcome: 'refused' })).map((r) => [r.operator, r.target])).toEqual([
      ['audrey', 'account'],
      [null, 'jdoe'],
    ]);
    expect((await list({ text: 'Idle lock' })).map((r) => r.message)).toEqual(['Idle lock: 15 → 20 minutes']);
    expect((await list({ text: '%' })).length).toBe(0);
    // Full-text: words in any order, any case, FTS syntax treated as text.
    expect((await list({ text: 'LOCK idle' })).map((r) => r.seq)).toEqual(
      (await list({ text: 'Idle lock' })).map((r) => r.seq),
    );
    expect(await list({ text: 'refused NEAR("x' })).toEqual([]);
    // A control character separates words (a NUL used to end SQLite's reading of the query: an internal error).
    expect((await list({ text: 'Idle\u0000lock' })).map((r) => r.seq)).toEqual(
      (await list({ text: 'Idle lock' })).map((r) => r.seq),
    );
    const later = await list({ from: '2026-11-23T09:00:30Z' });
    expect(later.map((r) => r.action)).toEqual(['settings.update', 'settings.update']);
    const seq = core.lastSeq();
    for (const text of ['\u0000', ' \t\u0007 ']) {
      expect(await core.as('a', 'audit.list', { text })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringMatching(/needs a word to search for/) as unknown },
      });
    }
    // R-L3: refused by the input's schema, and recorded as refused.
    expect(core.auditSince(seq).map((r) => [r.action, r.outcome, JSON.parse(r.details) as unknown])).toEqual([
      ['audit.list', 'refused', { code: 'invalid_input', field: 'text' }],
      ['audit.list', 'refused', { code: 'invalid_input', field: 'text' }],
    ]);
  });

  it('takes From and To as dates or dates and times (UTC); a To date covers that whole day', async () => {
    const core = await busyLog(); // every record on 2026-11-23, between 09:00 and 09:01 UTC
    const count = async (q: { from?: string; to?: string }) => (await core.must('a', 'audit.list', q)).rows.length;
    const all = await count({});
    expect(all).toBeGreaterThan(3);
    expect(await count({ from: '2026-11-23' })).toBe(all);
    expect(await count({ to: '2026-11-23' })).toBe(all); // the whole of the 23rd
    expect(await count({ to: '2026-11-22' })).toBe(0);
    expect(await count({ from: '2026-11-24' })).toBe(0);
    expect(await count({ from: '2026-11-23 09:00:30', to: '2026-11-23T09:02' })).toBe(2);
    expect(await count({ from: '2026-11-23T10:00:30+01:00' })).toBe(2); // an offset is honoured
    for (const from of ['yesterday', '2026-02-30', '2026-11-23 25:00', '23/11/2026']) {
      expect(await core.as('a', 'audit.list', { from })).toEqual({
        ok: false,
        error: {
          code: 'invalid_input',
          field: 'from',
          message: 'Write a date such as 2026-12-01, or a date and time such as 2026-12-01 09:30 (UTC).',
        },
      });
    }
  });

  it('filters by the start of an action: impersonation finds its start and end records', async () => {
    const core = await demoCore();
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'check' });
    await core.must('admin', 'impersonation.end', {});
    const actions = async (action: string) =>
      new Set((await core.must('admin', 'audit.list', { action })).rows.map((r) => r.action));
    expect(await actions('impersonation')).toEqual(new Set(['impersonation.start', 'impersonation.end']));
    expect(await actions('impersonation.end')).toEqual(new Set(['impersonation.end']));
    expect(await actions('impersonation.x')).toEqual(new Set());
    // The walk over the action index gives the same answer as the plain filter, with a second filter too.
    expect((await core.must('admin', 'audit.list', { action: 'auth', operator: 'alice' })).rows.length).toBe(
      (await core.must('admin', 'audit.list', { action: 'auth', text: 'alice' })).rows.filter((r) =>
        r.action.startsWith('auth'),
      ).length,
    );
  });

  it('finds an impersonation session by its reason and its ticket, as Sessions shows them', async () => {
    const core = await demoCore();
    await core.must('admin', 'impersonation.start', {
      username: 'jdoe',
      reason: 'Quarterly reconciliation',
      ticket: 'INC-4711',
    });
    await core.must('admin', 'impersonation.end', {});
    for (const text of ['reconciliation', 'INC-4711', 'quarterly inc-4711']) {
      const rows = (await core.must('admin', 'audit.list', { text })).rows;
      expect(
        rows.map((r) => r.action),
        text,
      ).toEqual(['impersonation.start']);
    }
    // The day chart counts it too.
    const days = await core.must('admin', 'audit.countsPerDay', { text: 'INC-4711' });
    expect(days.reduce((n, d) => n + d.count, 0)).toBe(1);
  });

  it('says what a session number is, rather than "expected number, received null"', async () => {
    const core = await demoCore();
    for (const session of [null, 'twelve', 1.5, 0]) {
      expect(await core.as('admin', 'audit.list', { session } as never)).toEqual({
        ok: false,
        error: {
          code: 'invalid_input',
          field: 'session',
          message: 'A session number is a whole number such as 12, as the Sessions tab shows it.',
        },
      });
    }
  });

  it('pages by keyset: every record once, in order', async () => {
    const core = await busyLog();
    const all = (await core.must('a', 'audit.list', { limit: 500 })).rows.map((r) => r.seq);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await core.must('a', 'audit.list', { limit: 2, ...(before ? { before } : {}) });
      seen.push(...page.rows.map((r) => r.seq));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toEqual(all);
  });

  it('is refused to a User Admin, and that is recorded too', async () => {
    const core = await demoCore();
    await core.must('u', 'auth.signIn', { username: 'ursula', password: DEMO_PASSWORD });
    expect(await core.as('u', 'audit.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('serves every indexed filter from its index: no statement it runs scans the log', () => {
    const db = new Database(':memory:');
    migrate(db);
    insertRaw(db)(1, 'x', 'y', 'z'); // a record, so that a block walk has a block to look in
    const filters: Parameters<typeof queryAudit>[1][] = [
      { operator: 'x', limit: 100 },
      { effectiveUser: 'x', limit: 100 },
      { effectiveUser: 'x', action: 'x', limit: 100 },
      { action: 'x', limit: 100 },
      { action: 'x', operator: 'y', limit: 100 },
      { log: 'history', limit: 100 },
      { log: 'history', operator: 'x', from: '2026-01-01T00:00:00Z', limit: 100 },
      { impersonator: 'x', limit: 100 },
      { session: 1, limit: 100 },
      { text: 'x', limit: 100 },
    ];
    for (const filter of filters) {
      const plans = statementsOf(db, filter).map(({ sql, params }) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join('\n'),
      );
      expect(plans.length, JSON.stringify(filter)).toBeGreaterThan(0);
      for (const plan of plans) {
        expect(plan, JSON.stringify(filter)).not.toMatch(/SCAN audit_log(?! USING)/);
        // A sort is only allowed where few rows can match (one session, one impersonator's records); an action
        // prefix sorts within each block ("RIGHT PART OF ORDER BY"), never the whole match.
        if (!filter.session) expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
      // The effective user is found through two indexes: the operator's, and the one of records done as another.
      if (filter.effectiveUser) expect(plans.join('\n')).toMatch(/audit_log_operator[^]*audit_log_acted_as/);
    }
  });

  it('re-indexes a log written before migrations 080, 090 and 100: its records are found by filter and by text', () => {
    const db = new Database(':memory:');
    migrate(db, 70);
    const insert = insertRaw(db);
    // Every seventh record done by u3 as somebody else (u1), the rest by each operator as themselves.
    for (let seq = 1; seq <= BLOCK + 10; seq++)
      insert(seq, `u${seq % 5}`, seq % 7 ? `u${seq % 5}` : 'u1', 'old.action');
    migrate(db);
    const seqs = queryAudit(db, { operator: 'u3', limit: 5000 }).rows.map((r) => r.seq);
    expect(seqs).toEqual(db.prepare(`SELECT seq FROM audit_log WHERE operator = 'u3' ORDER BY seq DESC`).pluck().all());
    expect(seqs.length).toBe(Math.floor((BLOCK + 10 - 3) / 5) + 1);
    const asU1 = queryAudit(db, { effectiveUser: 'u1', limit: 5000 }).rows.map((r) => r.seq);
    expect(asU1).toEqual(
      db.prepare(`SELECT seq FROM audit_log WHERE effective_user = 'u1' ORDER BY seq DESC`).pluck().all(),
    );
    expect(asU1.some((seq) => seq % 5 !== 1)).toBe(true); // some done by others as u1
    // Written straight into the table, these were never in the full-text index; 090 rebuilt it from the log.
    expect(queryAudit(db, { text: 'old', limit: 10 }).rows.map((r) => r.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => BLOCK + 10 - i),
    );
  });

  it('migration 180 indexes the reason and ticket of sessions started before it', () => {
    const db = new Database(':memory:');
    migrate(db, 170);
    db.prepare(
      `INSERT INTO audit_log (seq, ts, log, operator, effective_user, username, action, outcome, message, details,
        key_id, prev_hash, hash)
       VALUES (1, '2026-01-01T00:00:00.000Z', 'main', 'alice', 'jdoe', 'jdoe', 'impersonation.start', 'ok',
        'Impersonation start: jdoe by: alice', '{"session":1,"reason":"Payroll fix","ticket":"CHG-9"}', '', '', '')`,
    ).run();
    expect(queryAudit(db, { text: 'CHG-9', limit: 10 }).rows).toEqual([]);
    migrate(db);
    expect(queryAudit(db, { text: 'CHG-9', limit: 10 }).rows.map((r) => r.seq)).toEqual([1]);
    expect(queryAudit(db, { text: 'payroll', limit: 10 }).rows.map((r) => r.seq)).toEqual([1]);
    expect(queryAudit(db, { text: 'Impersonation start', limit: 10 }).rows.map((r) => r.seq)).toEqual([1]);
  });

  it('walks the index blocks newest first: the same records as a plain query, page after page', async () => {
    const core = await tempCore();
    const { db, audit } = core.app;
    // Three blocks and a bit; `rare` only in the first and third, `often` in all, `never` nowhere. Some records are
    // done as somebody else: by `often` as `rare` (in the second block too), by `rare` as `other`.
    const total = 3 * BLOCK + 100;
    db.transaction(() => {
      for (let i = 1; i <= total; i++) {
        const inFirstOrThird = Math.floor(i / BLOCK) === 0 || Math.floor(i / BLOCK) === 2;
        const operator = inFirstOrThird && i % 97 === 0 ? 'rare' : i % 3 === 0 ? 'often' : 'other';
        const actedAs = i % 89 === 0 ? (operator === 'often' ? 'rare' : operator === 'rare' ? 'other' : null) : null;
        audit.append({
          operator,
          ...(actedAs ? { effectiveUser: actedAs, impersonator: operator } : {}),
          action: i % 300 === 0 ? 'rare' : i % 2 ? 'odd' : 'even',
          message: `record ${i}`,
        });
      }
    })();
    const plain = (where: string, ...params: string[]) =>
      db
        .prepare(`SELECT seq FROM audit_log WHERE ${where} ORDER BY seq DESC`)
        .pluck()
        .all(...params) as number[];
    const walk = (q: Omit<Parameters<typeof queryAudit>[1], 'limit' | 'before'>, limit: number) => {
      const seen: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = queryAudit(db, { ...q, limit, ...(before ? { before } : {}) });
        expect(page.rows.length).toBeLessThanOrEqual(limit);
        seen.push(...page.rows.map((r) => r.seq));
        if (page.next === null) return seen;
        before = page.next;
      }
    };
    expect(plain(`operator = 'rare'`).length).toBeGreaterThan(40);
    expect(walk({ operator: 'rare' }, 7)).toEqual(plain(`operator = 'rare'`));
    expect(walk({ operator: 'often' }, 500)).toEqual(plain(`operator = 'often'`));
    expect(walk({ operator: 'often', action: 'odd' }, 333)).toEqual(plain(`operator = 'often' AND action = 'odd'`));
    expect(plain(`effective_user = 'rare' AND operator = 'often'`).length).toBeGreaterThan(5);
    expect(plain(`effective_user = 'other' AND operator = 'rare'`).length).toBeGreaterThan(0);
    expect(walk({ effectiveUser: 'rare' }, 1000)).toEqual(plain(`effective_user = 'rare'`));
    expect(walk({ effectiveUser: 'rare' }, 9)).toEqual(plain(`effective_user = 'rare'`));
    expect(walk({ effectiveUser: 'other', operator: 'rare' }, 2)).toEqual(
      plain(`effective_user = 'other' AND operator = 'rare'`),
    );
    expect(walk({ effectiveUser: 'often', action: 'rare' }, 4)).toEqual(
      plain(`effective_user = 'often' AND action = 'rare'`),
    );
    expect(walk({ action: 'even', log: 'main' }, 4096)).toEqual(plain(`action = 'even' AND log = 'main'`));
    expect(walk({ operator: 'never' }, 10)).toEqual([]);
    // Full text, newest first from the FTS index, alone and with other filters, page after page.
    expect(walk({ text: 'record' }, 500)).toEqual(plain(`message LIKE 'record %'`));
    expect(walk({ text: 'record', operator: 'rare' }, 7)).toEqual(plain(`operator = 'rare'`));
    expect(walk({ text: `record ${3 * BLOCK}`, action: 'even' }, 1)).toEqual([3 * BLOCK]);
    // Two filters: the walk follows the rarer value's index, and finds the same records.
    expect(walk({ operator: 'often', action: 'rare' }, 3)).toEqual(plain(`operator = 'often' AND action = 'rare'`));
    const walked = statementsOf(db, { operator: 'often', action: 'rare', limit: 3 }).filter((s) =>
      /^SELECT seq >> \d+ AS block/.test(s.sql),
    );
    expect(walked.length).toBeGreaterThan(0);
    expect(walked.every((s) => s.sql.includes('INDEXED BY audit_log_action'))).toBe(true);
    expect(queryAudit(db, { operator: 'often', before: 1, limit: 10 })).toEqual({ rows: [], next: null });
  });

  it('walks hundreds of blocks, many per statement: the same records as a plain query across statement boundaries', () => {
    const db = new Database(':memory:');
    migrate(db);
    const insert = insertRaw(db);
    // A sparse log (seqs 977 apart): 600 records over 143 blocks, so a rare value's walk spans several statements.
    db.transaction(() => {
      for (let k = 1; k <= 600; k++) {
        const operator = k % 50 === 0 ? 'rare' : k % 2 ? 'odd' : 'even';
        insert(k * 977, operator, k % 7 === 0 ? 'rare' : operator, k % 3 ? 'a' : 'b');
      }
    })();
    expect(db.prepare(`SELECT max(seq) >> ${AUDIT_BLOCK_BITS} FROM audit_log`).pluck().get()).toBeGreaterThan(128);
    const plain = (where: string) =>
      db.prepare(`SELECT seq FROM audit_log WHERE ${where} ORDER BY seq DESC`).pluck().all() as number[];
    const walk = (q: Omit<Parameters<typeof queryAudit>[1], 'limit' | 'before'>, limit: number) => {
      const seen: number[] = [];
      for (let before: number | null | undefined; before !== null;) {
        const page = queryAudit(db, { ...q, limit, ...(before ? { before } : {}) });
        seen.push(...page.rows.map((r) => r.seq));
        before = page.next;
      }
      return seen;
    };
    for (const limit of [1, 5, 1000]) {
      expect(walk({ operator: 'rare' }, limit)).toEqual(plain(`operator = 'rare'`));
      expect(walk({ effectiveUser: 'rare' }, limit)).toEqual(plain(`effective_user = 'rare'`));
      expect(walk({ operator: 'odd', action: 'b' }, limit)).toEqual(plain(`operator = 'odd' AND action = 'b'`));
    }
    expect(walk({ operator: 'never' }, 10)).toEqual([]);
    // A filter that only the oldest records match takes 143 blocks, in statements of many blocks each.
    const oldest = statementsOf(db, { operator: 'never', limit: 10 }).filter((s) => /AS block/.test(s.sql));
    expect(oldest.length).toBeGreaterThan(1);
    expect(oldest.length).toBeLessThan(10);
  });
});

const BLOCK = 2 ** AUDIT_BLOCK_BITS;

/** Writes records straight into the table, as a log written by an older version holds them (no chain needed here). */
const insertRaw = (db: Database.Database) => {
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, ts, log, operator, effective_user, username, action, outcome, message, key_id, prev_hash, hash)
     VALUES (?, '2026-01-01T00:00:00.000Z', 'main', ?, ?, ?, ?, 'ok', 'old', '', '', '')`,
  );
  return (seq: number, operator: string, effectiveUser: string, action: string) =>
    insert.run(seq, operator, effectiveUser, effectiveUser, action);
};

/** The statements queryAudit runs on the log for a filter. */
const statementsOf = (db: Database.Database, q: Parameters<typeof queryAudit>[1]) =>
  statementsRun(db, (spy) => queryAudit(spy, q)).filter((s) => /(FROM|JOIN) audit_log\b/.test(s.sql));
