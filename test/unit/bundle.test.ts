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

describe('R-K4: an import changes a flow only where the importer could by hand, as the console asks', () => {
  // alice, the demo's Super Admin, is Flow Admin of Purchase Request and not of Purchase Order (bbuyer's).
  const withoutPoBot = (b: Bundle, flow: string) =>
    b.flows.map((f) => (f.name === flow ? { ...f, impersonation: [] } : f));
  const impersonators = (core: Awaited<ReturnType<typeof demoCore>>, flow: string) =>
    core.app.db
      .prepare(
        `SELECT p.username FROM flow_impersonation_grants i JOIN flows f ON f.id = i.flow_id
         JOIN principals p ON p.id = i.service_account_id WHERE f.name = ?`,
      )
      .pluck()
      .all(flow);

  it('shows on a dry run which changes the importer may not make, and refuses the import whole, recorded', async () => {
    const core = await demoCore();
    const bundle = await core.must('admin', 'policy.export', {});
    const edited = {
      ...bundle,
      flows: withoutPoBot(bundle, 'Purchase Order').map((f) =>
        f.name === 'Purchase Order'
          ? { ...f, members: f.members.filter((m) => !('principal' in m) || m.principal !== 'jdoe') }
          : f,
      ),
      users: bundle.users.map((u) => (u.username === 'jdoe' ? { ...u, displayName: 'Johnny Doe' } : u)),
    };
    const plan = await core.must('admin', 'policy.import', { bundle: edited, dryRun: true });
    expect(plan.refused).toEqual([
      expect.stringMatching(/^flow Purchase Order: members: alice has no role in flow Purchase Order \(catalog\)$/),
      expect.stringMatching(/^flow Purchase Order: impersonation access: .*\(R-K4\)/),
    ]);

    const before = core.auditCount();
    const r = await core.as('admin', 'policy.import', { bundle: edited, dryRun: false });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        rule: 'R-K4',
        message: expect.stringContaining(
          'a Super Admin adds themself as Flow Admin first. Nothing was imported.\nflow Purchase Order: members: alice has no role in flow Purchase Order\n',
        ),
      },
    });
    // All or nothing: not even the display name, which alice may change, was written.
    expect(impersonators(core, 'Purchase Order')).toEqual(['po-bot']);
    expect(core.app.db.prepare(`SELECT display_name FROM principals WHERE username = 'jdoe'`).pluck().get()).toBe(
      'Jane Doe',
    );
    const records = core.app.db
      .prepare(`SELECT action, outcome, message FROM audit_log WHERE seq > ? ORDER BY seq`)
      .all(before) as { action: string; outcome: string; message: string }[];
    expect(records).toEqual([
      {
        action: 'policy.import',
        outcome: 'refused',
        message: expect.stringMatching(
          /^Refused policy.import: flow Purchase Order: members: .*; flow Purchase Order: impersonation access/,
        ),
      },
    ]);
  });

  it('applies the same change once the Super Admin has added themself as Flow Admin (audited)', async () => {
    const core = await demoCore();
    await core.must('admin', 'flows.addSelfAsAdmin', { flow: 'Purchase Order' });
    const bundle = await core.must('admin', 'policy.export', {});
    const plan = await core.must('admin', 'policy.import', {
      bundle: { ...bundle, flows: withoutPoBot(bundle, 'Purchase Order') },
      dryRun: false,
    });
    expect(plan).toMatchObject({ applied: true, refused: [] });
    expect(impersonators(core, 'Purchase Order')).toEqual([]);
  });

  it('lets the Flow Admin change their own flow, and bring in a new flow whole', async () => {
    const core = await demoCore();
    const bundle = await core.must('admin', 'policy.export', {});
    const plan = await core.must('admin', 'policy.import', {
      bundle: {
        ...bundle,
        flows: [
          ...withoutPoBot(bundle, 'Purchase Request'),
          {
            name: 'Invoices',
            type: 'process',
            members: [{ principal: 'jdoe', role: 'initiator' }],
            impersonation: ['po-bot'],
          },
        ],
      },
      dryRun: false,
    });
    expect(plan).toMatchObject({ applied: true, refused: [] });
    expect(impersonators(core, 'Purchase Request')).toEqual([]);
    expect(impersonators(core, 'Invoices')).toEqual(['po-bot']);
  });

  it('asks flow.settings of an integration flow’s Flow Admin for a change to its rule', async () => {
    const core = await demoCore();
    // The integration's Flow Admin is bbuyer here, not alice (as another Super Admin's import could have left it).
    core.app.db
      .prepare(
        `UPDATE flow_members SET principal_id = (SELECT id FROM principals WHERE username = 'bbuyer')
         WHERE flow_id = (SELECT id FROM flows WHERE name = 'Purchase Request to Order')`,
      )
      .run();
    const bundle = await core.must('admin', 'policy.export', {});
    const integrations = (bundle.integrations ?? []).map((r) => ({ ...r, enabled: !r.enabled }));
    const plan = await core.must('admin', 'policy.import', { bundle: { ...bundle, integrations }, dryRun: true });
    expect(plan.refused).toEqual([
      expect.stringMatching(
        /^integration Purchase Request to Order: rule: alice has no role in flow Purchase Request to Order/,
      ),
    ]);
  });
});

