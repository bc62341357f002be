// Directory, flow and shared-resource changes: authorized by decide(), recorded with old → new.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCore, type TestCore } from './helpers';
import { signInRefusal } from '../../src/main/auth/signIn';

const lastRecord = (core: TestCore) =>
  core.app.db
    .prepare(`SELECT log, operator, action, target, outcome, message, details FROM audit_log ORDER BY seq DESC LIMIT 1`)
    .get() as {
    log: string;
    operator: string;
    action: string;
    target: string;
    outcome: string;
    message: string;
    details: string;
  };

async function signedIn(username: string) {
  const core = await demoCore();
  if (username !== 'alice') await core.must('w', 'auth.signIn', { username, password: DEMO_PASSWORD });
  return { core, conn: username === 'alice' ? 'admin' : 'w' };
}

describe('directory status: activate, deactivate, unlock', () => {
  it('unlocks a locked user, resets their failures, and records old → new', async () => {
    const { core, conn } = await signedIn('ursula');
    const p = await core.must(conn, 'directory.setStatus', { username: 'lou', status: 'active' });
    expect(p.status).toBe('active');
    expect(lastRecord(core)).toMatchObject({
      log: 'history',
      operator: 'ursula',
      message: 'Lou Locked (lou) unlocked: locked → active',
    });
    expect((await core.must('w2', 'auth.signIn', { username: 'lou', password: DEMO_PASSWORD })).username).toBe('lou');
  });

  it('deactivates a user; the deactivated user cannot sign in', async () => {
    const { core, conn } = await signedIn('alice');
    await core.must(conn, 'directory.setStatus', { username: 'jdoe', status: 'inactive' });
    expect(await core.as('w2', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: signInRefusal(15) },
    });
  });

  it('R-K1: changing a service account’s status needs a Super Admin or IAM Admin', async () => {
    const { core, conn } = await signedIn('ursula');
    const r = await core.as(conn, 'directory.setStatus', { username: 'po-bot', status: 'inactive' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(lastRecord(core)).toMatchObject({ outcome: 'refused', action: 'serviceAccount.update' });
    const ivan = await signedIn('ivan');
    expect(
      (await ivan.core.must(ivan.conn, 'directory.setStatus', { username: 'po-bot', status: 'inactive' })).status,
    ).toBe('inactive');
  });

  it('refuses, and records, changes nobody should make: own status, an administrator beyond one’s rights, no-ops', async () => {
    const { core, conn } = await signedIn('alice');
    const own = await core.as(conn, 'directory.setStatus', { username: 'alice', status: 'inactive' });
    expect(own).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'You cannot change your own status.' },
    });
    expect(lastRecord(core)).toMatchObject({
      outcome: 'refused',
      operator: 'alice',
      message: 'Refused directory.setStatus: You cannot change your own status.',
    });
    const same = await core.as(conn, 'directory.setStatus', { username: 'jdoe', status: 'active' });
    expect(same).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Jane Doe (jdoe) is already active.' },
    });
    // An IAM Admin over a Super Admin: deactivating (or activating, unlocking) gives or takes rights ivan lacks (R-K7).
    const ivan = await signedIn('ivan');
    const beyond = await ivan.core.as(ivan.conn, 'directory.setStatus', { username: 'alice', status: 'inactive' });
    expect(beyond).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: expect.stringMatching(
          /^You may not deactivate alice: their roles \(super_admin\) grant .*, which yours do not\.$/,
        ),
      },
    });
    expect(ivan.core.app.db.prepare(`SELECT status FROM principals WHERE username = 'alice'`).pluck().get()).toBe(
      'active',
    );
  });

  it('is refused to an auditor, and nothing changes', async () => {
    const { core, conn } = await signedIn('audrey');
    expect(await core.as(conn, 'directory.setStatus', { username: 'lou', status: 'active' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(core.app.db.prepare(`SELECT status FROM principals WHERE username = 'lou'`).pluck().get()).toBe('locked');
  });
});

describe('account roles', () => {
  it('grants and removes roles the administrator holds, recording old → new', async () => {
    const { core, conn } = await signedIn('alice');
    const p = await core.must(conn, 'directory.setRoles', { username: 'jdoe', roles: ['impersonator'] });
    expect(p.roles).toEqual(['impersonator']);
    expect(lastRecord(core)).toMatchObject({ message: 'Jane Doe (jdoe) roles: (none) → impersonator' });
    expect(JSON.parse(lastRecord(core).details)).toEqual({ field: 'roles', old: [], new: ['impersonator'] });
  });

  it('R-K7: never lets anyone hand out a role granting a right they do not hold (no escalation)', async () => {
    const { core, conn } = await signedIn('ursula');
    const r = await core.as(conn, 'directory.setRoles', { username: 'jdoe', roles: ['iam_admin'] });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          'You may not grant or remove iam_admin: it grants serviceAccount.create, serviceAccount.update, ' +
          'serviceAccount.delete, sharedResource.grant, settings.update, policy.export, which your roles do not.',
      },
    });
    expect(lastRecord(core)).toMatchObject({ outcome: 'refused', operator: 'ursula' });
  });

  it('R-K7, R-S2: compares the rights roles grant, not their names: an IAM Admin hands out and takes back User Admin', async () => {
    const { core, conn } = await signedIn('ivan');
    // ivan (iam_admin, impersonator) holds no user_admin, but every right it grants.
    expect((await core.must(conn, 'directory.setRoles', { username: 'jdoe', roles: ['user_admin'] })).roles).toEqual([
      'user_admin',
    ]);
    expect(lastRecord(core)).toMatchObject({ outcome: 'ok', message: 'Jane Doe (jdoe) roles: (none) → user_admin' });
    expect((await core.must(conn, 'directory.setRoles', { username: 'jdoe', roles: [] })).roles).toEqual([]);
    // The Directory offers what the service accepts.
    expect((await core.must(conn, 'directory.list', { search: 'jdoe' })).allowed.jdoe?.roles).toEqual([
      'iam_admin',
      'user_admin',
      'impersonator',
    ]);
  });

  it('R-K7, R-S2: refuses a role one of whose rights is beyond the granter’s, naming that right', async () => {
    const { core, conn } = await signedIn('ivan');
    const before = core.lastSeq();
    expect(await core.as(conn, 'directory.setRoles', { username: 'jdoe', roles: ['auditor'] })).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You may not grant or remove auditor: it grants audit.read, audit.export, which your roles do not.',
      },
    });
    expect(core.auditSince(before)).toMatchObject([
      {
        outcome: 'refused',
        operator: 'ivan',
        action: 'directory.setRoles',
        message: expect.stringContaining('audit.read, audit.export'),
      },
    ]);
    expect((await core.must(conn, 'directory.list', { search: 'jdoe' })).rows[0]?.roles).toEqual([]);
    // Deleting someone takes their roles away: the same comparison, the same named rights.
    expect(await core.as(conn, 'directory.delete', { username: 'audrey' })).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You may not delete audrey: their roles (auditor) grant audit.read, audit.export, which yours do not.',
      },
    });
  });

  it('a Super Admin hands out any role, also one they do not hold themself', async () => {
    const { core, conn } = await signedIn('alice');
    const p = await core.must(conn, 'directory.setRoles', { username: 'jdoe', roles: ['auditor'] });
    expect(p.roles).toEqual(['auditor']);
  });

  it('R-S9: while impersonating, the impersonated user’s roles bound what may be handed out', async () => {
    const { core, conn } = await signedIn('ivan');
    await core.must('admin', 'directory.setRoles', { username: 'jdoe', roles: ['iam_admin'] });
    await core.must(conn, 'impersonation.start', { username: 'jdoe', reason: 'role check', minutes: 10 });
    // ivan holds impersonator himself; jdoe, whom he acts as, does not.
    expect(await core.as(conn, 'directory.setRoles', { username: 'pmehta', roles: ['impersonator'] })).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You may not grant or remove impersonator: it grants session.start, which your roles do not.',
      },
    });
  });
});

