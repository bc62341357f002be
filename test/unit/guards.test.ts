// Every contract method declares its guard (src/shared/contract.ts), and dispatch or the method's service
// applies it: a caller without the right is refused, and the refusal is recorded once (R-L3).
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import demo from '../../resources/demo.json';
import { ACCOUNT_ROLE_PERMISSIONS } from '../../src/main/policy/catalog';
import {
  contract,
  isProgramMethod,
  methodNames,
  type Contract,
  type Guard,
  type Input,
  type MethodName,
} from '../../src/shared/contract';
import { ACCOUNT_ACTIONS, type AccountAction, type Action } from '../../src/shared/policy';
import type { AccountRole } from '../../src/shared/model';
import { demoCore, signIn, type AuditRow, type TestCore } from './helpers';

type GuardOf<M extends MethodName> = Contract[M]['guard'];
type MethodsGuardedBy<G extends Guard> = { [M in MethodName]: GuardOf<M> extends G ? M : never }[MethodName];
type PublicMethod = MethodsGuardedBy<'public'>;
type SignedInMethod = MethodsGuardedBy<'signedIn'>;
type RefusableMethod = Exclude<MethodName, PublicMethod | SignedInMethod>;

const SIGNED_IN_METHODS = [
  'access.canI',
  'access.decide',
  'auth.signOut',
  'impersonation.end',
  'notices.dismiss',
] as const;

const grantedBySomeRole = (action: AccountAction) =>
  Object.values(ACCOUNT_ROLE_PERMISSIONS).some((granted) => (granted as readonly string[]).includes(action));

/** The demo people the refusal table uses; each signs in on a connection of their own name. */
const CALLERS = ['alice', 'ivan', 'ursula', 'audrey', 'jdoe'] as const;
type DemoCaller = (typeof CALLERS)[number];
const rolesOf = (username: string): AccountRole[] =>
  (demo.users.find((u) => u.username === username)?.roles ?? []) as AccountRole[];
const holds = (username: string, action: AccountAction) =>
  rolesOf(username).some((r) => (ACCOUNT_ROLE_PERMISSIONS[r] as readonly string[]).includes(action));

/** What some inputs name that only exists once the core does. */
interface Fixture {
  /** A Record Deletion Log record that can be restored: a group alice deleted. */
  deletionSeq: number;
  /** An access key of po-bot. */
  keyId: string;
  /** The demo organisation's policy bundle, as exported. */
  bundle: unknown;
  /** A draft in Purchase Request, created by alice (its Flow Admin). */
  itemId: number;
}

interface Row<M extends MethodName> {
  /** A demo person who lacks the right, chosen to hold as many other rights as the demo allows. */
  as: DemoCaller;
  /** A valid input: the refusal must come from the guard, not from the schema or a missing resource. */
  input: Input<M> | ((f: Fixture) => Input<M>);
}
/** A per-resource method names the check its service refuses, or why it refuses nothing. */
type PerResource =
  | { refuses: { action: Action; target: string } }
  /** `shows`: what the caller gets, when not an empty list. */
  | { refusesNothing: string; shows?: unknown };
type RowOf<M extends MethodName> = GuardOf<M> extends 'perResource' ? Row<M> & PerResource : Row<M>;

