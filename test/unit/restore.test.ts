// R-L1: every deletion leaves a full snapshot in the Record Deletion Log, and Restore brings it back
// (users, groups, flows, grants, service accounts), itself audited; secrets never come back.
import { describe, expect, it } from 'vitest';
import { DEMO_ITEMS, DEMO_PASSWORD, demoCore, poBotMayActAsJdoe, type TestCore } from './helpers';

interface Rec {
  seq: number;
  log: string;
  action: string;
  target: string;
  message: string;
  details: string;
  operator: string;
  username: string;
}

const lastRecord = (core: TestCore) =>
  core.app.db.prepare(`SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as Rec;

/** The newest Record Deletion Log record, which each deletion must have written. */
function lastDeletion(core: TestCore): Rec & { parsed: { deleted: string; snapshot: Record<string, unknown> } } {
  const r = core.app.db
    .prepare(`SELECT * FROM audit_log WHERE log = 'record_deletion' ORDER BY seq DESC LIMIT 1`)
    .get() as Rec;
  return { ...r, parsed: JSON.parse(r.details) };
}

const count = (core: TestCore, sql: string, ...args: unknown[]) =>
  core.app.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

async function signIn(core: TestCore, connection: string, username: string) {
  await core.must(connection, 'auth.signIn', { username, password: DEMO_PASSWORD });
}

describe('R-L1: deleting and restoring a user', () => {
  it('snapshots the user with roles, groups and flow roles, never the password verifier', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.delete', { username: 'pmehta' });
    expect(count(core, `SELECT count(*) FROM principals WHERE username = 'pmehta'`)).toBe(0);
    const rec = lastDeletion(core);
    expect(rec).toMatchObject({
      action: 'principal.delete',
      target: 'pmehta',
      operator: 'alice',
      message: 'Deleted user Priya Mehta (pmehta) with 2 grants',
    });
    expect(rec.parsed).toEqual({
      deleted: 'user',
      snapshot: {
        principal: {
          username: 'pmehta',
          displayName: 'Priya Mehta',
          kind: 'human',
          status: 'active',
          roles: [],
          hadPassword: true,
        },
        grants: [
          { type: 'groupMember', group: 'Procurement', username: 'pmehta' },
          { type: 'flowMember', flow: 'Purchase Request', member: { principal: 'pmehta' }, role: 'participant' },
        ],
      },
    });
    expect(rec.details).not.toMatch(/scrypt|\$/);
  });

  it('restores the user, their group and flow role, and says a password must be set; then they sign in', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.delete', { username: 'pmehta' });
    const { seq } = lastDeletion(core);
    expect(await core.must('admin', 'audit.restore', { seq })).toEqual({ restored: 'user Priya Mehta (pmehta)' });
    const restored = lastRecord(core);
    expect(restored).toMatchObject({
      log: 'main',
      action: 'principal.restore',
      target: 'pmehta',
      message: `Restored user Priya Mehta (pmehta) from record ${seq}; no password yet (passwords are never logged): set one in Directory`,
    });
    expect(JSON.parse(restored.details)).toEqual({ fromRecord: seq, skipped: [] });
    expect((await core.must('admin', 'groups.list', {})).find((g) => g.name === 'Procurement')?.members).toContain(
      'pmehta',
    );
    expect((await core.must('admin', 'flows.get', { name: 'Purchase Request' })).members).toContainEqual({
      principal: 'pmehta',
      service: false,
      role: 'participant',
    });
    expect(await core.as('p', 'auth.signIn', { username: 'pmehta', password: DEMO_PASSWORD })).toMatchObject({
      ok: false,
    });
    await core.must('admin', 'directory.setPassword', { username: 'pmehta', password: 'a-new-password-42' });
    expect(lastRecord(core)).toMatchObject({
      log: 'history',
      action: 'principal.password',
      message: 'Password set for Priya Mehta (pmehta)',
    });
    expect(lastRecord(core).details).not.toContain('a-new-password-42');
    await core.must('p', 'auth.signIn', { username: 'pmehta', password: 'a-new-password-42' });
  });

  it('a record restores once; a second try names the record that restored it', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.delete', { username: 'jdoe' });
    const { seq } = lastDeletion(core);
    await core.must('admin', 'audit.restore', { seq });
    const restoredBy = lastRecord(core).seq;
    expect(await core.as('admin', 'audit.restore', { seq })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `Record ${seq} was restored already, by record ${restoredBy}.` },
    });
  });

  it('refuses when the username was taken since, and writes nothing', async () => {
    const core = await demoCore();
    const exported = await core.must('admin', 'policy.export', {});
    await core.must('admin', 'directory.delete', { username: 'jdoe' });
    const { seq } = lastDeletion(core);
    // jdoe comes back by import, in no flow: a flow's members are its Flow Admins' to change (R-K4).
    const inNoFlow = (m: (typeof exported.flows)[number]['members'][number]) =>
      !('principal' in m) || m.principal !== 'jdoe';
    const bundle = { ...exported, flows: exported.flows.map((f) => ({ ...f, members: f.members.filter(inNoFlow) })) };
    await core.must('admin', 'policy.import', { bundle, dryRun: false });
    expect(count(core, `SELECT count(*) FROM principals WHERE username = 'jdoe'`)).toBe(1);
    const before = lastRecord(core).seq;
    expect(await core.as('admin', 'audit.restore', { seq })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Only the refusal is recorded.
    expect(count(core, `SELECT count(*) FROM audit_log WHERE seq > ? AND outcome = 'ok'`, before)).toBe(0);
  });

  it('keeps a flow role that referred to a flow deleted since out, and names it', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.delete', { username: 'kchen' });
    const { seq } = lastDeletion(core);
    await core.must('admin', 'flows.delete', { name: 'Purchase Request' });
    await core.must('admin', 'audit.restore', { seq });
    expect(lastRecord(core).message).toBe(
      `Restored user kchen from record ${seq}; no password yet (passwords are never logged): set one in Directory; not restored: kchen as initiator of flow Purchase Request (flow Purchase Request is gone)`,
    );
  });

  it('refuses deleting oneself, system users, service accounts and people in a session', async () => {
    const core = await demoCore();
    const refused = async (connection: string, username: string, code: string, message: RegExp) =>
      expect(await core.as(connection, 'directory.delete', { username })).toMatchObject({
        ok: false,
        error: { code, message: expect.stringMatching(message) },
      });
    await refused('admin', 'alice', 'conflict', /cannot delete yourself/);
    await refused('admin', 'system', 'conflict', /system user/);
    await refused('admin', 'po-bot', 'invalid_input', /Service accounts/);
    await signIn(core, 'ivan', 'ivan');
    await core.must('ivan', 'impersonation.start', { username: 'jdoe', reason: 'checking a report', minutes: 30 });
    await refused('admin', 'jdoe', 'conflict', /ivan is impersonating jdoe right now/);
    await refused('admin', 'ivan', 'conflict', /ivan is impersonating jdoe right now/);
    // No escalation: a User Admin cannot delete (take the roles of) an IAM Admin.
    await signIn(core, 'u', 'ursula');
    await refused(
      'u',
      'audrey',
      'forbidden',
      /their roles \(auditor\) grant audit.read, audit.export, policy.export, which yours do not/,
    );
    expect(count(core, `SELECT count(*) FROM principals WHERE username IN ('jdoe', 'ivan', 'audrey')`)).toBe(3);
  });

  it('a User Admin may not restore someone who held a role they lack', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.delete', { username: 'audrey' });
    const { seq } = lastDeletion(core);
    await signIn(core, 'u', 'ursula');
    expect(await core.as('u', 'audit.restore', { seq })).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: expect.stringMatching(
          /their roles \(auditor\) granted audit.read, audit.export, policy.export, which yours do not/,
        ),
      },
    });
  });

  it('a person deleted while signed in is signed out at their next call', async () => {
    const core = await demoCore();
    await signIn(core, 'j', 'jdoe');
    await core.must('admin', 'directory.delete', { username: 'jdoe' });
    expect(await core.as('j', 'directory.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('R-L1: deleting and restoring groups and flows', () => {
  it('a group comes back with its members and its flow roles', async () => {
    const core = await demoCore();
    const before = await core.must('admin', 'flows.get', { name: 'Supplier Onboarding' });
    // A group design objects name is not deleted from under them (R-A2): its entries come off first.
    expect(await core.as('admin', 'groups.delete', { name: 'Procurement' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', rule: 'R-A2' },
    });
    for (const o of await core.must('admin', 'designObjects.list', {})) {
      const others = o.permissions.filter((p) => !(p.grantee.type === 'group' && p.grantee.name === 'Procurement'));
      if (others.length < o.permissions.length) {
        await core.must('admin', 'designObjects.setPermissions', { name: o.name, permissions: others });
      }
    }
    await core.must('admin', 'groups.delete', { name: 'Procurement' });
    const rec = lastDeletion(core);
    expect(rec).toMatchObject({
      action: 'group.delete',
      target: 'group Procurement',
      message: 'Deleted group Procurement with 2 members',
    });
    expect(rec.parsed.snapshot).toMatchObject({
      name: 'Procurement',
      grants: expect.arrayContaining([
        { type: 'groupMember', group: 'Procurement', username: 'bbuyer' },
        { type: 'flowMember', flow: 'Supplier Onboarding', member: { group: 'Procurement' }, role: 'flow_admin' },
      ]),
    });
    expect((await core.must('admin', 'flows.get', { name: 'Supplier Onboarding' })).members).toEqual([]);
    expect(await core.must('admin', 'audit.restore', { seq: rec.seq })).toEqual({ restored: 'group Procurement' });
    expect(await core.must('admin', 'flows.get', { name: 'Supplier Onboarding' })).toEqual(before);
    expect((await core.must('admin', 'groups.list', {})).find((g) => g.name === 'Procurement')?.members).toEqual([
      'bbuyer',
      'pmehta',
    ]);
  });

  it('the system group Service Account cannot be deleted', async () => {
    const core = await demoCore();
    expect(await core.as('admin', 'groups.delete', { name: 'Service Account' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/system group/) },
    });
  });

  it("a flow's Flow Admin deletes it; a Super Admin restores it with members and impersonation grants", async () => {
    const core = await demoCore();
    const before = await core.must('admin', 'flows.get', { name: 'Purchase Order' });
    await signIn(core, 'b', 'bbuyer');
    // The demo's one Purchase Order (item 2, made by its integration) goes with the flow, and comes back with it.
    const items = await core.must('b', 'items.list', { flow: 'Purchase Order' });
    expect(items.items.map((i) => i.id)).toEqual(DEMO_ITEMS.purchaseOrder);
    await core.must('b', 'flows.delete', { name: 'Purchase Order' });
    const rec = lastDeletion(core);
    expect(rec).toMatchObject({
      action: 'flow.delete',
      target: 'flow:Purchase Order',
      operator: 'bbuyer',
      message: 'Deleted flow Purchase Order (process) with 4 members and 1 impersonation grant, and 1 item',
    });
    expect(count(core, `SELECT count(*) FROM items WHERE id = ?`, DEMO_ITEMS.purchaseOrder[0])).toBe(0);
    // Restoring a flow is creating one, which only a policy import can: bbuyer may not.
    expect(await core.as('b', 'audit.restore', { seq: rec.seq })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await core.must('admin', 'audit.restore', { seq: rec.seq })).toEqual({ restored: 'flow Purchase Order' });
    expect(await core.must('admin', 'flows.get', { name: 'Purchase Order' })).toEqual(before);
    expect(await core.must('b', 'items.list', { flow: 'Purchase Order' })).toEqual(items);
    // And the policy sees it again: po-bot may act as jdoe there (R-K5).
    expect(await poBotMayActAsJdoe(core)).toBe(true);
  });

  it('only a Flow Admin of the flow deletes it', async () => {
    const core = await demoCore();
    await signIn(core, 'j', 'jdoe');
    expect(await core.as('j', 'flows.delete', { name: 'Purchase Order' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(lastRecord(core)).toMatchObject({ outcome: 'refused', action: 'flow.settings' });
  });
});

describe('R-L1: removed grants are deletions, restorable one by one', () => {
  it('a removed flow member, flow impersonation grant, shared grant and group member each come back', async () => {
    const core = await demoCore();
    const flowBefore = await core.must('admin', 'flows.get', { name: 'Purchase Request' });
    const sharedBefore = await core.must('admin', 'sharedResources.list', {});
    const groupsBefore = await core.must('admin', 'groups.list', {});

    await core.must('admin', 'flows.setMember', {
      flow: 'Purchase Request',
      member: { group: 'finance' },
      role: null,
    });
    const member = lastDeletion(core);
    expect(member).toMatchObject({
      action: 'flow.members',
      message: 'Purchase Request: group Finance viewer → (not a member)',
    });
    expect(member.parsed).toEqual({
      deleted: 'grants',
      snapshot: {
        grants: [{ type: 'flowMember', flow: 'Purchase Request', member: { group: 'Finance' }, role: 'viewer' }],
      },
    });
    await core.must('admin', 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'po-bot',
      enabled: false,
    });
    const impersonation = lastDeletion(core);
    await core.must('admin', 'sharedResources.set', {
      serviceAccount: 'hr-sync',
      resource: 'user_group_management',
      enabled: false,
    });
    const shared = lastDeletion(core);
    await core.must('admin', 'groups.setMember', { group: 'Finance', username: 'ffinance', member: false });
    const groupMember = lastDeletion(core);

    for (const { seq } of [member, impersonation, shared, groupMember])
      await core.must('admin', 'audit.restore', { seq });
    expect(await core.must('admin', 'flows.get', { name: 'Purchase Request' })).toEqual(flowBefore);
    expect(await core.must('admin', 'sharedResources.list', {})).toEqual(sharedBefore);
    expect(await core.must('admin', 'groups.list', {})).toEqual(groupsBefore);
    expect(lastRecord(core)).toMatchObject({
      action: 'grants.restore',
      target: 'ffinance in group Finance',
      message: `Restored ffinance in group Finance from record ${groupMember.seq}`,
    });
  });

  it('removing all impersonation access of an account is one deletion, restored as one', async () => {
    const core = await demoCore();
    const before = await core.must('admin', 'serviceAccounts.associated', { username: 'po-bot' });
    await core.must('admin', 'flows.addSelfAsAdmin', { flow: 'Purchase Order' });
    await core.must('admin', 'serviceAccounts.removeAllImpersonation', { username: 'po-bot' });
    const rec = lastDeletion(core);
    expect(rec.parsed.snapshot).toEqual({
      grants: [
        { type: 'sharedResource', serviceAccount: 'po-bot', resource: 'global_my_items' },
        { type: 'flowImpersonation', flow: 'Purchase Order', serviceAccount: 'po-bot' },
        { type: 'flowImpersonation', flow: 'Purchase Request', serviceAccount: 'po-bot' },
      ],
    });
    expect(await core.must('admin', 'audit.restore', { seq: rec.seq })).toEqual({
      restored:
        'impersonation through global_my_items for po-bot; impersonation access for po-bot to flow Purchase Order; impersonation access for po-bot to flow Purchase Request',
    });
    expect(await core.must('admin', 'serviceAccounts.associated', { username: 'po-bot' })).toEqual(before);
  });

  it('a grant given again by hand meanwhile leaves nothing to restore', async () => {
    const core = await demoCore();
    await core.must('admin', 'sharedResources.set', {
      serviceAccount: 'po-bot',
      resource: 'global_my_items',
      enabled: false,
    });
    const { seq } = lastDeletion(core);
    await core.must('admin', 'sharedResources.set', {
      serviceAccount: 'po-bot',
      resource: 'global_my_items',
      enabled: true,
    });
    expect(await core.as('admin', 'audit.restore', { seq })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Nothing to restore: impersonation through global_my_items for po-bot (in place already).',
      },
    });
  });

  it('restoring a grant needs the right to give it: an auditor may not', async () => {
    const core = await demoCore();
    await core.must('admin', 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'po-bot',
      enabled: false,
    });
    const { seq } = lastDeletion(core);
    await signIn(core, 'a', 'audrey');
    expect(await core.as('a', 'audit.restore', { seq })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(lastRecord(core)).toMatchObject({ outcome: 'refused', operator: 'audrey', action: 'flow.impersonation' });
  });
});

describe('R-L1: restoring a service account', () => {
  it('brings it back with its grants and memberships, not its keys, and records it', async () => {
    const core = await demoCore();
    await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    await core.must('admin', 'serviceAccounts.delete', { username: 'po-bot' });
    const { seq } = lastDeletion(core);
    expect(await core.must('admin', 'audit.restore', { seq })).toEqual({ restored: 'service account po-bot' });
    expect(await core.must('admin', 'serviceAccounts.associated', { username: 'po-bot' })).toEqual({
      sharedResources: ['global_my_items'],
      impersonationFlows: [
        { name: 'Purchase Order', type: 'process' },
        { name: 'Purchase Request', type: 'process' },
      ],
      memberOf: [{ name: 'Purchase Order', type: 'process', role: 'viewer' }],
      integrations: [{ flow: 'Purchase Request to Order', source: 'Purchase Request', target: 'Purchase Order' }],
    });
    expect((await core.must('admin', 'groups.list', {})).find((g) => g.name === 'Service Account')?.members).toContain(
      'po-bot',
    );
    expect(await core.must('admin', 'keys.list', { username: 'po-bot' })).toEqual([]);
    expect(lastRecord(core).message).toBe(
      `Restored service account po-bot from record ${seq}; 1 access key not restored (secrets are never kept): create new ones`,
    );
  });

  it('refuses records that are not deletions, and deletions without a snapshot', async () => {
    const core = await demoCore();
    expect(await core.as('admin', 'audit.restore', { seq: 1 })).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'seq',
        message: 'Record 1 is not in the Record Deletion Log; only deletions can be restored.',
      },
    });
    expect(await core.as('admin', 'audit.restore', { seq: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('R-S8: deletions and restores during impersonation carry both names', () => {
  it('records the Record Deletion Log entry as `impersonated (impersonator)`', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.setRoles', { username: 'jdoe', roles: ['iam_admin'] });
    await signIn(core, 'ivan', 'ivan');
    await core.must('ivan', 'impersonation.start', { username: 'jdoe', reason: 'cleanup on request', minutes: 30 });
    await core.must('ivan', 'directory.delete', { username: 'olive' });
    expect(lastDeletion(core)).toMatchObject({ username: 'jdoe (ivan)', operator: 'ivan' });
    await core.must('ivan', 'audit.restore', { seq: lastDeletion(core).seq });
    expect(lastRecord(core)).toMatchObject({ action: 'principal.restore', username: 'jdoe (ivan)' });
  });
});

describe('R-L1: whether Restore is offered is main’s answer, asked without a record', () => {
  it('an auditor may read the deletion but not restore it; an admin may, until it is restored', async () => {
    const core = await demoCore();
    await core.must('admin', 'directory.delete', { username: 'pmehta' });
    const seq = lastDeletion(core).seq;
    await signIn(core, 'audrey', 'audrey');
    const before = core.auditCount();
    const asAuditor = await core.must('audrey', 'audit.mayRestore', { seq });
    expect(asAuditor).toMatchObject({ allowed: false, why: expect.stringMatching(/audrey/) });
    expect(await core.must('admin', 'audit.mayRestore', { seq })).toEqual({ allowed: true, why: null });
    expect(core.auditCount()).toBe(before); // asking is not acting
    // The answer is the restore's own: the auditor is refused with the same reason, the admin is not.
    const refused = await core.as('audrey', 'audit.restore', { seq });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refused.ok || refused.error.message).toContain(asAuditor.why);
    await core.must('admin', 'audit.restore', { seq });
    expect(await core.must('admin', 'audit.mayRestore', { seq })).toEqual({
      allowed: false,
      why: expect.stringMatching(new RegExp(`Record ${seq} was restored already`)),
    });
  });
});
