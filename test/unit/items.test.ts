// Items in flows (issue 19, items 1 and 2): who may do what to an item — decide() for the flow role, the item
// rules for the item itself — as themself, while impersonating (R-S9) or as a program acting for a user (R-K5,
// R-K6); every change one History record of exactly what changed; deletions restorable (R-L1); My Items paged.
import { describe, expect, it } from 'vitest';
import type { Credential } from '../../src/main/callers/resolve';
import type { Input, Output } from '../../src/shared/contract';
import type { Item, ItemPage, NewAccessKey } from '../../src/shared/model';
import type { Result } from '../../src/shared/result';
import { itemRefusal, type ItemFacts, type ItemOp } from '../../src/main/items/rules';
import { deleteItemById, findItem, updateItem } from '../../src/main/store/items';
import type { Decision } from '../../src/shared/policy';
import { DEMO_ITEMS, demoCore, signIn, type AuditRow, type TestCore } from './helpers';

type ItemMethod =
  | 'items.list'
  | 'items.get'
  | 'items.create'
  | 'items.update'
  | 'items.submit'
  | 'items.assign'
  | 'items.complete'
  | 'items.reopen'
  | 'items.delete'
  | 'myItems.list';

const PR = 'Purchase Request';
const PO = 'Purchase Order';

/** The demo with jdoe, kchen (initiators), pmehta (participant) and ffinance (viewer through Finance) signed in. */
async function purchaseRequests(): Promise<TestCore> {
  const core = await demoCore();
  for (const person of ['jdoe', 'kchen', 'pmehta', 'ffinance', 'audrey']) await signIn(core, person);
  return core;
}

const PR_FIELDS = [
  { name: 'Amount', type: 'number', required: true },
  { name: 'Vendor', type: 'text', required: false },
  { name: 'Needed by', type: 'date', required: false },
  { name: 'Urgent', type: 'boolean', required: false },
] as const;

/** A program with a key of po-bot (created by ivan, an IAM Admin), acting for `onBehalfOf`. */
async function poBot(core: TestCore) {
  await signIn(core, 'ivan');
  const key: NewAccessKey = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
  return async <M extends ItemMethod>(onBehalfOf: string, method: M, input: Input<M>) => {
    const credential: Credential = { kind: 'accessKey', keyId: key.id, secret: key.secret, onBehalfOf };
    return (await core.callWith(credential, method, input)) as Result<Output<M>>;
  };
}

const historySince = (core: TestCore, seq: number) => core.auditSince(seq).filter((r) => r.log === 'history');