const ROWS = {
  'directory.list': { as: 'jdoe', input: {} },
  'directory.setStatus': {
    as: 'audrey',
    input: { username: 'olive', status: 'active' },
    refuses: { action: 'directory.write', target: 'account' },
  },
  'directory.setRoles': { as: 'audrey', input: { username: 'jdoe', roles: ['auditor'] } },
  'directory.delete': { as: 'audrey', input: { username: 'olive' } },
  'directory.setPassword': { as: 'audrey', input: { username: 'jdoe', password: 'another-password-42' } },
  'directory.create': { as: 'audrey', input: { username: 'newbie', displayName: 'New Person' } },
  'directory.setDisplayName': {
    as: 'audrey',
    input: { username: 'kchen', displayName: 'Kim Chen' },
    refuses: { action: 'directory.write', target: 'account' },
  },
  'groups.list': { as: 'jdoe', input: {} },
  'groups.delete': { as: 'audrey', input: { name: 'Finance' } },
  'groups.create': { as: 'audrey', input: { name: 'Auditors' } },
  'groups.setMember': { as: 'audrey', input: { group: 'Finance', username: 'jdoe', member: true } },
  'flows.create': { as: 'ivan', input: { name: 'Invoices', type: 'process' } },
  'flows.get': { as: 'jdoe', input: { name: 'Purchase Order' } },
  // R-K4: even a Super Admin is not Flow Admin of a flow until they add themself.
  'flows.setMember': {
    as: 'alice',
    input: { flow: 'Purchase Order', member: { principal: 'ffinance' }, role: 'viewer' },
    refuses: { action: 'flow.members', target: 'flow:Purchase Order' },
  },
  'flows.setImpersonation': {
    as: 'alice',
    input: { flow: 'Purchase Order', serviceAccount: 'hr-sync', enabled: true },
    refuses: { action: 'flow.impersonation', target: 'flow:Purchase Order' },
  },
  'flows.addSelfAsAdmin': {
    as: 'ivan',
    input: { flow: 'Purchase Order' },
    refuses: { action: 'flow.addSelfAsAdmin', target: 'flow:Purchase Order' },
  },
  'flows.removeSelfAsAdmin': {
    as: 'ivan',
    input: { flow: 'Purchase Order' },
    refuses: { action: 'flow.members', target: 'flow:Purchase Order' },
  },
  'flows.delete': {
    as: 'alice',
    input: { name: 'Purchase Order' },
    refuses: { action: 'flow.settings', target: 'flow:Purchase Order' },
  },
  'flows.setFields': {
    as: 'alice',
    input: { flow: 'Purchase Order', fields: [{ name: 'Amount', type: 'number', required: true }] },
    refuses: { action: 'flow.settings', target: 'flow:Purchase Order' },
  },
  'integrations.get': { as: 'jdoe', input: { flow: 'Purchase Request to Order' } },
  'integrations.set': {
    as: 'jdoe',
    input: { flow: 'Purchase Request to Order', rule: null },
    refuses: { action: 'flow.settings', target: 'flow:Purchase Request to Order' },
  },
  'items.list': {
    as: 'audrey',
    input: { flow: 'Purchase Request' },
    refuses: { action: 'item.read', target: 'flow:Purchase Request' },
  },
  'items.get': {
    as: 'audrey',
    input: (f) => ({ id: f.itemId }),
    refuses: { action: 'item.read', target: 'flow:Purchase Request' },
  },
  'items.create': {
    as: 'audrey',
    input: { flow: 'Purchase Request', title: 'Laptop' },
    refuses: { action: 'item.create', target: 'flow:Purchase Request' },
  },
  // jdoe initiates Purchase Requests, but edits only their own drafts: alice's is not theirs.
  'items.update': {
    as: 'jdoe',
    input: (f) => ({ id: f.itemId, title: 'Desk' }),
    refuses: { action: 'item.update', target: 'flow:Purchase Request' },
  },
  'items.submit': {
    as: 'jdoe',
    input: (f) => ({ id: f.itemId }),
    refuses: { action: 'item.update', target: 'flow:Purchase Request' },
  },
  'items.assign': {
    as: 'jdoe',
    input: (f) => ({ id: f.itemId, to: 'pmehta' }),
    refuses: { action: 'item.update', target: 'flow:Purchase Request' },
  },
  'items.complete': {
    as: 'jdoe',
    input: (f) => ({ id: f.itemId }),
    refuses: { action: 'item.complete', target: 'flow:Purchase Request' },
  },
  'items.reopen': {
    as: 'jdoe',
    input: (f) => ({ id: f.itemId }),
    refuses: { action: 'item.complete', target: 'flow:Purchase Request' },
  },
  'items.delete': {
    as: 'jdoe',
    input: (f) => ({ id: f.itemId }),
    refuses: { action: 'item.delete', target: 'flow:Purchase Request' },
  },
  'myItems.list': {
    as: 'audrey',
    input: { which: 'created' },
    refusesNothing: 'every person reads their own My Items (R-K8), and audrey has none',
    shows: { items: [], next: null },
  },
  'flows.mine': {
    as: 'audrey',
    input: {},
    refusesNothing: 'it lists only the flows where decide() lets the caller read items, and audrey is in none',
  },
  'sharedResources.list': { as: 'jdoe', input: {} },
  'sharedResources.set': {
    as: 'ursula',
    input: { serviceAccount: 'po-bot', resource: 'all_flows_integrations', enabled: true },
  },
  'flows.list': { as: 'jdoe', input: {} },
  'access.check': {
    as: 'jdoe',
    input: { actor: 'po-bot', onBehalfOf: 'jdoe', action: 'item.create', resource: 'flow:Purchase Order' },
  },
  'policy.export': { as: 'ursula', input: {} },
  'policy.import': { as: 'ivan', input: (f) => ({ bundle: f.bundle, dryRun: true }) },
  'audit.list': { as: 'ivan', input: {} },
  'audit.countsPerDay': { as: 'ivan', input: {} },
  'audit.export': { as: 'ivan', input: { format: 'jsonl' } },
  // The auditor sees the deletion, and may not undo it.
  'audit.restore': {
    as: 'audrey',
    input: (f) => ({ seq: f.deletionSeq }),
    refuses: { action: 'directory.write', target: 'account' },
  },
  'audit.mayRestore': { as: 'ivan', input: (f) => ({ seq: f.deletionSeq }) },
  'forwarding.get': { as: 'ivan', input: {} },
  'forwarding.set': { as: 'audrey', input: { target: { protocol: 'udp', host: '127.0.0.1', port: 514 } } },
  'forwarding.test': { as: 'audrey', input: { target: { protocol: 'udp', host: '127.0.0.1', port: 514 } } },
  'audit.verify': { as: 'ivan', input: {} },
  'impersonation.candidates': {
    as: 'jdoe',
    input: { query: 'Jane' },
    refusesNothing: 'it lists only the users decide() lets the caller impersonate (R-S3)',
  },
  'impersonation.recent': {
    as: 'jdoe',
    input: {},
    refusesNothing: "it lists the caller's own past targets that decide() still lets them impersonate",
  },
  'impersonation.start': {
    as: 'audrey',
    input: { username: 'jdoe', reason: 'REQ-42' },
    refuses: { action: 'session.start', target: 'user:jdoe' },
  },
  'impersonation.sessions': {
    as: 'ivan',
    input: { all: true },
    refuses: { action: 'audit.read', target: 'account' },
  },
  'serviceAccounts.list': { as: 'jdoe', input: {} },
  'serviceAccounts.create': { as: 'ursula', input: { username: 'ci-bot', displayName: 'CI Bot' } },
  'serviceAccounts.rename': { as: 'ursula', input: { username: 'po-bot', displayName: 'PO Bot' } },
  'serviceAccounts.delete': { as: 'ursula', input: { username: 'hr-sync' } },
  'serviceAccounts.associated': { as: 'jdoe', input: { username: 'po-bot' } },
  // ivan may change shared-resource grants, but is no Flow Admin of the flows po-bot impersonates in.
  'serviceAccounts.removeAllImpersonation': {
    as: 'ivan',
    input: { username: 'po-bot' },
    refuses: { action: 'flow.impersonation', target: 'flow:Purchase Order' },
  },
  'keys.list': { as: 'jdoe', input: { username: 'po-bot' } },
  'keys.create': { as: 'ursula', input: { username: 'po-bot', days: 90 } },
  'keys.setEnabled': { as: 'ursula', input: (f) => ({ keyId: f.keyId, enabled: false }) },
  'keys.delete': { as: 'ursula', input: (f) => ({ keyId: f.keyId }) },
  'designObjects.list': { as: 'jdoe', input: {} },
  // Design objects and portals are kept by the account administrators (R-K1): a User Admin is not one.
  'designObjects.create': { as: 'ursula', input: { name: 'Supplier', kind: 'record_type' } },
  'designObjects.setPermissions': { as: 'ursula', input: { name: 'Supplier', permissions: [] } },
  'designObjects.delete': { as: 'ursula', input: { name: 'Supplier' } },
  'portals.list': { as: 'jdoe', input: {} },
  'portals.get': { as: 'jdoe', input: { name: 'Supplier Portal' } },
  'portals.create': {
    as: 'ursula',
    input: {
      name: 'Supplier Portal',
      serviceAccount: 'po-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    },
  },
  'portals.update': { as: 'ursula', input: { name: 'Supplier Portal', serviceAccount: 'hr-sync' } },
  'portals.delete': { as: 'ursula', input: { name: 'Supplier Portal' } },
  'portals.fix': { as: 'ursula', input: { portal: 'Supplier Portal', finding: 'query_records|Supplier' } },
  'portals.recordTypeAccess': { as: 'jdoe', input: { serviceAccount: 'po-bot' } },
  'portals.publish': { as: 'ursula', input: { name: 'Supplier Portal' } },
  'portals.rotate': { as: 'ursula', input: { name: 'Supplier Portal' } },
  'portals.keys': { as: 'jdoe', input: {} },
  'portals.decide': {
    as: 'jdoe',
    input: { portal: 'Supplier Portal', useCase: 'query_records', object: 'Supplier' },
  },
  'settings.get': { as: 'jdoe', input: {} },
  'settings.update': { as: 'audrey', input: { idleLockMinutes: 30 } },
} satisfies { [M in RefusableMethod]: RowOf<M> };

type Rows = typeof ROWS;
const refusable = Object.keys(ROWS) as RefusableMethod[];
const inputOf = (method: RefusableMethod, f: Fixture): unknown => {
  const input: unknown = ROWS[method].input;
  return typeof input === 'function' ? (input as (f: Fixture) => unknown)(f) : input;
};
/** The check a method's refusal record names: its declared account action, or its service's per-resource check. */
const refusedCheck = (method: RefusableMethod): { action: Action; target: string } | undefined => {
  const guard: Guard = contract[method].guard;
  if (typeof guard === 'object') return { action: guard.action, target: 'account' };
  const row: Rows[RefusableMethod] = ROWS[method];
  return 'refuses' in row ? row.refuses : undefined;
};
const refusesNothing = (method: RefusableMethod) => 'refusesNothing' in ROWS[method];

describe('every method declares a guard that someone can pass', () => {
  it('is public, signedIn, perResource, or an account action from ACCOUNT_ACTIONS', () => {
    for (const method of methodNames) {
      const guard: unknown = contract[method].guard;
      if (typeof guard === 'string') {
        expect(['public', 'signedIn', 'perResource'], method).toContain(guard);
      } else {
        const { action, program, ...rest } = guard as { action: string; program?: string };
        expect(rest, method).toEqual({});
        expect(ACCOUNT_ACTIONS, method).toContain(action);
        // What a program is asked instead (R-K9): only for methods programs may call.
        if (program !== undefined) {
          expect(ACCOUNT_ACTIONS, method).toContain(program);
          expect(isProgramMethod(method), method).toBe(true);
        }
      }
    }
  });

  it('names only account actions that some role in the catalog grants: otherwise nobody could call the method', () => {
    const ungrantable = methodNames.flatMap((method) => {
      const guard: Guard = contract[method].guard;
      return typeof guard === 'object' && !grantedBySomeRole(guard.action) ? [`${method}: ${guard.action}`] : [];
    });
    expect(ungrantable).toEqual([]);
  });

  it('leaves only the methods that touch the caller’s own session or notices to any signed-in caller', () => {
    expectTypeOf<SignedInMethod>().toEqualTypeOf<(typeof SIGNED_IN_METHODS)[number]>();
    expect(methodNames.filter((m) => contract[m].guard === 'signedIn').sort()).toEqual([...SIGNED_IN_METHODS]);
  });

  it('has a refusal case below for every other non-public method', () => {
    const others = methodNames.filter((m) => !['public', 'signedIn'].includes(contract[m].guard as string));
    expect([...refusable].sort()).toEqual(others.sort());
  });
});

describe('R-L3: every guarded method refuses a caller without the right, and records the refusal once', () => {
  let core: TestCore;
  let fixture: Fixture;
  beforeAll(async () => {
    core = await demoCore(undefined, 'file');
    await core.must('admin', 'groups.create', { name: 'Temporary' });
    await core.must('admin', 'groups.delete', { name: 'Temporary' });
    const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    fixture = {
      deletionSeq: core.auditSince(0).findLast((r) => r.log === 'record_deletion')!.seq,
      keyId: key.id,
      bundle: await core.must('admin', 'policy.export', {}),
      itemId: (await core.must('admin', 'items.create', { flow: 'Purchase Request', title: 'Laptop' })).id,
    };
    for (const person of CALLERS) await signIn(core, person);
  });

  it('the table’s callers lack the account action each method declares', () => {
    for (const method of refusable) {
      const guard: Guard = contract[method].guard;
      if (typeof guard === 'object') expect(holds(ROWS[method].as, guard.action), method).toBe(false);
    }
  });

  const refusing = refusable.filter((m) => !refusesNothing(m));
  it.each(refusing)('%s: forbidden, with one refused record naming the caller', async (method) => {
    const { as } = ROWS[method];
    const before = core.lastSeq();
    const result = await core.call(as, method, inputOf(method, fixture));
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const written = core.auditSince(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject<Partial<AuditRow>>({
      outcome: 'refused',
      operator: as,
      effective_user: as,
      impersonator: null,
      username: as,
      ...refusedCheck(method),
    });
  });

  const filtering = refusable.filter(refusesNothing);
  it.each(filtering)('%s: refuses nothing, and shows the caller nothing that is not theirs', async (method) => {
    const before = core.lastSeq();
    const row: Rows[RefusableMethod] = ROWS[method];
    const shows = 'shows' in row ? row.shows : [];
    expect(await core.call(row.as, method, inputOf(method, fixture))).toEqual({ ok: true, value: shows });
    expect(core.auditSince(before)).toEqual([]);
  });
});

describe('R-S3: impersonation candidates need the right to impersonate', () => {
  // `explain: true` lists every matching principal with why they are excluded: that is reading the directory,
  // so it needs directory.read (without it the list held everyone's username and display name).
  it('a person who may impersonate nobody learns no one’s name, even when asking why', async () => {
    const core = await demoCore();
    await signIn(core, 'jdoe');
    const r = await core.as('jdoe', 'impersonation.candidates', { query: 'er', explain: true });
    expect(r.ok ? r.value : []).toEqual([]);
  });
});

describe('signedIn methods touch only the caller’s own session, notices and rights', () => {
  it('auth.signOut ends the caller’s session and no other', async () => {
    const core = await demoCore();
    await signIn(core, 'jdoe');
    await core.must('jdoe', 'auth.signOut', {});
    expect(await core.as('jdoe', 'access.canI', { checks: [] })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await core.as('admin', 'access.canI', { checks: [] })).toEqual({ ok: true, value: [] });
  });

  it('R-S5: impersonation.end ends the caller’s session and no other', async () => {
    const core = await demoCore();
    await signIn(core, 'ian');
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'REQ-1' });
    await core.must('ian', 'impersonation.start', { username: 'pmehta', reason: 'REQ-2' });
    await core.must('ian', 'impersonation.end', {});
    expect((await core.must('ian', 'app.status', {})).impersonation).toBeNull();
    expect((await core.must('admin', 'app.status', {})).impersonation?.user.username).toBe('jdoe');
    expect(await core.as('ian', 'impersonation.end', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await core.must('admin', 'app.status', {})).impersonation?.user.username).toBe('jdoe');
  });

  it('notices.dismiss of someone else’s notice is not_found, recorded, and leaves the notice unread', async () => {
    const core = await demoCore();
    await signIn(core, 'ian');
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-42' });
    await core.must('ian', 'impersonation.end', {});
    await signIn(core, 'jdoe');
    await signIn(core, 'pmehta');
    const [notice] = (await core.must('jdoe', 'app.status', {})).notices;
    const before = core.lastSeq();
    expect(await core.as('pmehta', 'notices.dismiss', { id: notice!.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'id' },
    });
    expect(core.auditSince(before)).toMatchObject([
      { operator: 'pmehta', action: 'notices.dismiss', outcome: 'refused' },
    ]);
    expect((await core.must('jdoe', 'app.status', {})).notices).toHaveLength(1);
    await core.must('jdoe', 'notices.dismiss', { id: notice!.id });
    expect((await core.must('jdoe', 'app.status', {})).notices).toEqual([]);
  });

  it('access.canI answers for the caller, as decide() does for them', async () => {
    const core = await demoCore();
    await signIn(core, 'jdoe');
    const checks = [
      { action: 'directory.read', resource: 'account' },
      { action: 'item.create', resource: 'flow:Purchase Order' },
      { action: 'flow.members', resource: 'flow:Purchase Request' },
    ] as const;
    const answers = async (person: string, connection: string) => ({
      canI: await core.must(connection, 'access.canI', { checks: [...checks] }),
      decide: await Promise.all(
        checks.map(async (c) => (await core.must('admin', 'access.check', { actor: person, ...c })).allowed),
      ),
    });
    const jdoe = await answers('jdoe', 'jdoe');
    const alice = await answers('alice', 'admin');
    expect(jdoe.canI).toEqual(jdoe.decide);
    expect(alice.canI).toEqual(alice.decide);
    expect(jdoe.canI).toEqual([false, true, false]);
    expect(alice.canI).toEqual([true, false, true]);
  });

  it('access.decide answers for the caller with the reasons, and records each decision either way', async () => {
    const core = await demoCore();
    await signIn(core, 'jdoe');
    const before = core.lastSeq();
    const allowed = await core.must('jdoe', 'access.decide', {
      action: 'item.create',
      resource: 'flow:Purchase Order',
    });
    const denied = await core.must('jdoe', 'access.decide', {
      action: 'flow.members',
      resource: 'flow:Purchase Order',
    });
    for (const [answer, action] of [
      [allowed, 'item.create'],
      [denied, 'flow.members'],
    ] as const) {
      const check = await core.must('admin', 'access.check', {
        actor: 'jdoe',
        action,
        resource: 'flow:Purchase Order',
      });
      expect(answer).toEqual(check);
    }
    expect(allowed.allowed).toBe(true);
    expect(denied.allowed).toBe(false);
    expect(core.auditSince(before)).toMatchObject([
      { operator: 'jdoe', action: 'access.decide', target: 'flow:Purchase Order', outcome: 'ok' },
      { operator: 'jdoe', action: 'access.decide', target: 'flow:Purchase Order', outcome: 'refused' },
    ]);
  });
});

describe('settings.get needs directory.read', () => {
  it('refuses a signed-in person without it, and records the refusal', async () => {
    const core = await demoCore();
    await signIn(core, 'jdoe');
    const before = core.lastSeq();
    expect(await core.as('jdoe', 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.auditSince(before)).toMatchObject([
      { operator: 'jdoe', action: 'directory.read', target: 'account', outcome: 'refused' },
    ]);
  });

  it('answers anyone holding it, whatever their role', async () => {
    const core = await demoCore();
    await signIn(core, 'audrey');
    expect((await core.must('audrey', 'settings.get', {})).idleLockMinutes).toBe(15);
  });
});
