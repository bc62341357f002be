// Policy bundles: export, import with a diff first, all-or-nothing, every problem by JSON path (R-A4).
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCore, tempCore } from './helpers';
import { demoBundle } from '../../src/main/setup/firstRun';
import type { Bundle } from '../../src/shared/bundle';

const PASSWORD = 'a-long-enough-password';

async function freshAdmin() {
  const core = await tempCore();
  await core.must('w', 'setup.createFirstAdmin', { username: 'root', displayName: 'Rita Root', password: PASSWORD });
  return core;
}

describe('policy export', () => {
  it('exports the demo organisation as the bundle it was loaded from, and no secret', async () => {
    const core = await demoCore();
    const exported = await core.must('admin', 'policy.export', {});
    expect(exported.users.map((u) => u.username).sort()).toEqual(demoBundle.users.map((u) => u.username).sort());
    expect(exported.flows.find((f) => f.name === 'Purchase Order')).toEqual({
      name: 'Purchase Order',
      type: 'process',
      members: [
        { principal: 'bbuyer', role: 'flow_admin' },
        { principal: 'jdoe', role: 'initiator' },
        { principal: 'po-bot', role: 'viewer' },
        { group: 'Procurement', role: 'participant' },
      ],
      impersonation: ['po-bot'],
      fields: [
        { name: 'Amount', type: 'number', required: false },
        { name: 'Supplier', type: 'text', required: false },
        { name: 'Delivery date', type: 'date', required: false },
      ],
    });
    expect(exported.integrations).toEqual(demoBundle.integrations);
    const text = JSON.stringify(exported);
    expect(text).not.toContain('scrypt');
    expect(text).not.toContain(DEMO_PASSWORD);
    expect(text).not.toContain('Service Account'); // the system group is implicit (R-A1)
  });

  it('is refused to a User Admin', async () => {
    const core = await demoCore();
    await core.must('w', 'auth.signIn', { username: 'ursula', password: DEMO_PASSWORD });
    expect(await core.as('w', 'policy.export', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('policy import', () => {
  it('shows the diff on a dry run and writes nothing', async () => {
    const core = await freshAdmin();
    const before = core.auditCount();
    const plan = await core.must('w', 'policy.import', { bundle: demoBundle, dryRun: true });
    expect(plan.applied).toBe(false);
    expect(plan.changes).toContainEqual({
      subject: 'service account po-bot',
      kind: 'add',
      details: ['display name: (none) → Purchase Order Bot', 'shared resources: (none) → global_my_items'],
    });
    expect(plan.warnings).toContain('jdoe is new here and has no password: they cannot sign in until one is set.');
    expect(core.app.db.prepare(`SELECT count(*) FROM principals`).pluck().get()).toBe(1);
    expect(core.auditCount()).toBe(before);
  });

  it('applies all of it in one step, one History record per change, and round-trips through export', async () => {
    const core = await freshAdmin();
    // R-A4: the demo's supplier portal needs a service account this directory lacks, accepted before import.
    const refused = await core.as('w', 'policy.import', { bundle: demoBundle, dryRun: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const plan = await core.must('w', 'policy.import', {
      bundle: demoBundle,
      dryRun: false,
      accept: ['missing:supplier-portal'],
    });
    expect(plan.applied).toBe(true);
    const history = core.app.db
      .prepare(`SELECT count(*) FROM audit_log WHERE action = 'policy.import' AND log = 'history'`)
      .pluck()
      .get();
    expect(history).toBe(plan.changes.length);
    const exported = await core.must('w', 'policy.export', {});
    const again = await core.must('w', 'policy.import', { bundle: exported, dryRun: true });
    expect(again.changes).toEqual([]);
    expect(exported.flows).toHaveLength(demoBundle.flows.length);
  });

  it('changes only what differs and says what it leaves alone (R-A4)', async () => {
    const core = await demoCore();
    const bundle = await core.must('admin', 'policy.export', {});
    const edited: Bundle = {
      ...bundle,
      users: bundle.users.map((u) => (u.username === 'jdoe' ? { ...u, roles: ['impersonator'] } : u)),
      serviceAccounts: bundle.serviceAccounts.filter((s) => s.username !== 'hr-sync'),
    };
    const plan = await core.must('admin', 'policy.import', { bundle: edited, dryRun: false });
    expect(plan.changes).toEqual([{ subject: 'user jdoe', kind: 'change', details: ['roles: (none) → impersonator'] }]);
    expect(plan.warnings).toContain('Service accounts here but not in the bundle (left as they are): hr-sync.');
    expect(core.app.db.prepare(`SELECT count(*) FROM principals WHERE username = 'hr-sync'`).pluck().get()).toBe(1);
  });

  it('rejects a bad file with every problem listed by JSON path, and writes nothing', async () => {
    const core = await freshAdmin();
    const bad = {
      ...demoBundle,
      users: [
        ...demoBundle.users,
        { username: 'x y', displayName: '', kind: 'robot', status: 'active', roles: ['god'] },
      ],
      flows: [
        { name: 'Chat', type: 'chat', members: [{ group: 'Nobody', role: 'viewer' }], impersonation: ['po-bot'] },
      ],
    };
    const r = await core.as('w', 'policy.import', { bundle: bad, dryRun: true });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.error.message;
    expect(message).toMatch(/^The bundle has \d+ problems; nothing was imported\./);
    for (const path of ['$.users[15].username', '$.users[15].kind', '$.users[15].roles[0]'])
      expect(message).toContain(path);
    const valid = { ...demoBundle, flows: bad.flows };
    const r2 = await core.as('w', 'policy.import', { bundle: valid, dryRun: false });
    const m2 = r2.ok ? '' : r2.error.message;
    expect(m2).toContain('$.flows[0].members[0].group: group Nobody is not in groups[]');
    expect(m2).toContain('$.flows[0].impersonation: a chat cannot have impersonation access (R-K3)');
    expect(core.app.db.prepare(`SELECT count(*) FROM principals`).pluck().get()).toBe(1);
  });

  it('refuses a bundle that makes a person of a service account', async () => {
    const core = await demoCore();
    const bundle = await core.must('admin', 'policy.export', {});
    const clash = {
      ...bundle,
      users: [...bundle.users, { username: 'po-bot', displayName: '', kind: 'human', status: 'active', roles: [] }],
    };
    clash.serviceAccounts = clash.serviceAccounts.filter((s) => s.username !== 'po-bot');
    clash.flows = clash.flows.map((f) => ({ ...f, impersonation: f.impersonation.filter((s) => s !== 'po-bot') }));
    clash.integrations = [];
    const r = await core.as('admin', 'policy.import', { bundle: clash, dryRun: true });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/po-bot is a service account here/) },
    });
  });

  it('is for Super Admins only, and the refusal is recorded', async () => {
    const core = await demoCore();
    await core.must('w', 'auth.signIn', { username: 'ivan', password: DEMO_PASSWORD });
    expect(await core.as('w', 'policy.import', { bundle: demoBundle, dryRun: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(core.app.db.prepare(`SELECT outcome FROM audit_log ORDER BY seq DESC LIMIT 1`).pluck().get()).toBe(
      'refused',
    );
  });
});

describe('policy import applies the console’s own rules, refusing the whole bundle and naming each problem', () => {
  async function importing(edit: (b: Bundle) => void) {
    const core = await demoCore();
    const bundle = structuredClone(await core.must('admin', 'policy.export', {}));
    edit(bundle);
    const before = core.auditCount();
    const principals = () => core.app.db.prepare(`SELECT * FROM principals ORDER BY id`).all();
    const was = principals();
    const result = await core.as('admin', 'policy.import', { bundle, dryRun: false });
    expect(principals(), 'nothing is written').toEqual(was);
    expect(core.auditCount() - before, 'only the refusal is recorded').toBeLessThanOrEqual(1);
    return result;
  }

  it('keeps an active Super Admin: demoting, deactivating or turning the last one into a guest is refused', async () => {
    const alice = (b: Bundle) => b.users.find((u) => u.username === 'alice')!;
    for (const change of [
      (b: Bundle) => void (alice(b).roles = alice(b).roles.filter((r) => r !== 'super_admin')),
      (b: Bundle) => void (alice(b).status = 'inactive'),
      (b: Bundle) => Object.assign(alice(b), { kind: 'guest', roles: [] }),
    ]) {
      const r = await importing(change);
      expect(r).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_input',
          field: 'bundle',
          message: expect.stringMatching(/users\[\d+\]: it would leave no active Super Admin/),
        },
      });
    }
  });

  it('refuses a group named as Deputy’s system group, in any case, and account roles on guests and system users', async () => {
    const r = await importing((b) => {
      b.groups.push({ name: 'service ACCOUNT', members: ['jdoe'] });
      const guest = b.users.find((u) => u.kind === 'guest')!;
      guest.roles = ['auditor'];
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'bundle' } });
    const message = r.ok ? '' : r.error.message;
    expect(message).toMatch(/groups\[\d+\]\.name: service ACCOUNT is Deputy's system group/);
    expect(message).toMatch(/users\[\d+\]\.roles: .* is a guest user: only people hold account roles/);
  });

  it('imports again an export whose flow gives the system group a role', async () => {
    const core = await demoCore();
    await core.must('admin', 'flows.addSelfAsAdmin', { flow: 'Purchase Order' });
    await core.must('admin', 'flows.setMember', {
      flow: 'Purchase Order',
      member: { group: 'Service Account' },
      role: 'viewer',
    });
    const exported = await core.must('admin', 'policy.export', {});
    expect(exported.flows.find((f) => f.name === 'Purchase Order')?.members).toContainEqual({
      group: 'Service Account',
      role: 'viewer',
    });
    const plan = await core.must('admin', 'policy.import', { bundle: exported, dryRun: true });
    expect(plan.changes).toEqual([]);
  });
});