describe('R-K5, R-K6: a program acts on items for the user it names, with exactly that user’s rights', () => {
  it('po-bot acting for jdoe creates a Purchase Order that is jdoe’s, recorded as jdoe (po-bot)', async () => {
    const core = await purchaseRequests();
    const act = await poBot(core);
    const before = core.lastSeq();
    const r = await act('jdoe', 'items.create', { flow: PO, title: 'Laptop' });
    expect(r).toMatchObject({ ok: true, value: { flow: PO, title: 'Laptop', state: 'draft', createdBy: 'jdoe' } });
    const id = r.ok ? r.value.id : 0;
    expect(historySince(core, before)).toMatchObject<Partial<AuditRow>[]>([
      {
        operator: 'po-bot',
        effective_user: 'jdoe',
        impersonator: 'po-bot',
        username: 'jdoe (po-bot)',
        action: 'item.create',
        target: `item:${id}`,
      },
    ]);
    // It is in jdoe's My Items, newest, above the demo's, as jdoe sees it by hand and as po-bot reads it for jdoe
    // (global_my_items, R-K8).
    const mine = [id, ...DEMO_ITEMS.createdByJdoe];
    expect((await core.must('jdoe', 'myItems.list', { which: 'created' })).items.map((i) => i.id)).toEqual(mine);
    expect(await act('jdoe', 'myItems.list', { which: 'created' })).toMatchObject({
      ok: true,
      value: { items: mine.map((i) => ({ id: i })), next: null },
    });
    // jdoe edits their own draft; po-bot for jdoe may do the same, and no more (R-K6).
    expect(await act('jdoe', 'items.update', { id, fields: {}, title: 'Laptop 14"' })).toMatchObject({ ok: true });
  });

  it('refuses acting for a user who is not a member of the flow, naming R-K5, with one refused record', async () => {
    const core = await purchaseRequests();
    const act = await poBot(core);
    const before = core.lastSeq();
    const r = await act('audrey', 'items.create', { flow: PO, title: 'Laptop' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The rule is the error's `rule` (the window's "why"), not part of the sentence; the record keeps it.
    expect(r).toMatchObject({ ok: false, error: { rule: 'R-K5' } });
    expect(r.ok ? '' : r.error.message).toContain('audrey is not a member of flow Purchase Order');
    expect(r.ok ? '' : r.error.message).not.toContain('R-K5');
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      {
        operator: 'po-bot',
        username: 'audrey (po-bot)',
        action: 'item.create',
        target: 'flow:Purchase Order',
        outcome: 'refused',
        message: expect.stringContaining('audrey is not a member of flow Purchase Order (R-K5)'),
      },
    ]);
    expect(await core.must('audrey', 'myItems.list', { which: 'created' })).toEqual({ items: [], next: null });
  });

  it('refuses a service account without the flow’s impersonation grant, naming R-K5', async () => {
    const core = await purchaseRequests();
    const act = await poBot(core);
    await signIn(core, 'bbuyer');
    await core.must('bbuyer', 'flows.setImpersonation', { flow: PO, serviceAccount: 'po-bot', enabled: false });
    const before = core.lastSeq();
    const r = await act('jdoe', 'items.create', { flow: PO, title: 'Laptop' });
    expect(r).toMatchObject({ ok: false, error: { rule: 'R-K5' } });
    expect(r.ok ? '' : r.error.message).toMatch(/po-bot has no impersonation grant on flow Purchase Order(?! \(R-)/);
    expect(core.auditSince(before)).toMatchObject([
      {
        operator: 'po-bot',
        outcome: 'refused',
        action: 'item.create',
        message: expect.stringContaining('po-bot has no impersonation grant on flow Purchase Order (R-K5)'),
      },
    ]);
  });

  it('R-K6: for jdoe (an initiator) po-bot may not complete, nor touch a draft that is not jdoe’s', async () => {
    const core = await purchaseRequests();
    const act = await poBot(core);
    const mine = (await act('jdoe', 'items.create', { flow: PR, title: 'Chair' })) as { ok: true; value: Item };
    const theirs = await core.must('kchen', 'items.create', { flow: PR, title: 'Desk' });
    await core.must('admin', 'items.submit', { id: mine.value.id, assignTo: 'pmehta' });
    const complete = await act('jdoe', 'items.complete', { id: mine.value.id });
    expect(complete).toMatchObject({ ok: false, error: { rule: 'R-K6' } });
    expect(complete.ok ? '' : complete.error.message).not.toContain('(R-K6)');
    const edit = await act('jdoe', 'items.update', { id: theirs.id, title: 'Desks' });
    expect(edit).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await core.must('kchen', 'items.get', { id: theirs.id })).title).toBe('Desk');
  });
});

