// A flow created in the console: a Super Admin's (the power that brings flows in by import), its creator its first
// Flow Admin, one History record; a name taken (in any case) or a caller without the right changes nothing.
import { describe, expect, it } from 'vitest';
import { demoCore, signIn, tempCore } from './helpers';

describe('New flow', () => {
  it('creates the flow with its creator as Flow Admin, who may then grant impersonation access in it (R-K4)', async () => {
    const core = await demoCore();
    const before = core.auditCount();
    const created = await core.must('admin', 'flows.create', { name: 'Invoices', type: 'process' });
    expect(created).toMatchObject({
      name: 'Invoices',
      type: 'process',
      members: [{ principal: 'alice', service: false, role: 'flow_admin' }],
      impersonation: [],
      selfAdded: [],
    });
    const records = core.app.db
      .prepare(`SELECT log, operator, action, target, message FROM audit_log WHERE seq > ?`)
      .all(before);
    expect(records).toEqual([
      {
        log: 'history',
        operator: 'alice',
        action: 'flow.create',
        target: 'flow:Invoices',
        message: 'Created flow Invoices (process), with alice as its Flow Admin',
      },
    ]);
    const granted = await core.must('admin', 'flows.setImpersonation', {
      flow: 'Invoices',
      serviceAccount: 'po-bot',
      enabled: true,
    });
    expect(granted.impersonation).toEqual(['po-bot']);
    expect((await core.must('admin', 'flows.list', {})).map((f) => f.name)).toContain('Invoices');
  });

  it('gives a fresh install its first flow, without a bundle', async () => {
    const core = await tempCore();
    await core.must('w', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: 'Rita Root',
      password: 'a-long-enough-password',
    });
    await core.must('w', 'flows.create', { name: 'Leave Requests', type: 'board' });
    expect(await core.must('w', 'flows.list', {})).toEqual([
      { name: 'Leave Requests', type: 'board', members: 1, impersonation: [] },
    ]);
  });

  it('refuses a name taken in any case or blank, naming the field, and changes nothing', async () => {
    const core = await demoCore();
    const before = core.auditCount();
    expect(await core.as('admin', 'flows.create', { name: 'purchase ORDER', type: 'board' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'There is a flow named Purchase Order already.', field: 'name' },
    });
    expect(await core.as('admin', 'flows.create', { name: '  ', type: 'board' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name' },
    });
    // The records are the refusals' (R-L3), the schema's too; the flow is as it was.
    expect(core.app.db.prepare(`SELECT action, outcome, message FROM audit_log WHERE seq > ?`).all(before)).toEqual([
      {
        action: 'flows.create',
        outcome: 'refused',
        message: expect.stringContaining('There is a flow named Purchase Order already.'),
      },
      { action: 'flows.create', outcome: 'refused', message: 'Refused flows.create: Enter a flow name.' },
    ]);
    expect(core.app.db.prepare(`SELECT type FROM flows WHERE name = 'Purchase Order'`).pluck().get()).toBe('process');
  });

  it('is refused to an IAM Admin, and the refusal is recorded', async () => {
    const core = await demoCore();
    const ivan = await signIn(core, 'ivan');
    expect(await core.as(ivan, 'flows.create', { name: 'Invoices', type: 'process' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM flows WHERE name = 'Invoices'`).pluck().get()).toBe(0);
    expect(core.app.db.prepare(`SELECT outcome, action FROM audit_log ORDER BY seq DESC LIMIT 1`).get()).toEqual({
      outcome: 'refused',
      action: 'policy.import',
    });
  });
});
