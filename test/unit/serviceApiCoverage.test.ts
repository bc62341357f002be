// What the shared resources let a program do through the service API (issue 19): list and change flows through
// all_flows_integrations (R-K9), change users and groups through user_group_management while acting for an
// administrator (R-K7), and read any user's My Items through global_my_items (R-K8). Each call goes through
// core.callWith with a real access key (the keys live in the OS keychain, so these run inside
// scripts/with-keyring); an allowed change is recorded as `user (service-account)`, a refusal is forbidden, names
// its rule, is recorded once and changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { startServiceApi, type ServiceApi } from '../../src/main/web/serviceApi';
import type { Credential } from '../../src/main/callers/resolve';
import type { NewAccessKey, SharedResource } from '../../src/shared/model';
import { errorLine, type Result } from '../../src/shared/result';
import type { Input, MethodName, Output } from '../../src/shared/contract';
import { DEMO_ITEMS, demoCore, signIn, type AuditRow, type TestCore } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);

/**
 * The demo with ivan (IAM Admin) signed in, who hands out the shared resources and creates the keys. In the demo
 * po-bot holds global_my_items and impersonation access to the two processes; hr-sync holds user_group_management.
 */
async function setUp() {
  const core = await demoCore(keytarVault);
  await signIn(core, 'ivan');
  const keyOf = (account: 'po-bot' | 'hr-sync') => core.must('ivan', 'keys.create', { username: account, days: 30 });
  const share = (account: 'po-bot' | 'hr-sync', resource: SharedResource, enabled = true) =>
    core.must('ivan', 'sharedResources.set', { serviceAccount: account, resource, enabled });
  return { core, keyOf, share };
}

const as = (key: NewAccessKey, onBehalfOf: string): Credential => ({
  kind: 'accessKey',
  keyId: key.id,
  secret: key.secret,
  onBehalfOf,
});

/** core.callWith, typed by the method as the contract types it. */
const callWith = <M extends MethodName>(
  core: TestCore,
  credential: Credential,
  method: M,
  input: Input<M>,
): Promise<Result<Output<M>>> => core.callWith(credential, method, input) as Promise<Result<Output<M>>>;

/** Who a program's records name: the user it acted for, then its service account (R-S8). */
const by = (user: string, account: string): Partial<AuditRow> => ({
  operator: account,
  effective_user: user,
  impersonator: account,
  username: `${user} (${account})`,
});

/**
 * The call is refused as forbidden with a message naming `rule`, exactly one refused record is written for it, and
 * `read` (what the call would have changed, as an operator sees it) is what it was.
 */
async function expectRefused(
  core: TestCore,
  call: () => Promise<Result<unknown>>,
  rule: string,
  who: Partial<AuditRow>,
  read: () => Promise<unknown> = async () => null,
) {
  const seen = await read();
  const before = core.lastSeq();
  const r = await call();
  expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  // The deciding rule is the error's `rule`, or the rule of the decision R-K6 quotes in its fact.
  expect(r.ok ? '' : errorLine(r.error)).toContain(`(${rule}`);
  const written = core.auditSince(before);
  expect(written).toHaveLength(1);
  expect(written[0]).toMatchObject({ ...who, outcome: 'refused' });
  expect(written[0]?.message).toContain(`(${rule}`);
  expect(await read()).toEqual(seen);
}

/** The call succeeds, and every record it wrote is attributed as `who`. */
async function expectDone<T>(core: TestCore, call: () => Promise<Result<T>>, who: Partial<AuditRow>): Promise<T> {
  const before = core.lastSeq();
  const r = await call();
  if (!r.ok) throw new Error(`refused: ${r.error.code}: ${r.error.message}`);
  for (const record of core.auditSince(before)) expect(record).toMatchObject({ ...who, outcome: 'ok' });
  return r.value;
}