describe('R-K8: a program reads a user’s My Items only with global_my_items', () => {
  it('hr-sync, without it, is refused naming R-K8; po-bot, with it, reads them', async () => {
    const core = await purchaseRequests();
    const act = await poBot(core);
    const key: NewAccessKey = await core.must('ivan', 'keys.create', { username: 'hr-sync', days: 30 });
    const credential: Credential = { kind: 'accessKey', keyId: key.id, secret: key.secret, onBehalfOf: 'jdoe' };
    const before = core.lastSeq();
    const r = await core.callWith(credential, 'myItems.list', { which: 'created' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-K8' } });
    expect(r.ok ? '' : r.error.message).toContain('hr-sync has no global_my_items grant');
    expect(core.auditSince(before)).toMatchObject([
      { operator: 'hr-sync', username: 'jdoe (hr-sync)', action: 'myItems.read', outcome: 'refused' },
    ]);
    expect(await act('jdoe', 'myItems.list', { which: 'assigned' })).toEqual({
      ok: true,
      value: { items: [], next: null },
    });
  });
});

describe('R-S8, R-S9: an operator impersonating jdoe sees and does exactly what jdoe may', () => {
  it('creates items that are jdoe’s, recorded as jdoe (alice)', async () => {
    const core = await purchaseRequests();
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'REQ-7' });
    const before = core.lastSeq();
    const item = await core.must('admin', 'items.create', { flow: PR, title: 'Monitor' });
    expect(item.createdBy).toBe('jdoe');
    expect(historySince(core, before)).toMatchObject([
      { operator: 'alice', effective_user: 'jdoe', impersonator: 'alice', username: 'jdoe (alice)' },
    ]);
  });

  it('My Items are exactly jdoe’s, and alice’s own Flow Admin rights do not apply', async () => {
    const core = await purchaseRequests();
    const jdoes = [
      await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' }),
      await core.must('jdoe', 'items.create', { flow: PO, title: 'Paper' }),
    ];
    const alices = await core.must('admin', 'items.create', { flow: PR, title: 'Server' });
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'REQ-8' });
    const seen = await core.must('admin', 'myItems.list', { which: 'created' });
    expect(seen).toEqual(await core.must('jdoe', 'myItems.list', { which: 'created' }));
    expect(seen.items.map((i) => i.id)).toEqual([...jdoes.map((i) => i.id).reverse(), ...DEMO_ITEMS.createdByJdoe]);
    // alice is Flow Admin of Purchase Request; as jdoe she may not delete, nor edit alice's own draft.
    const before = core.lastSeq();
    const del = await core.as('admin', 'items.delete', { id: jdoes[0]!.id });
    expect(del).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(del).toMatchObject({ ok: false, error: { rule: 'R-S9' } });
    expect(del.ok ? '' : del.error.message).not.toContain('(R-S9)');
    expect(await core.as('admin', 'items.update', { id: alices.id, title: 'Servers' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(core.auditSince(before)).toMatchObject([
      { username: 'jdoe (alice)', action: 'item.delete', outcome: 'refused' },
      { username: 'jdoe (alice)', action: 'item.update', outcome: 'refused' },
    ]);
  });

  it('a person with no role in the flow is refused, and the refusal names why', async () => {
    const core = await purchaseRequests();
    const before = core.lastSeq();
    const r = await core.as('audrey', 'items.create', { flow: PR, title: 'Laptop' });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You may not do this: audrey has no role in flow Purchase Request.',
        rule: 'catalog',
      },
    });
    expect(core.auditSince(before)).toMatchObject([
      { operator: 'audrey', action: 'item.create', target: 'flow:Purchase Request', outcome: 'refused' },
    ]);
    expect(await core.as('audrey', 'items.list', { flow: PR })).toMatchObject({ ok: false });
  });
});

