import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCore } from './helpers';

describe('access.check through the contract', () => {
  it('R-K5: explains a service account acting as a user, reason by reason', async () => {
    const core = await demoCore();
    const d = await core.must('admin', 'access.check', {
      actor: 'po-bot',
      onBehalfOf: 'jdoe',
      action: 'item.create',
      resource: 'flow:Purchase Order',
    });
    expect(d).toEqual({
      allowed: true,
      reasons: [
        { rule: 'R-K5', fact: 'po-bot has impersonation access to flow Purchase Order' },
        { rule: 'R-K5', fact: 'jdoe is an active member of flow Purchase Order' },
        // The acted-as user's own rule beside the sentence, not inside it (issue 23: rule ids are the "why").
        {
          rule: 'R-K6',
          fact: 'as jdoe: jdoe is initiator of flow Purchase Order, which grants item.create',
          via: 'catalog',
        },
      ],
    });
  });

  it('refuses a malformed resource, naming the field', async () => {
    const core = await demoCore();
    const r = await core.as('admin', 'access.check', { actor: 'jdoe', action: 'item.read', resource: 'board:X' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'resource' } });
  });

  it('follows directory changes at once (the cached snapshot is never stale)', async () => {
    const core = await demoCore();
    const ask = () =>
      core.must('admin', 'access.check', { actor: 'ian', action: 'session.start', resource: 'user:jdoe' });
    expect((await ask()).allowed).toBe(true);
    core.app.db.prepare(`UPDATE principals SET status = 'locked' WHERE username = 'jdoe'`).run();
    expect(await ask()).toMatchObject({ allowed: false, reasons: [{ rule: 'R-S4' }] });
  });
});

describe('access.canI: what the window may show the operator', () => {
  it('answers for the signed-in operator only', async () => {
    const core = await demoCore();
    const checks = [
      { action: 'settings.update', resource: 'account' },
      { action: 'audit.read', resource: 'account' },
      { action: 'item.create', resource: 'flow:Purchase Order' },
    ] as const;
    expect(await core.must('admin', 'access.canI', { checks: [...checks] })).toEqual([true, true, false]);
    await core.must('w2', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    expect(await core.must('w2', 'access.canI', { checks: [...checks] })).toEqual([false, true, false]);
  });
});

describe('flows.list', () => {
  it('lists flows by type with their impersonation access', async () => {
    const core = await demoCore();
    const processes = await core.must('admin', 'flows.list', { type: 'process' });
    expect(processes).toEqual([
      { name: 'Purchase Order', type: 'process', members: 4, impersonation: ['po-bot'] },
      { name: 'Purchase Request', type: 'process', members: 5, impersonation: ['po-bot'] },
    ]);
    expect(await core.must('admin', 'flows.list', {})).toHaveLength(8);
  });
});