describe.skipIf(!inKeyring)('R-K9: all_flows_integrations lists every flow and changes them as the user may', () => {
  it('lists every flow of every type acting for a person with no role at all; operators list as before', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const key = await keyOf('po-bot');
    const everyFlow = await core.must('admin', 'flows.list', {});
    expect(everyFlow.map((f) => f.type).sort()).toEqual(
      ['app', 'board', 'chat', 'dataset', 'integration', 'process', 'process', 'space'].sort(),
    );
    const before = core.lastSeq();
    expect(await callWith(core, as(key, 'kchen'), 'flows.list', {})).toEqual({ ok: true, value: everyFlow });
    expect(await callWith(core, as(key, 'jdoe'), 'flows.get', { name: 'Finance Space' })).toEqual({
      ok: true,
      value: await core.must('admin', 'flows.get', { name: 'Finance Space' }),
    });
    expect(core.auditSince(before)).toEqual([]); // reading is not recorded, for programs as for people
    // An IAM Admin lists flows through directory.read, though no role of theirs grants flows.list.
    expect(await core.must('ivan', 'flows.list', {})).toEqual(everyFlow);
  });

  it('changes a flow no per-flow grant reaches, as its Flow Admin, recorded as bbuyer (po-bot)', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const key = await keyOf('po-bot');
    const program = as(key, 'bbuyer'); // Flow Admin of the app Procurement Desk, where per-flow access is refused (R-K3)
    const who = by('bbuyer', 'po-bot');
    const member = { flow: 'Procurement Desk', member: { principal: 'kchen' }, role: 'viewer' } as const;
    const added = await expectDone(core, () => callWith(core, program, 'flows.setMember', member), who);
    expect(added.members).toContainEqual({ principal: 'kchen', service: false, role: 'viewer' });
    const fields = [{ name: 'Budget', type: 'number', required: false }] as const;
    const set = await expectDone(
      core,
      () => callWith(core, program, 'flows.setFields', { flow: 'Procurement Desk', fields: [...fields] }),
      who,
    );
    expect(set.fields).toEqual(fields);
    const before = core.lastSeq();
    await expectDone(core, () => callWith(core, program, 'flows.delete', { name: 'Procurement Desk' }), who);
    expect(core.auditSince(before)).toMatchObject([{ log: 'record_deletion', action: 'flow.delete' }]);
    expect((await core.must('admin', 'flows.list', {})).map((f) => f.name)).not.toContain('Procurement Desk');
  });

  it('a per-flow grant reaches the same changes on its own flow, without the shared resource (R-K5, R-K6)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('po-bot');
    // The demo's integration maps into Amount, Supplier and Delivery date: they stay, the change is Amount's.
    const fields = [
      { name: 'Amount', type: 'number', required: true },
      { name: 'Supplier', type: 'text', required: false },
      { name: 'Delivery date', type: 'date', required: false },
    ] as const;
    await expectDone(
      core,
      () => callWith(core, as(key, 'bbuyer'), 'flows.setFields', { flow: 'Purchase Order', fields: [...fields] }),
      by('bbuyer', 'po-bot'),
    );
  });

  it('refuses a change the user may not make by hand, naming R-K9', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const key = await keyOf('po-bot');
    const desk = () => core.must('admin', 'flows.get', { name: 'Procurement Desk' });
    const input = { flow: 'Procurement Desk', member: { principal: 'jdoe' }, role: 'flow_admin' } as const;
    // jdoe has no role in Procurement Desk: acting for them, po-bot has none either.
    await expectRefused(
      core,
      () => callWith(core, as(key, 'jdoe'), 'flows.setMember', input),
      'R-K9',
      by('jdoe', 'po-bot'),
      desk,
    );
    await expectRefused(
      core,
      () => callWith(core, as(key, 'jdoe'), 'flows.delete', { name: 'Procurement Desk' }),
      'R-K9',
      by('jdoe', 'po-bot'),
      desk,
    );
    // Olive is inactive: a service account acts only as an active person.
    await expectRefused(core, () => callWith(core, as(key, 'olive'), 'flows.list', {}), 'R-K9', by('olive', 'po-bot'));
  });

  it('without all_flows_integrations: no list (R-K9), and no change beyond the flows it has a grant on (R-K5)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('po-bot');
    await expectRefused(core, () => callWith(core, as(key, 'alice'), 'flows.list', {}), 'R-K9', by('alice', 'po-bot'));
    await expectRefused(
      core,
      () => callWith(core, as(key, 'bbuyer'), 'flows.get', { name: 'Purchase Order' }),
      'R-K9',
      by('bbuyer', 'po-bot'),
    );
    await expectRefused(
      core,
      () => callWith(core, as(key, 'bbuyer'), 'flows.delete', { name: 'Procurement Desk' }),
      'R-K5',
      by('bbuyer', 'po-bot'),
      () => core.must('admin', 'flows.get', { name: 'Procurement Desk' }),
    );
  });

  it('never reaches items, even acting for the Flow Admin: they need the flow’s own access (R-K5)', async () => {
    const { core, keyOf, share } = await setUp();
    await share('hr-sync', 'all_flows_integrations');
    const key = await keyOf('hr-sync'); // no impersonation access to Purchase Request
    const items = () => core.must('admin', 'items.list', { flow: 'Purchase Request' });
    const calls = [
      ['jdoe', 'items.create', { flow: 'Purchase Request', title: 'Laptop' }],
      ['alice', 'items.list', { flow: 'Purchase Request' }],
      ['alice', 'items.delete', { id: DEMO_ITEMS.purchaseRequest[0] }],
    ] as const;
    for (const [user, method, input] of calls) {
      await expectRefused(core, () => callWith(core, as(key, user), method, input), 'R-K5', by(user, 'hr-sync'), items);
      expect(await callWith(core, as(key, user), method, input)).toMatchObject({
        error: {
          message: expect.stringContaining(
            'hr-sync has no impersonation access to flow Purchase Request itself, and all_flows_integrations does ' +
              'not reach items',
          ),
          rule: 'R-K5',
        },
      });
    }
    // The flow itself is still within reach, as its Flow Admin may change it (R-K9)…
    const member = { flow: 'Purchase Request', member: { principal: 'ffinance' }, role: 'viewer' } as const;
    await expectDone(core, () => callWith(core, as(key, 'alice'), 'flows.setMember', member), by('alice', 'hr-sync'));
    // …and the flow's own grant is what opens its items.
    await core.must('admin', 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'hr-sync',
      enabled: true,
    });
    const input = { flow: 'Purchase Request', title: 'Laptop' };
    const made = await expectDone(
      core,
      () => callWith(core, as(key, 'jdoe'), 'items.create', input),
      by('jdoe', 'hr-sync'),
    );
    expect(made).toMatchObject({ flow: 'Purchase Request', title: 'Laptop', createdBy: 'jdoe' });
  });

  it('never grants impersonation access nor adds its account as Flow Admin, even acting for a Super Admin', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const key = await keyOf('po-bot');
    const order = () => core.must('admin', 'flows.get', { name: 'Purchase Order' });
    const calls = [
      ['flows.setImpersonation', { flow: 'Purchase Order', serviceAccount: 'hr-sync', enabled: true }],
      ['flows.addSelfAsAdmin', { flow: 'Purchase Order' }],
    ] as const;
    for (const [method, input] of calls) {
      const seen = await order();
      const before = core.lastSeq();
      expect(await callWith(core, as(key, 'alice'), method, input)).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: `${method} needs a signed-in person; programs cannot call it.` },
      });
      expect(core.auditSince(before)).toMatchObject([{ ...by('alice', 'po-bot'), action: method, outcome: 'refused' }]);
      expect(await order()).toEqual(seen);
    }
  });
});