describe('R-L1: grants an import takes away go to the Record Deletion Log, whole and restorable', () => {
  it('snapshots the members, impersonation access, group places and shared resources it removed, not a role change', async () => {
    const core = await demoCore();
    const bundle = await core.must('admin', 'policy.export', {});
    const edited: Bundle = {
      ...bundle,
      flows: bundle.flows.map((f) =>
        f.name === 'Purchase Request'
          ? {
              ...f,
              impersonation: [],
              members: f.members
                .filter((m) => !('principal' in m) || m.principal !== 'kchen')
                .map((m) => ('principal' in m && m.principal === 'jdoe' ? { ...m, role: 'viewer' as const } : m)),
            }
          : f,
      ),
      groups: bundle.groups.map((g) => (g.name === 'Procurement' ? { ...g, members: ['bbuyer'] } : g)),
      serviceAccounts: bundle.serviceAccounts.map((s) => (s.username === 'po-bot' ? { ...s, sharedResources: [] } : s)),
    };
    await core.must('admin', 'policy.import', { bundle: edited, dryRun: false });
    const deletion = core.app.db
      .prepare(
        `SELECT seq, username, message, details FROM audit_log WHERE log = 'record_deletion' ORDER BY seq DESC LIMIT 1`,
      )
      .get() as { seq: number; username: string; message: string; details: string };
    expect(deletion.username).toBe('alice');
    const { deleted, snapshot } = JSON.parse(deletion.details) as { deleted: string; snapshot: { grants: unknown[] } };
    expect(deleted).toBe('grants');
    expect(snapshot.grants).toHaveLength(4);
    expect(snapshot.grants).toEqual(
      expect.arrayContaining([
        { type: 'flowMember', flow: 'Purchase Request', member: { principal: 'kchen' }, role: 'initiator' },
        { type: 'flowImpersonation', flow: 'Purchase Request', serviceAccount: 'po-bot' },
        { type: 'groupMember', group: 'Procurement', username: 'pmehta' },
        { type: 'sharedResource', serviceAccount: 'po-bot', resource: 'global_my_items' },
      ]),
    );
    expect(deletion.message).toMatch(/^Import removed 4 grants: /);

    await core.must('admin', 'audit.restore', { seq: deletion.seq });
    const again = await core.must('admin', 'policy.export', {});
    const pr = again.flows.find((f) => f.name === 'Purchase Request')!;
    expect(pr.impersonation).toEqual(['po-bot']);
    expect(pr.members).toContainEqual({ principal: 'kchen', role: 'initiator' });
    // The role change stays: it was a change, in History, not a deletion.
    expect(pr.members).toContainEqual({ principal: 'jdoe', role: 'viewer' });
    expect(again.groups.find((g) => g.name === 'Procurement')!.members).toContain('pmehta');
    expect(again.serviceAccounts.find((s) => s.username === 'po-bot')!.sharedResources).toEqual(['global_my_items']);
  });
});
