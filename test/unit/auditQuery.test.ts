// The auditor's view: filters, newest first, keyset pages by seq; attribution on every record (R-L3).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/store/migrations';
import { DEMO_PASSWORD, demoCore } from './helpers';

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
    const later = await list({ from: '2026-11-23T09:00:30Z' });
    expect(later.map((r) => r.action)).toEqual(['settings.update', 'settings.update']);
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

  it('serves each filter from an index, newest first, without a sort step', () => {
    const db = new Database(':memory:');
    migrate(db);
    for (const filter of ['operator', 'effective_user', 'action', 'log']) {
      const plan = (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE ${filter} = ? AND seq < ? ORDER BY seq DESC LIMIT 101`,
          )
          .all('x', 10) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('\n');
      expect(plan, filter).toMatch(new RegExp(`USING INDEX audit_log_${filter}`));
      expect(plan, filter).not.toMatch(/TEMP B-TREE/);
    }
  });
});