describe.skipIf(!inKeyring)('R-K10: a program never changes a service account’s place, whoever it acts for', () => {
  it('no flow role for a service account, nor for a group with service accounts in it; a person still gives them', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const key = await keyOf('po-bot');
    const program = as(key, 'bbuyer'); // Flow Admin of Procurement Desk: by hand, bbuyer could make these changes
    const who = by('bbuyer', 'po-bot');
    const desk = () => core.must('admin', 'flows.get', { name: 'Procurement Desk' });
    const changes = [
      { principal: 'po-bot', role: 'flow_admin' }, // its own account: Flow Admin, then items as itself (R-K10)
      { principal: 'hr-sync', role: 'initiator' }, // another account
      { group: 'Service Account', role: 'viewer' }, // every service account, through the system group
    ] as const;
    for (const { role, ...member } of changes) {
      await expectRefused(
        core,
        () => callWith(core, program, 'flows.setMember', { flow: 'Procurement Desk', member, role }),
        'R-K10',
        who,
        desk,
      );
    }
    // bbuyer at the console decides it; the program then may not take it back either.
    const bbuyer = await signIn(core, 'bbuyer');
    const added = await core.must(bbuyer, 'flows.setMember', {
      flow: 'Procurement Desk',
      member: { principal: 'po-bot' },
      role: 'viewer',
    });
    expect(added.members).toContainEqual({ principal: 'po-bot', service: true, role: 'viewer' });
    await expectRefused(
      core,
      () =>
        callWith(core, program, 'flows.setMember', {
          flow: 'Procurement Desk',
          member: { principal: 'po-bot' },
          role: null,
        }),
      'R-K10',
      who,
      desk,
    );
    // A person's place stays the program's to change, as the user could by hand.
    await expectDone(
      core,
      () =>
        callWith(core, program, 'flows.setMember', {
          flow: 'Procurement Desk',
          member: { principal: 'kchen' },
          role: 'viewer',
        }),
      who,
    );
  });

  it('R-K4: nor takes the flow from its people: the last person who is Flow Admin stays one', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const key = await keyOf('po-bot');
    const program = as(key, 'bbuyer');
    const desk = () => core.must('admin', 'flows.get', { name: 'Procurement Desk' });
    const admins = async () => (await desk()).members.filter((x) => x.role === 'flow_admin');
    expect(await admins()).toEqual([{ principal: 'bbuyer', service: false, role: 'flow_admin' }]);
    for (const role of [null, 'viewer'] as const) {
      await expectRefused(
        core,
        () =>
          callWith(core, program, 'flows.setMember', {
            flow: 'Procurement Desk',
            member: { principal: 'bbuyer' },
            role,
          }),
        'R-K4',
        by('bbuyer', 'po-bot'),
        desk,
      );
    }
    // With another person as Flow Admin, bbuyer may step down through the program, as by hand.
    const bbuyer = await signIn(core, 'bbuyer');
    await core.must(bbuyer, 'flows.setMember', {
      flow: 'Procurement Desk',
      member: { principal: 'kchen' },
      role: 'flow_admin',
    });
    await expectDone(
      core,
      () =>
        callWith(core, program, 'flows.setMember', {
          flow: 'Procurement Desk',
          member: { principal: 'bbuyer' },
          role: 'viewer',
        }),
      by('bbuyer', 'po-bot'),
    );
    expect(await admins()).toEqual([{ principal: 'kchen', service: false, role: 'flow_admin' }]);
  });

  it('no group places for a service account, acting for a User Admin (user_group_management)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    const program = as(key, 'ursula');
    const groups = () => core.must('admin', 'groups.list', {});
    for (const username of ['hr-sync', 'po-bot']) {
      await expectRefused(
        core,
        () => callWith(core, program, 'groups.setMember', { group: 'Procurement', username, member: true }),
        'R-K10',
        by('ursula', 'hr-sync'),
        groups,
      );
    }
  });
});

