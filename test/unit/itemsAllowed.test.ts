// What the item pages say the caller may do (issue 19: `allowed` per item, `mayCreate` per flow) is what the items
// methods then do: for people of every flow role, while impersonating (R-S9) and as a program acting for a user
// (R-K6), every operation listed succeeds and every other one is refused. flows.mine names exactly the flows whose
// items the effective user may read.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../src/main/callers/resolve';
import type { Input, MethodName, Output } from '../../src/shared/contract';
import { ITEM_OPS, type ItemOp, type ListedItem } from '../../src/shared/model';
import type { Result } from '../../src/shared/result';
import { demoCore, signIn, type TestCore } from './helpers';

const PR = 'Purchase Request';

/** How each item a test makes starts out, made by whoever may make it so. */
const SHAPES = [
  'jdoe’s draft',
  'kchen’s draft',
  'in progress for pmehta',
  'in progress, unassigned',
  'completed',
] as const;
type Shape = (typeof SHAPES)[number];

/** Who asks: a demo person on a connection of their name, ian impersonating jdoe, or po-bot's key acting for jdoe. */
const CALLERS = ['jdoe', 'kchen', 'pmehta', 'ffinance', 'admin', 'audrey', 'ian as jdoe', 'po-bot for jdoe'] as const;
type CallerName = (typeof CALLERS)[number];

type Call = <M extends MethodName>(method: M, input: Input<M>) => Promise<Result<Output<M>>>;

let core: TestCore;
let callers: Record<CallerName, Call>;

beforeAll(async () => {
  core = await demoCore(undefined, 'file');
  for (const person of ['jdoe', 'kchen', 'pmehta', 'ffinance', 'audrey', 'ian']) await signIn(core, person);
  await core.must('admin', 'flows.setFields', {
    flow: PR,
    fields: [
      { name: 'Amount', type: 'number', required: true },
      { name: 'Vendor', type: 'text', required: false },
      { name: 'Needed by', type: 'date', required: false }, // the demo's integration maps it
    ],
  });
  await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-19' });
  const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
  const credential: Credential = { kind: 'accessKey', keyId: key.id, secret: key.secret, onBehalfOf: 'jdoe' };
  const on =
    (connection: string): Call =>
    (method, input) =>
      core.as(connection, method, input);
  callers = {
    jdoe: on('jdoe'),
    kchen: on('kchen'),
    pmehta: on('pmehta'),
    ffinance: on('ffinance'),
    admin: on('admin'),
    audrey: on('audrey'),
    'ian as jdoe': on('ian'),
    'po-bot for jdoe': (method, input) =>
      core.callWith(credential, method, input) as Promise<Result<Output<typeof method>>>,
  };
});

/** A new Purchase Request item of that shape, with its required field filled in so that it may be submitted. */
async function make(shape: Shape): Promise<number> {
  const creator = shape === 'kchen’s draft' ? 'kchen' : 'jdoe';
  const { id } = await core.must(creator, 'items.create', {
    flow: PR,
    title: `Chair (${shape})`,
    fields: { Amount: 40 },
  });
  if (shape === 'jdoe’s draft' || shape === 'kchen’s draft') return id;
  await core.must('admin', 'items.submit', shape === 'in progress, unassigned' ? { id } : { id, assignTo: 'pmehta' });
  if (shape === 'completed') await core.must('pmehta', 'items.complete', { id });
  return id;
}

/** The item as `who` finds it on the flow's page; null when they may not list the flow. */
async function listed(who: CallerName, id: number): Promise<ListedItem | null> {
  const page = await callers[who]('items.list', { flow: PR, limit: 500 });
  if (!page.ok) return null;
  const item = page.value.items.find((i) => i.id === id);
  if (!item) throw new Error(`item ${id} is not on ${who}'s page of ${PR}`);
  return item;
}

/** Does `op` to the item as `who`, with an input that is valid for it. */
async function attempt(who: CallerName, op: ItemOp, id: number): Promise<Result<unknown>> {
  const call = callers[who];
  const item = await core.must('admin', 'items.get', { id });
  switch (op) {
    case 'read':
      return call('items.get', { id });
    case 'update':
      return call('items.update', { id, title: `${item.title}!`, fields: { Vendor: 'Acme' } });
    case 'assign':
      return call('items.assign', { id, to: item.assignedTo === 'pmehta' ? null : 'pmehta' });
    case 'submit':
      return call('items.submit', { id });
    case 'complete':
    case 'reopen':
    case 'delete':
      return call(`items.${op}`, { id });
  }
}

