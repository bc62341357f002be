import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCore } from './helpers';
import type { Input } from '../../src/shared/contract';

const usernames = async (core: Awaited<ReturnType<typeof demoCore>>, q: Input<'directory.list'>) =>
  (await core.must('admin', 'directory.list', q)).rows.map((p) => p.username);

describe('directory listing', () => {
  it('lists principals with kind, status and roles, sorted by username', async () => {
    const core = await demoCore();
    const page = await core.must('admin', 'directory.list', {});
    expect(page.total).toBe(18); // 15 users and 3 service accounts
    expect(page.next).toBeNull();
    const names = page.rows.map((p) => p.username);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    expect(page.rows.find((p) => p.username === 'alice')).toEqual({
      id: expect.any(Number),
      username: 'alice',
      displayName: 'Alice Admin',
      kind: 'human',
      status: 'active',
      roles: ['impersonator', 'super_admin'],
    });
  });

  it('filters by kind, status, role, search and empty display name (R-S3: find users to fix)', async () => {
    const core = await demoCore();
    expect(await usernames(core, { kind: 'service' })).toEqual(['hr-sync', 'po-bot', 'supplier-portal']);
    expect(await usernames(core, { status: 'locked' })).toEqual(['lou']);
    expect(await usernames(core, { status: 'inactive' })).toEqual(['olive']);
    expect(await usernames(core, { role: 'auditor' })).toEqual(['audrey']);
    expect(await usernames(core, { emptyDisplayName: true })).toEqual(['kchen']);
    expect(await usernames(core, { search: 'doe' })).toEqual(['jdoe']);
    expect(await usernames(core, { kind: 'system' })).toEqual(['scheduler', 'system']);
    expect(await usernames(core, { kind: 'human', role: 'impersonator' })).toEqual(['alice', 'ian', 'ivan']);
  });

  it('treats search text literally: % and _ are not wildcards', async () => {
    const core = await demoCore();
    expect(await usernames(core, { search: '%' })).toEqual([]);
    expect(await usernames(core, { search: '_' })).toEqual([]);
  });

  it('pages with a keyset cursor: every principal exactly once, in order', async () => {
    const core = await demoCore();
    const all = await usernames(core, {});
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await core.must('admin', 'directory.list', { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(18); // 15 users and 3 service accounts
      seen.push(...page.rows.map((p) => p.username));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual(all);
  });

  it('refuses a forged cursor naming the field', async () => {
    const core = await demoCore();
    const r = await core.as('admin', 'directory.list', { cursor: 'not-a-cursor' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'cursor' } });
  });

  it('is refused to a signed-in person with no account role, and the refusal is recorded (R-L3)', async () => {
    const core = await demoCore();
    await core.must('w2', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    const r = await core.as('w2', 'directory.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const last = core.app.db.prepare(`SELECT operator, outcome, action FROM audit_log ORDER BY seq DESC LIMIT 1`).get();
    expect(last).toEqual({ operator: 'jdoe', outcome: 'refused', action: 'directory.read' });
  });
});