describe.skipIf(!inKeyring)('R-K7: user_group_management changes users and groups as an administrator may', () => {
  it('acting for a User Admin: statuses, deletions and groups, recorded as ursula (hr-sync)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    const program = as(key, 'ursula');
    const who = by('ursula', 'hr-sync');
    const page = await expectDone(core, () => callWith(core, program, 'directory.list', { search: 'olive' }), who);
    expect(page.allowed.olive).toEqual({
      statuses: ['active'],
      roles: ['user_admin'],
      delete: true,
      setPassword: true,
      rename: true,
    });
    const olive = await expectDone(
      core,
      () => callWith(core, program, 'directory.setStatus', { username: 'olive', status: 'active' }),
      who,
    );
    expect(olive.status).toBe('active');
    await expectDone(core, () => callWith(core, program, 'directory.delete', { username: 'lou' }), who);
    await expectDone(core, () => callWith(core, program, 'groups.create', { name: 'Contractors' }), who);
    const groups = await expectDone(
      core,
      () => callWith(core, program, 'groups.setMember', { group: 'Contractors', username: 'kchen', member: true }),
      who,
    );
    expect(groups.find((g) => g.name === 'Contractors')?.members).toEqual(['kchen']);
    expect(await callWith(core, program, 'groups.list', {})).toEqual({ ok: true, value: groups });
    await expectDone(core, () => callWith(core, program, 'groups.delete', { name: 'Contractors' }), who);
  });

  it('edits a user’s details (display name) as a User Admin may, recorded as ursula (hr-sync); within her rights (R-K7)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    const program = as(key, 'ursula');
    const who = by('ursula', 'hr-sync');
    const before = core.lastSeq();
    const kchen = await expectDone(
      core,
      () => callWith(core, program, 'directory.setDisplayName', { username: 'kchen', displayName: 'Kim Chen' }),
      who,
    );
    expect(kchen).toMatchObject({ username: 'kchen', displayName: 'Kim Chen' });
    expect(core.auditSince(before)).toMatchObject([
      {
        log: 'history',
        action: 'principal.displayName',
        target: 'kchen',
        message: 'kchen display name: (empty) → Kim Chen',
      },
    ]);
    // ivan's roles grant rights ursula's do not: she may not rename him by hand, nor may a program acting for her.
    const ivan = async () => (await core.must('admin', 'directory.list', { search: 'ivan' })).rows;
    await expectRefused(
      core,
      () => callWith(core, program, 'directory.setDisplayName', { username: 'ivan', displayName: 'Ivan the IAM' }),
      'R-K7',
      who,
      ivan,
    );
    // Without user_group_management, or acting for someone who is no administrator: refused, naming R-K7.
    const poBot = await keyOf('po-bot');
    const kchenRow = async () => (await core.must('admin', 'directory.list', { search: 'kchen' })).rows;
    for (const [k, user] of [
      [poBot, 'alice'],
      [key, 'jdoe'],
    ] as const) {
      await expectRefused(
        core,
        () => callWith(core, as(k, user), 'directory.setDisplayName', { username: 'kchen', displayName: 'K. Chen' }),
        'R-K7',
        by(user, k === key ? 'hr-sync' : 'po-bot'),
        kchenRow,
      );
    }
  });

  it('acting for a User Admin: no status change of an IAM Admin or a Super Admin, whose rights she lacks (R-K7)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    const statuses = async () =>
      (await core.must('admin', 'directory.list', { limit: 500 })).rows.map((p) => [p.username, p.status]);
    for (const username of ['ivan', 'alice']) {
      await expectRefused(
        core,
        () => callWith(core, as(key, 'ursula'), 'directory.setStatus', { username, status: 'inactive' }),
        'R-K7',
        by('ursula', 'hr-sync'),
        statuses,
      );
    }
    const r = await callWith(core, as(key, 'ursula'), 'directory.setStatus', { username: 'ivan', status: 'inactive' });
    // The rule is the error's, apart from the sentence (as every refusal carries it).
    expect(r).toMatchObject({
      ok: false,
      error: {
        rule: 'R-K7',
        message: expect.stringMatching(/^You may not deactivate ivan: .*; hr-sync acts within ursula's own rights\.$/),
      },
    });
  });

  it('acting for an IAM Admin: the roles whose rights that admin holds, and no other (R-K7)', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    const kchen = await expectDone(
      core,
      () => callWith(core, as(key, 'ivan'), 'directory.setRoles', { username: 'kchen', roles: ['impersonator'] }),
      by('ivan', 'hr-sync'),
    );
    expect(kchen.roles).toEqual(['impersonator']);
    // ivan holds no user_admin, but every right it grants: rights are compared, not role names.
    const pmehta = await expectDone(
      core,
      () => callWith(core, as(key, 'ivan'), 'directory.setRoles', { username: 'pmehta', roles: ['user_admin'] }),
      by('ivan', 'hr-sync'),
    );
    expect(pmehta.roles).toEqual(['user_admin']);
    const jdoe = async () => (await core.must('admin', 'directory.list', { search: 'jdoe' })).rows;
    await expectRefused(
      core,
      () => callWith(core, as(key, 'ivan'), 'directory.setRoles', { username: 'jdoe', roles: ['auditor'] }),
      'R-K7',
      by('ivan', 'hr-sync'),
      jdoe,
    );
    expect(
      await callWith(core, as(key, 'ivan'), 'directory.setRoles', { username: 'jdoe', roles: ['super_admin'] }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('policy.import') } });
    // A User Admin may not delete an IAM Admin: that takes away a role they do not hold.
    await expectRefused(
      core,
      () => callWith(core, as(key, 'ursula'), 'directory.delete', { username: 'ivan' }),
      'R-K7',
      by('ursula', 'hr-sync'),
      async () => (await core.must('admin', 'directory.list', { search: 'ivan' })).rows,
    );
  });

  it('refuses acting for someone who is not an administrator, or without the grant, naming R-K7', async () => {
    const { core, keyOf } = await setUp();
    const hrSync = await keyOf('hr-sync');
    const poBot = await keyOf('po-bot');
    const groups = () => core.must('admin', 'groups.list', {});
    // audrey (Auditor) reads the directory by hand, but is no administrator.
    await expectRefused(
      core,
      () => callWith(core, as(hrSync, 'audrey'), 'groups.list', {}),
      'R-K7',
      by('audrey', 'hr-sync'),
    );
    await expectRefused(
      core,
      () => callWith(core, as(hrSync, 'jdoe'), 'directory.setStatus', { username: 'olive', status: 'active' }),
      'R-K7',
      by('jdoe', 'hr-sync'),
      async () => (await core.must('admin', 'directory.list', { search: 'olive' })).rows,
    );
    await expectRefused(
      core,
      () => callWith(core, as(poBot, 'alice'), 'groups.create', { name: 'Contractors' }),
      'R-K7',
      by('alice', 'po-bot'),
      groups,
    );
  });

  it('the user acted for is themself: no change to their own status', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    const before = core.lastSeq();
    expect(
      await callWith(core, as(key, 'ursula'), 'directory.setStatus', { username: 'ursula', status: 'inactive' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict', message: 'You cannot change your own status.' } });
    expect(core.auditSince(before)).toMatchObject([{ ...by('ursula', 'hr-sync'), outcome: 'refused' }]);
  });

  it('leaves service accounts to R-K1 and passwords to people, even acting for a Super Admin', async () => {
    const { core, keyOf } = await setUp();
    const key = await keyOf('hr-sync');
    await expectRefused(
      core,
      () => callWith(core, as(key, 'alice'), 'directory.setStatus', { username: 'po-bot', status: 'inactive' }),
      'R-K2',
      by('alice', 'hr-sync'),
      async () => (await core.must('admin', 'directory.list', { search: 'po-bot' })).rows,
    );
    await expectRefused(
      core,
      () => callWith(core, as(key, 'alice'), 'directory.setDisplayName', { username: 'po-bot', displayName: 'PO' }),
      'R-K2',
      by('alice', 'hr-sync'),
      async () => (await core.must('admin', 'directory.list', { search: 'po-bot' })).rows,
    );
    const before = core.lastSeq();
    const input = { username: 'jdoe', password: 'another-password-42' };
    expect(await callWith(core, as(key, 'alice'), 'directory.setPassword', input)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'directory.setPassword needs a signed-in person; programs cannot call it.' },
    });
    expect(core.auditSince(before)).toMatchObject([{ ...by('alice', 'hr-sync'), outcome: 'refused' }]);
  });
});