describe('flow settings', () => {
  it('R-K4: the Flow Admin grants and revokes a flow’s impersonation access, recorded', async () => {
    const { core, conn } = await signedIn('alice');
    const granted = await core.must(conn, 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'hr-sync',
      enabled: true,
    });
    expect(granted.impersonation).toEqual(['hr-sync', 'po-bot']);
    expect(lastRecord(core)).toMatchObject({
      log: 'history',
      message: 'Purchase Request: impersonation access for hr-sync granted',
    });
    const revoked = await core.must(conn, 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'po-bot',
      enabled: false,
    });
    expect(revoked.impersonation).toEqual(['hr-sync']);
  });

  it('R-K4: a Super Admin who is not Flow Admin is refused, adds themself (recorded), then may', async () => {
    const { core, conn } = await signedIn('alice');
    const refused = await core.as(conn, 'flows.setImpersonation', {
      flow: 'Purchase Order',
      serviceAccount: 'hr-sync',
      enabled: true,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/only a Flow Admin of Purchase Order/), rule: 'R-K4' },
    });
    await core.must(conn, 'flows.addSelfAsAdmin', { flow: 'Purchase Order' });
    expect(lastRecord(core)).toMatchObject({
      action: 'flow.addSelfAsAdmin',
      message: 'alice added themself as Flow Admin of Purchase Order (was not a member)',
    });
    expect(
      (
        await core.as(conn, 'flows.setImpersonation', {
          flow: 'Purchase Order',
          serviceAccount: 'hr-sync',
          enabled: true,
        })
      ).ok,
    ).toBe(true);
  });

  it('R-K3: refuses impersonation access on a chat or an integration, with the reason', async () => {
    const { core, conn } = await signedIn('alice');
    const r = await core.as(conn, 'flows.setImpersonation', {
      flow: 'Purchase Request to Order',
      serviceAccount: 'po-bot',
      enabled: true,
    });
    expect(r).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/only for processes, boards and datasets.*integration/), rule: 'R-K3' },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM flow_impersonation_grants`).pluck().get()).toBe(2);
  });

  it('refuses impersonation access for a person (only service accounts get it)', async () => {
    const { core, conn } = await signedIn('alice');
    const r = await core.as(conn, 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'jdoe',
      enabled: true,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'serviceAccount' } });
  });

  it('sets, changes and removes members; only the Flow Admin may', async () => {
    const { core, conn } = await signedIn('alice');
    await core.must(conn, 'flows.setMember', {
      flow: 'Purchase Request',
      member: { principal: 'bbuyer' },
      role: 'viewer',
    });
    const changed = await core.must(conn, 'flows.setMember', {
      flow: 'Purchase Request',
      member: { principal: 'bbuyer' },
      role: 'participant',
    });
    expect(changed.members).toContainEqual({ principal: 'bbuyer', service: false, role: 'participant' });
    expect(lastRecord(core)).toMatchObject({ message: 'Purchase Request: bbuyer viewer → participant' });
    const removed = await core.must(conn, 'flows.setMember', {
      flow: 'Purchase Request',
      member: { group: 'Finance' },
      role: null,
    });
    expect(removed.members.some((m) => 'group' in m)).toBe(false);
    const ian = await signedIn('ian');
    expect(
      await ian.core.as(ian.conn, 'flows.setMember', {
        flow: 'Purchase Request',
        member: { principal: 'ian' },
        role: 'flow_admin',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('impersonation security: shared resources (R-K1, R-K2)', () => {
  it('lists the service accounts with their grants', async () => {
    const { core, conn } = await signedIn('alice');
    expect(await core.must(conn, 'sharedResources.list', {})).toEqual([
      {
        serviceAccount: 'hr-sync',
        displayName: 'HR Directory Sync',
        active: true,
        resources: ['user_group_management'],
      },
      { serviceAccount: 'po-bot', displayName: 'Purchase Order Bot', active: true, resources: ['global_my_items'] },
      { serviceAccount: 'supplier-portal', displayName: 'Supplier Portal', active: true, resources: [] },
    ]);
  });

  it('R-K1: an IAM Admin grants; a User Admin is refused and the refusal recorded', async () => {
    const ivan = await signedIn('ivan');
    const after = await ivan.core.must(ivan.conn, 'sharedResources.set', {
      serviceAccount: 'po-bot',
      resource: 'all_flows_integrations',
      enabled: true,
    });
    expect(after.find((g) => g.serviceAccount === 'po-bot')?.resources).toEqual([
      'all_flows_integrations',
      'global_my_items',
    ]);
    expect(lastRecord(ivan.core)).toMatchObject({
      log: 'history',
      message: 'po-bot: impersonation through all_flows_integrations granted',
    });
    const ursula = await signedIn('ursula');
    const r = await ursula.core.as(ursula.conn, 'sharedResources.set', {
      serviceAccount: 'po-bot',
      resource: 'global_my_items',
      enabled: false,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-K1' } });
    expect(lastRecord(ursula.core)).toMatchObject({ outcome: 'refused', action: 'sharedResource.grant' });
  });

  it('R-K2: only the three shared resources exist', async () => {
    const { core, conn } = await signedIn('alice');
    const r = await core.as(conn, 'sharedResources.set', {
      serviceAccount: 'po-bot',
      resource: 'everything' as never,
      enabled: true,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'resource' } });
  });
});

describe('groups', () => {
  it('creates a group and adds and removes members, each recorded', async () => {
    const { core, conn } = await signedIn('ursula');
    await core.must(conn, 'groups.create', { name: 'Auditors' });
    const after = await core.must(conn, 'groups.setMember', { group: 'Auditors', username: 'audrey', member: true });
    expect(after.find((g) => g.name === 'Auditors')).toEqual({ name: 'Auditors', system: false, members: ['audrey'] });
    expect(lastRecord(core)).toMatchObject({ log: 'history', message: 'Auditors: audrey added' });
    await core.must(conn, 'groups.setMember', { group: 'Auditors', username: 'audrey', member: false });
    expect(lastRecord(core)).toMatchObject({ message: 'Auditors: audrey removed' });
  });

  it('R-A1: the Service Account system group holds every service account and cannot be edited by hand', async () => {
    const { core, conn } = await signedIn('alice');
    const groups = await core.must(conn, 'groups.list', {});
    expect(groups.find((g) => g.name === 'Service Account')).toEqual({
      name: 'Service Account',
      system: true,
      members: ['hr-sync', 'po-bot', 'supplier-portal'],
    });
    const r = await core.as(conn, 'groups.setMember', { group: 'Service Account', username: 'jdoe', member: true });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/system group/), rule: 'R-A1' },
    });
  });

  it('group membership carries flow roles: adding to Procurement makes one a participant of Purchase Order', async () => {
    const { core, conn } = await signedIn('alice');
    const ask = () =>
      core.must(conn, 'access.check', { actor: 'ffinance', action: 'item.complete', resource: 'flow:Purchase Order' });
    expect((await ask()).allowed).toBe(false);
    await core.must(conn, 'groups.setMember', { group: 'Procurement', username: 'ffinance', member: true });
    expect(await ask()).toMatchObject({
      allowed: true,
      reasons: [{ fact: expect.stringMatching(/through group Procurement/) }],
    });
  });
});