describe('item rules, as the pure function: after decide() allows the flow action', () => {
  const allowed: Decision = { allowed: true, reasons: [{ rule: 'catalog', fact: 'allowed' }] };
  const item = (over: Partial<ItemFacts>): ItemFacts => ({
    id: 7,
    state: 'in_progress',
    createdBy: 'jdoe',
    assignedTo: 'pmehta',
    ...over,
  });
  const cases: [string, ItemOp, Partial<ItemFacts>, boolean, 'forbidden' | 'conflict' | null][] = [
    ['jdoe', 'update', { state: 'draft', assignedTo: null }, false, null],
    ['jdoe', 'submit', { state: 'draft', assignedTo: null }, false, null],
    ['pmehta', 'submit', { state: 'draft' }, false, 'forbidden'],
    ['pmehta', 'update', {}, false, null],
    ['pmehta', 'complete', {}, false, null],
    ['kchen', 'update', {}, false, 'forbidden'],
    ['kchen', 'complete', {}, false, 'forbidden'],
    ['pmehta', 'reopen', { state: 'completed' }, false, 'forbidden'],
    ['alice', 'reopen', { state: 'completed' }, true, null],
    ['alice', 'update', { assignedTo: null }, true, null],
    ['alice', 'update', { state: 'completed' }, true, 'conflict'],
    ['alice', 'complete', { state: 'draft' }, true, 'conflict'],
    ['alice', 'submit', {}, true, 'conflict'],
    ['alice', 'reopen', {}, true, 'conflict'],
    ['ffinance', 'read', {}, false, null],
  ];
  it.each(cases)('%s %s on %o (Flow Admin: %s) → %s', (user, op, over, flowAdmin, expected) => {
    const r = itemRefusal({ op, user, item: item(over), decision: allowed, flowAdmin });
    expect(r?.code ?? null).toBe(expected);
  });

  it('a refusal by decide() stands, with its reasons', () => {
    const denied: Decision = { allowed: false, reasons: [{ rule: 'R-K5', fact: 'po-bot has no grant' }] };
    expect(itemRefusal({ op: 'read', user: 'jdoe', item: null, decision: denied, flowAdmin: false })).toEqual({
      code: 'forbidden',
      why: 'po-bot has no grant',
      rule: 'R-K5',
      recorded: 'po-bot has no grant (R-K5)',
    });
  });
});