describe.skipIf(!inKeyring)(
  'R-K8: global_my_items reads any user’s My Items; acting on an item still needs the flow',
  () => {
    /** jdoe creates an item by hand in each process; po-bot then loses its per-flow access to Purchase Request. */
    async function withItems() {
      const { core, keyOf, share } = await setUp();
      await signIn(core, 'jdoe');
      const order = await core.must('jdoe', 'items.create', { flow: 'Purchase Order', title: 'Chairs' });
      const request = await core.must('jdoe', 'items.create', { flow: 'Purchase Request', title: 'Laptop' });
      await core.must('admin', 'flows.setImpersonation', {
        flow: 'Purchase Request',
        serviceAccount: 'po-bot',
        enabled: false,
      });
      return { core, key: await keyOf('po-bot'), share, order, request };
    }

    it('reads the named user’s Created by me across every flow, without recording the read', async () => {
      const { core, key, order, request } = await withItems();
      const before = core.lastSeq();
      const created = await callWith(core, as(key, 'jdoe'), 'myItems.list', { which: 'created' });
      expect(created).toMatchObject({ ok: true, value: { next: null } });
      const items = created.ok ? created.value.items : [];
      // jdoe's two new items, newest first, then the demo's; each says what po-bot may do for jdoe now: nothing in
      // Purchase Request, whose impersonation access it lost (R-K5), what jdoe may do to her own draft elsewhere.
      expect(items.map((i) => i.id)).toEqual([request.id, order.id, ...DEMO_ITEMS.createdByJdoe]);
      expect(items.slice(0, 2)).toEqual([
        { ...request, allowed: [] },
        { ...order, allowed: ['read', 'update', 'assign', 'submit'] },
      ]);
      for (const item of items.filter((i) => i.flow === 'Purchase Request')) {
        expect(item.allowed, `item ${item.id}`).toEqual([]);
      }
      expect(await callWith(core, as(key, 'jdoe'), 'myItems.list', { which: 'assigned' })).toEqual({
        ok: true,
        value: { items: [], next: null },
      });
      expect(core.auditSince(before)).toEqual([]);
    });

    it('reading an item listed there, in a flow it has no access to, is refused naming R-K5', async () => {
      const { core, key, request } = await withItems();
      await expectRefused(
        core,
        () => callWith(core, as(key, 'jdoe'), 'items.update', { id: request.id, title: 'Two laptops' }),
        'R-K5',
        by('jdoe', 'po-bot'),
        () => core.must('jdoe', 'items.get', { id: request.id }),
      );
    });

    it('per-flow impersonation alone does not read My Items: they span flows it has no grant on (R-K8)', async () => {
      const { core, key, share } = await withItems();
      await share('po-bot', 'global_my_items', false);
      await expectRefused(
        core,
        () => callWith(core, as(key, 'jdoe'), 'myItems.list', { which: 'created' }),
        'R-K8',
        by('jdoe', 'po-bot'),
      );
    });

    it('refuses reading the lists of someone inactive, naming R-K8', async () => {
      const { core, key } = await withItems();
      await expectRefused(
        core,
        () => callWith(core, as(key, 'olive'), 'myItems.list', { which: 'assigned' }),
        'R-K8',
        by('olive', 'po-bot'),
      );
    });
  },
);