describe('allowed: each operation an item page lists succeeds, and each one it leaves out is refused', () => {
  const cases = CALLERS.flatMap((who) => SHAPES.map((shape) => [who, shape] as const));
  it.each(cases)('%s, on %s', async (who, shape) => {
    const id = await make(shape);
    const allowed = (await listed(who, id))?.allowed ?? [];
    for (const op of ITEM_OPS.filter((o) => !allowed.includes(o))) {
      const before = core.lastSeq();
      const r = await attempt(who, op, id);
      expect(r.ok, `${op} is not listed, so it is refused`).toBe(false);
      expect(r.ok ? '' : r.error.code, op).toMatch(/^(forbidden|conflict)$/);
      // Refused ops change nothing: the item still is what it was.
      expect(
        core.auditSince(before).every((a) => a.outcome === 'refused'),
        op,
      ).toBe(true);
    }
    for (const op of allowed) {
      // Each listed operation on an item of its own, as it would be on the page.
      const fresh = await make(shape);
      expect((await listed(who, fresh))?.allowed, op).toEqual(allowed);
      const r = await attempt(who, op, fresh);
      expect(r, `${op} is listed, so it succeeds`).toMatchObject({ ok: true });
    }
  });

  it('the lists are those of the item rules: a participant acts on what is assigned to them, a viewer reads', async () => {
    const inProgress = await make('in progress for pmehta');
    expect((await listed('pmehta', inProgress))?.allowed).toEqual(['read', 'update', 'assign', 'complete']);
    expect((await listed('ffinance', inProgress))?.allowed).toEqual(['read']);
    expect((await listed('jdoe', inProgress))?.allowed).toEqual(['read']);
    const draft = await make('jdoe’s draft');
    expect((await listed('jdoe', draft))?.allowed).toEqual(['read', 'update', 'assign', 'submit']);
    expect((await listed('admin', draft))?.allowed).toEqual(['read', 'update', 'assign', 'submit', 'delete']);
    expect((await listed('admin', await make('completed')))?.allowed).toEqual(['read', 'reopen', 'delete']);
    expect(await listed('audrey', draft)).toBeNull();
  });

  it('R-S9, R-K6: impersonating jdoe, or acting for jdoe, the lists are jdoe’s own, never alice’s or po-bot’s', async () => {
    const draft = await make('kchen’s draft');
    const jdoe = (await listed('jdoe', draft))?.allowed;
    expect(jdoe).toEqual(['read']);
    expect((await listed('ian as jdoe', draft))?.allowed).toEqual(jdoe);
    expect((await listed('po-bot for jdoe', draft))?.allowed).toEqual(jdoe);
  });

  it('My Items lists the same operations as the flow’s page', async () => {
    const mine = await make('jdoe’s draft');
    const assigned = await make('in progress for pmehta');
    const created = await core.must('jdoe', 'myItems.list', { which: 'created', limit: 500 });
    expect(created.items.find((i) => i.id === mine)?.allowed).toEqual((await listed('jdoe', mine))?.allowed);
    const toPmehta = await core.must('pmehta', 'myItems.list', { which: 'assigned', limit: 500 });
    expect(toPmehta.items.find((i) => i.id === assigned)?.allowed).toEqual((await listed('pmehta', assigned))?.allowed);
  });
});

describe('mayCreate: items.list says whether items.create will succeed', () => {
  it.each(CALLERS)('%s', async (who) => {
    const page = await callers[who]('items.list', { flow: PR, limit: 1 });
    const mayCreate = page.ok && page.value.mayCreate;
    const r = await callers[who]('items.create', { flow: PR, title: 'Lamp', fields: { Amount: 5 } });
    expect(r.ok).toBe(mayCreate);
  });

  it('is false in a flow that holds no items, even for its Flow Admin', async () => {
    expect(await core.must('admin', 'items.list', { flow: 'Purchase Request to Order' })).toMatchObject({
      mayCreate: false,
    });
  });
});

describe('flows.mine: the processes, boards and datasets whose items the effective user may read', () => {
  it.each([
    ['jdoe', ['Purchase Order', 'Purchase Request']],
    ['ffinance', ['Approved Vendors', 'Purchase Request']],
    ['pmehta', ['Approved Vendors', 'Purchase Order', 'Purchase Request', 'Supplier Onboarding']],
    ['audrey', []],
    ['ian as jdoe', ['Purchase Order', 'Purchase Request']],
  ] as const)('%s', async (who, names) => {
    const r = await callers[who]('flows.mine', {});
    expect(r.ok ? r.value.map((f) => f.name) : r).toEqual(names);
    for (const name of names) {
      expect(await callers[who]('items.list', { flow: name, limit: 1 }), name).toMatchObject({ ok: true });
    }
  });

  it('alice, a member of no process beyond Purchase Request, is not shown the others by her account roles', async () => {
    expect(await core.must('admin', 'flows.mine', {})).toEqual([{ name: PR, type: 'process' }]);
  });
});