describe('item rules: initiators their own drafts, participants what is assigned to them, viewers read, Flow Admins all', () => {
  it('an initiator edits and submits their own draft only, and not once it has left draft', async () => {
    const core = await purchaseRequests();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    expect((await core.must('jdoe', 'items.update', { id: item.id, title: 'Chairs' })).title).toBe('Chairs');
    expect(await core.as('kchen', 'items.update', { id: item.id, title: 'Mine' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await core.as('kchen', 'items.submit', { id: item.id })).toMatchObject({ ok: false });
    expect((await core.must('jdoe', 'items.submit', { id: item.id })).state).toBe('in_progress');
    const late = await core.as('jdoe', 'items.update', { id: item.id, title: 'Stools' });
    expect(late).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(late.ok ? '' : late.error.message).toContain('initiators edit only their own drafts');
    expect(await core.as('jdoe', 'items.complete', { id: item.id })).toMatchObject({ ok: false });
  });

  it('a participant updates and completes items assigned to them, and no others', async () => {
    const core = await purchaseRequests();
    const assigned = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    const other = await core.must('jdoe', 'items.create', { flow: PR, title: 'Desk' });
    await core.must('jdoe', 'items.submit', { id: assigned.id, assignTo: 'pmehta' });
    await core.must('jdoe', 'items.submit', { id: other.id });
    expect((await core.must('pmehta', 'items.update', { id: assigned.id, title: 'Chair (blue)' })).title).toBe(
      'Chair (blue)',
    );
    const refused = await core.as('pmehta', 'items.complete', { id: other.id });
    expect(refused.ok ? '' : refused.error.message).toContain(
      `participants act only on items assigned to them, and item ${other.id} is assigned to nobody`,
    );
    expect(await core.as('pmehta', 'items.update', { id: other.id, title: 'x' })).toMatchObject({ ok: false });
    expect(await core.as('pmehta', 'items.create', { flow: PR, title: 'x' })).toMatchObject({ ok: false });
    expect((await core.must('pmehta', 'items.complete', { id: assigned.id })).state).toBe('completed');
  });

  it('a viewer reads a flow’s items and changes nothing', async () => {
    const core = await purchaseRequests();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    expect(await core.must('ffinance', 'items.get', { id: item.id })).toEqual(item);
    // The flow's items are the new one and the demo's, each of which the viewer may only read.
    const list = await core.must('ffinance', 'items.list', { flow: PR });
    expect(list).toMatchObject({ mayCreate: false, next: null });
    expect(list.items.map((i) => i.id)).toEqual([item.id, ...DEMO_ITEMS.purchaseRequest]);
    expect(list.items[0]).toEqual({ ...item, allowed: ['read'] });
    for (const listed of list.items) expect(listed.allowed, `item ${listed.id}`).toEqual(['read']);
    for (const [method, input] of [
      ['items.update', { id: item.id, title: 'x' }],
      ['items.submit', { id: item.id }],
      ['items.delete', { id: item.id }],
      ['items.create', { flow: PR, title: 'x' }],
    ] as const) {
      expect(await core.call('ffinance', method, input), method).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(await core.must('ffinance', 'items.get', { id: item.id })).toEqual(item);
  });

  it('a Flow Admin does everything; only a Flow Admin reopens a completed item', async () => {
    const core = await purchaseRequests();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    await core.must('admin', 'items.update', { id: item.id, title: 'Chairs' });
    await core.must('admin', 'items.submit', { id: item.id });
    await core.must('admin', 'items.assign', { id: item.id, to: 'pmehta' });
    await core.must('pmehta', 'items.complete', { id: item.id });
    const refused = await core.as('pmehta', 'items.reopen', { id: item.id });
    expect(refused.ok ? '' : refused.error.message).toContain('only a Flow Admin reopens a completed item');
    expect(await core.as('pmehta', 'items.update', { id: item.id, title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect((await core.must('admin', 'items.reopen', { id: item.id })).state).toBe('in_progress');
    expect((await core.must('admin', 'items.complete', { id: item.id })).state).toBe('completed');
    expect(await core.must('admin', 'items.delete', { id: item.id })).toBeNull();
  });

  it('an item changed by another console between this one’s read and its write is not written over, nor deleted', async () => {
    const core = await purchaseRequests();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    const read = findItem(core.app.db, item.id)!; // what this console read and checked
    core.clock.advance(1000);
    await core.must('admin', 'items.update', { id: item.id, title: 'Chairs' }); // the other console's change
    const stale = { title: 'Desk', state: read.state, assignedTo: null, fields: read.fields, updatedAt: 'now' };
    expect(updateItem(core.app.db, item.id, read.updatedAt, stale)).toBe(false);
    expect(deleteItemById(core.app.db, item.id, read.updatedAt)).toBe(false);
    expect((await core.must('jdoe', 'items.get', { id: item.id })).title).toBe('Chairs');
  });

  it('the state machine: draft → in progress → completed, completed → in progress; nothing else', async () => {
    const core = await purchaseRequests();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    expect(await core.as('admin', 'items.complete', { id: item.id })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: `This cannot be done: item ${item.id} is draft; only an in progress item can be completed.`,
      },
    });
    expect(await core.as('admin', 'items.reopen', { id: item.id })).toMatchObject({ error: { code: 'conflict' } });
    await core.must('admin', 'items.submit', { id: item.id });
    expect(await core.as('admin', 'items.submit', { id: item.id })).toMatchObject({ error: { code: 'conflict' } });
  });

  it('items live in processes, boards and datasets: not in an integration, even for its Flow Admin', async () => {
    const core = await purchaseRequests();
    expect(await core.as('admin', 'items.create', { flow: 'Purchase Request to Order', title: 'x' })).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Purchase Request to Order is an integration; items live in processes, boards and datasets.',
        field: 'flow',
      },
    });
    expect(await core.as('admin', 'items.create', { flow: 'Nowhere', title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'flow' },
    });
  });

  it('assigns only to someone the flow lets act on items', async () => {
    const core = await purchaseRequests();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair' });
    const before = core.lastSeq();
    expect(await core.as('jdoe', 'items.submit', { id: item.id, assignTo: 'ffinance' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'assignTo' },
    });
    expect(await core.as('jdoe', 'items.assign', { id: item.id, to: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'assignTo' },
    });
    expect(historySince(core, before)).toEqual([]);
    expect((await core.must('jdoe', 'items.get', { id: item.id })).state).toBe('draft');
  });
});

describe('fields: checked against the flow’s field list, each error naming the field', () => {
  async function withFields() {
    const core = await purchaseRequests();
    const before = core.lastSeq();
    const flow = await core.must('admin', 'flows.setFields', { flow: PR, fields: [...PR_FIELDS] });
    expect(flow.fields).toEqual(PR_FIELDS);
    expect((await core.must('admin', 'flows.get', { name: PR })).fields).toEqual(PR_FIELDS);
    // jdoe may not read the directory (flows.get), yet fills items in: the flow's items list carries the fields.
    expect((await core.must('jdoe', 'items.list', { flow: PR })).fields).toEqual(PR_FIELDS);
    expect(historySince(core, before)).toMatchObject([
      {
        action: 'flow.settings',
        target: 'flow:Purchase Request',
        message:
          'Purchase Request: fields Amount (number), Vendor (text), Needed by (date) → Amount (number, required), Vendor (text), Needed by (date), Urgent (boolean)',
      },
    ]);
    return core;
  }

  it('only a Flow Admin sets them', async () => {
    const core = await purchaseRequests();
    expect(await core.as('jdoe', 'flows.setFields', { flow: PR, fields: [] })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses an unknown field, a wrong type, a date that is no date; writes nothing', async () => {
    const core = await withFields();
    const before = core.lastSeq();
    const cases = [
      [{ Colour: 'blue' }, 'fields.Colour', 'Purchase Request has no field named Colour.'],
      [{ Amount: 'ten' }, 'fields.Amount', 'Amount is a number, not "ten".'],
      [{ Urgent: 'yes' }, 'fields.Urgent', 'Urgent is true or false, not "yes".'],
      [{ 'Needed by': '2026-02-30' }, 'fields.Needed by', 'Needed by is a date written YYYY-MM-DD, not "2026-02-30".'],
    ] as const;
    for (const [fields, field, message] of cases) {
      expect(await core.as('jdoe', 'items.create', { flow: PR, title: 'Chair', fields })).toEqual({
        ok: false,
        error: { code: 'invalid_input', message, field },
      });
    }
    expect(historySince(core, before)).toEqual([]);
    // jdoe's My Items hold the demo's items only.
    const mine = await core.must('jdoe', 'myItems.list', { which: 'created' });
    expect(mine).toMatchObject({ next: null });
    expect(mine.items.map((i) => i.id)).toEqual(DEMO_ITEMS.createdByJdoe);
  });

  it('a required field must be there before the item leaves draft', async () => {
    const core = await withFields();
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Chair', fields: { Vendor: 'Acme' } });
    const before = core.lastSeq();
    expect(await core.as('jdoe', 'items.submit', { id: item.id })).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Amount is required before the item leaves draft.',
        field: 'fields.Amount',
      },
    });
    expect(historySince(core, before)).toEqual([]);
    expect(await core.must('jdoe', 'items.get', { id: item.id })).toEqual(item);
    await core.must('jdoe', 'items.update', { id: item.id, fields: { Amount: 120 } });
    const submitted = await core.must('jdoe', 'items.submit', { id: item.id, assignTo: 'pmehta' });
    // Once out of draft it stays complete: clearing a required field is refused.
    expect(await core.as('pmehta', 'items.update', { id: item.id, fields: { Amount: null } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'fields.Amount' },
    });
    expect(await core.must('pmehta', 'items.get', { id: item.id })).toEqual(submitted);
  });
});