describe.skipIf(!inKeyring)('R-K7, R-K9 over HTTP: the service API serves the new methods', () => {
  const servers: ServiceApi[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  const basic = (key: NewAccessKey) => `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString('base64')}`;
  async function post(server: ServiceApi, method: string, body: unknown, key: NewAccessKey, user: string) {
    const res = await fetch(`${server.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(key), 'deputy-on-behalf-of': user },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it('R-K9: flows.list for a person with no role; R-K7: groups.create for a User Admin, recorded as such', async () => {
    const { core, keyOf, share } = await setUp();
    await share('po-bot', 'all_flows_integrations');
    const [poBot, hrSync] = [await keyOf('po-bot'), await keyOf('hr-sync')];
    const server = await startServiceApi({ callWith: core.callWith });
    servers.push(server);
    expect(await post(server, 'flows.list', { type: 'chat' }, poBot, 'kchen')).toEqual({
      status: 200,
      body: { ok: true, value: [{ name: 'Procurement Chat', type: 'chat', members: 1, impersonation: [] }] },
    });
    const before = core.lastSeq();
    const created = await post(server, 'groups.create', { name: 'Contractors' }, hrSync, 'ursula');
    expect(created).toMatchObject({ status: 200, body: { ok: true } });
    expect(core.auditSince(before)).toMatchObject([
      { ...by('ursula', 'hr-sync'), action: 'group.create', outcome: 'ok' },
    ]);
    expect(await post(server, 'groups.create', { name: 'Others' }, hrSync, 'jdoe')).toMatchObject({
      status: 403,
      body: { ok: false, error: { code: 'forbidden', rule: 'R-K7' } },
    });
  });

  it('R-K9: all_flows_integrations alone creates no item: 403 naming R-K5, nothing written but the refusal', async () => {
    const { core, keyOf, share } = await setUp();
    await share('hr-sync', 'all_flows_integrations');
    const hrSync = await keyOf('hr-sync');
    const server = await startServiceApi({ callWith: core.callWith });
    servers.push(server);
    const before = core.lastSeq();
    const items = await core.must('admin', 'items.list', { flow: 'Purchase Request' });
    expect(await post(server, 'items.create', { flow: 'Purchase Request', title: 'Laptop' }, hrSync, 'jdoe')).toEqual({
      status: 403,
      body: {
        ok: false,
        error: {
          code: 'forbidden',
          message:
            'You may not do this: hr-sync has no impersonation access to flow Purchase Request itself, and ' +
            'all_flows_integrations does not reach items.',
          rule: 'R-K5',
        },
      },
    });
    expect(core.auditSince(before)).toMatchObject([
      { ...by('jdoe', 'hr-sync'), action: 'item.create', outcome: 'refused' },
    ]);
    expect(await core.must('admin', 'items.list', { flow: 'Purchase Request' })).toEqual(items);
  });
});