describe('R-L1: every change is one History record of exactly the fields that changed', () => {
  it('records old → new of what changed, readable, and nothing for a change that changes nothing', async () => {
    const core = await purchaseRequests();
    await core.must('admin', 'flows.setFields', { flow: PR, fields: [...PR_FIELDS] });
    let before = core.lastSeq();
    const item = await core.must('jdoe', 'items.create', {
      flow: PR,
      title: 'Laptop',
      fields: { Amount: 1200, Vendor: 'Acme' },
    });
    expect(historySince(core, before)).toMatchObject([
      {
        message: `Item ${item.id} Laptop created in Purchase Request: title — → Laptop; state — → draft; Amount — → 1200; Vendor — → Acme`,
      },
    ]);

    before = core.lastSeq();
    await core.must('jdoe', 'items.update', { id: item.id, title: 'Laptop', fields: { Amount: 1300, Vendor: 'Acme' } });
    const [edit, ...more] = historySince(core, before);
    expect(more).toEqual([]);
    expect(JSON.parse(edit!.details)).toEqual({
      item: item.id,
      flow: PR,
      changes: [{ field: 'fields.Amount', old: 1200, new: 1300 }],
    });
    expect(edit!.message).toBe(`Item ${item.id} Laptop: Amount 1200 → 1300`);

    before = core.lastSeq();
    await core.must('jdoe', 'items.submit', { id: item.id, assignTo: 'pmehta' });
    const [submit] = historySince(core, before);
    expect(submit!.message).toBe(`Item ${item.id} Laptop: state draft → in progress; assigned to — → pmehta`);
    expect(JSON.parse(submit!.details).changes).toEqual([
      { field: 'state', old: 'draft', new: 'in_progress' },
      { field: 'assignedTo', old: null, new: 'pmehta' },
    ]);

    before = core.lastSeq();
    expect(await core.as('pmehta', 'items.update', { id: item.id, fields: { Vendor: 'Acme' } })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(historySince(core, before)).toEqual([]);
  });
});

describe('R-L1: a deleted item is a snapshot in the Record Deletion Log, and comes back from it', () => {
  it('restores the item with its id, state, people and fields; once', async () => {
    const core = await purchaseRequests();
    await core.must('admin', 'flows.setFields', { flow: PR, fields: [...PR_FIELDS] });
    const created = await core.must('jdoe', 'items.create', { flow: PR, title: 'Laptop', fields: { Amount: 99 } });
    const item = await core.must('jdoe', 'items.submit', { id: created.id, assignTo: 'pmehta' });
    const before = core.lastSeq();
    await core.must('admin', 'items.delete', { id: item.id });
    const [deletion] = core.auditSince(before);
    expect(deletion).toMatchObject({ log: 'record_deletion', action: 'item.delete', target: `item:${item.id}` });
    expect(JSON.parse(deletion!.details)).toEqual({ deleted: 'item', snapshot: { item } });
    expect(await core.as('jdoe', 'items.get', { id: item.id })).toMatchObject({ error: { code: 'not_found' } });
    // pmehta's Assigned to me: the demo's items only while it is deleted, and it again, newest, once restored.
    const assigned = async () => (await core.must('pmehta', 'myItems.list', { which: 'assigned' })).items;
    expect((await assigned()).map((i) => i.id)).toEqual(DEMO_ITEMS.assignedToPmehta);

    expect(await core.must('admin', 'audit.restore', { seq: deletion!.seq })).toEqual({
      restored: `item ${item.id} Laptop`,
    });
    expect(await core.must('jdoe', 'items.get', { id: item.id })).toEqual(item);
    const back = await assigned();
    expect(back.map((i) => i.id)).toEqual([item.id, ...DEMO_ITEMS.assignedToPmehta]);
    expect(back[0]).toEqual({ ...item, allowed: ['read', 'update', 'assign', 'complete'] });
    expect(await core.as('admin', 'audit.restore', { seq: deletion!.seq })).toMatchObject({
      error: { code: 'conflict' },
    });
  });

  it('a deleted flow takes its field list and items into its snapshot, and brings them back', async () => {
    const core = await purchaseRequests();
    await core.must('admin', 'flows.setFields', { flow: PR, fields: [...PR_FIELDS] });
    const item = await core.must('jdoe', 'items.create', { flow: PR, title: 'Laptop', fields: { Amount: 5 } });
    const flow = await core.must('admin', 'flows.get', { name: PR });
    const items = await core.must('admin', 'items.list', { flow: PR });
    expect(items.items.map((i) => i.id)).toEqual([item.id, ...DEMO_ITEMS.purchaseRequest]);
    const before = core.lastSeq();
    await core.must('admin', 'flows.delete', { name: PR });
    const deletion = core.auditSince(before).find((r) => r.log === 'record_deletion')!;
    expect(deletion.message).toContain('and 4 items'); // the test's and the demo's three
    expect(await core.as('jdoe', 'items.get', { id: item.id })).toMatchObject({ error: { code: 'not_found' } });
    // Restoring a flow needs policy.import (a Super Admin's), which alice holds.
    await core.must('admin', 'audit.restore', { seq: deletion.seq });
    expect(await core.must('admin', 'flows.get', { name: PR })).toEqual(flow);
    expect(await core.must('jdoe', 'items.get', { id: item.id })).toEqual(item);
    expect(await core.must('admin', 'items.list', { flow: PR })).toEqual(items);
  });
});

describe('My Items: keyset paging, newest first, every item once', () => {
  it('pages Created by me and Assigned to me across pages without gaps or repeats', async () => {
    const core = await purchaseRequests();
    const created: number[] = [];
    for (let i = 0; i < 7; i++) {
      const flow = i % 2 ? PO : PR;
      created.push((await core.must('jdoe', 'items.create', { flow, title: `Item ${i}` })).id);
      // Others' items in between, which jdoe's lists must not show.
      await core.must('kchen', 'items.create', { flow: PR, title: `Other ${i}` });
    }
    for (const id of created.filter((_, i) => i % 2 === 0)) {
      await core.must('jdoe', 'items.submit', { id, assignTo: 'pmehta' });
    }
    const all = async (connection: string, which: 'created' | 'assigned') => {
      const seen: number[] = [];
      const pages: number[] = [];
      let cursor: number | undefined;
      for (;;) {
        const page: ItemPage = await core.must(connection, 'myItems.list', {
          which,
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((i) => i.id));
        pages.push(page.items.length);
        if (page.next === null) break;
        cursor = page.next;
      }
      return { seen, pages };
    };
    // The demo's items are the oldest in each list, so they come last.
    expect(await all('jdoe', 'created')).toEqual({
      seen: [...[...created].reverse(), ...DEMO_ITEMS.createdByJdoe],
      pages: [3, 3, 3, 1],
    });
    const assigned = created.filter((_, i) => i % 2 === 0).reverse();
    expect(await all('pmehta', 'assigned')).toEqual({
      seen: [...assigned, ...DEMO_ITEMS.assignedToPmehta],
      pages: [3, 3],
    });
    expect(await all('jdoe', 'assigned')).toEqual({ seen: [], pages: [0] });
  });

  it('a flow’s items page the same way, for its members', async () => {
    const core = await purchaseRequests();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await core.must('jdoe', 'items.create', { flow: PR, title: `#${i}` })).id);
    // Eight with the demo's three: four pages of two.
    const first = await core.must('ffinance', 'items.list', { flow: PR, limit: 2 });
    const second = await core.must('ffinance', 'items.list', { flow: PR, limit: 2, cursor: first.next! });
    const third = await core.must('ffinance', 'items.list', { flow: PR, limit: 2, cursor: second.next! });
    const fourth = await core.must('ffinance', 'items.list', { flow: PR, limit: 2, cursor: third.next! });
    expect([...first.items, ...second.items, ...third.items, ...fourth.items].map((i) => i.id)).toEqual([
      ...[...ids].reverse(),
      ...DEMO_ITEMS.purchaseRequest,
    ]);
    expect([first, second, third, fourth].map((p) => p.items.length)).toEqual([2, 2, 2, 2]);
    expect(fourth.next).toBeNull();
  });
});
