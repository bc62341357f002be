// Integrations (issue 19, item 4): when an item in one flow completes, a service account creates an item in
// another as that item's initiator (R-K5, R-K6), in the completion's transaction; every run is one Script Log
// record (R-L1) attributed `initiator (service-account)` (R-S8); a refused run creates nothing and says why,
// naming the rule, while the completion stands; runs count as the account's use (R-K13).
import { describe, expect, it } from 'vitest';
import type { Input } from '../../src/shared/contract';
import type { Item } from '../../src/shared/model';
import { demoCore, signIn, type AuditRow, type TestCore } from './helpers';

const PR = 'Purchase Request';
const PO = 'Purchase Order';
const LINK = 'Purchase Request to Order';
const DAY = 86_400_000;

type Rule = NonNullable<Input<'integrations.set'>['rule']>;
const RULE: Rule = {
  source: PR,
  target: PO,
  serviceAccount: 'po-bot',
  mapping: [
    { from: 'Amount', to: 'Amount' },
    { from: 'Vendor', to: 'Supplier' },
  ],
  submit: false,
  enabled: true,
};

/**
 * The demo with fields on both processes (alice runs Purchase Request and the integration, bbuyer Purchase
 * Order) and the rule set; jdoe, kchen (initiators) and pmehta (participant) signed in.
 */
async function linked(rule: Rule = RULE): Promise<TestCore> {
  const core = await demoCore();
  for (const person of ['jdoe', 'kchen', 'pmehta', 'bbuyer']) await signIn(core, person);
  // The rule first: the demo's maps Needed by → Delivery date, which the field lists below drop.
  await core.must('admin', 'integrations.set', { flow: LINK, rule });
  await core.must('admin', 'flows.setFields', {
    flow: PR,
    fields: [
      { name: 'Amount', type: 'number', required: true },
      { name: 'Vendor', type: 'text', required: false },
    ],
  });
  await core.must('bbuyer', 'flows.setFields', {
    flow: PO,
    fields: [
      { name: 'Amount', type: 'number', required: false },
      { name: 'Supplier', type: 'text', required: false },
      { name: 'Cost centre', type: 'text', required: false },
    ],
  });
  return core;
}

/** An item of `initiator` in Purchase Request, submitted to pmehta: ready for pmehta to complete. */
async function requestOf(core: TestCore, initiator: string, title = 'Laptop'): Promise<Item> {
  const item = await core.must(initiator, 'items.create', {
    flow: PR,
    title,
    fields: { Amount: 1200, Vendor: 'Acme' },
  });
  return core.must(initiator, 'items.submit', { id: item.id, assignTo: 'pmehta' });
}

const scriptSince = (core: TestCore, seq: number) => core.auditSince(seq).filter((r) => r.log === 'script');
const itemCount = (core: TestCore) => core.app.db.prepare('SELECT count(*) FROM items').pluck().get() as number;

describe('integrations.set: the integration’s Flow Admin sets the rule, checked against what exists', () => {
  it('keeps the rule, shows it, and records the change in History', async () => {
    const core = await demoCore();
    // The demo comes with the rule; removing it is a change like any other.
    expect(await core.must('admin', 'integrations.get', { flow: LINK })).toMatchObject({ source: PR, target: PO });
    await core.must('admin', 'integrations.set', { flow: LINK, rule: null });
    expect(await core.must('admin', 'integrations.get', { flow: LINK })).toBeNull();
    const before = core.lastSeq();
    await core.must('admin', 'integrations.set', { flow: LINK, rule: { ...RULE, mapping: [] } });
    expect(await core.must('admin', 'integrations.get', { flow: LINK })).toEqual({
      flow: LINK,
      ...RULE,
      mapping: [],
      lastRunAt: null,
    });
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { log: 'history', operator: 'alice', action: 'flow.settings', target: `flow:${LINK}`, outcome: 'ok' },
    ]);
    // The same rule again changes nothing, and says so.
    expect(await core.as('admin', 'integrations.set', { flow: LINK, rule: { ...RULE, mapping: [] } })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it.each<[string, Input<'integrations.set'>, string, RegExp]>([
    ['a flow that is not an integration', { flow: PR, rule: RULE }, 'flow', /Purchase Request is a process/],
    ['a chat as the target', { flow: LINK, rule: { ...RULE, target: 'Procurement Chat' } }, 'target', /is a chat/],
    [
      'a person as the account',
      { flow: LINK, rule: { ...RULE, serviceAccount: 'jdoe' } },
      'serviceAccount',
      /not a service account/,
    ],
    ['a flow into itself', { flow: LINK, rule: { ...RULE, target: PR } }, 'target', /to itself/],
    ['an unknown flow', { flow: LINK, rule: { ...RULE, source: 'Nowhere' } }, 'flow', /no flow named Nowhere/],
  ])('refuses %s, naming the field, and writes nothing', async (_what, input, field, message) => {
    const core = await demoCore();
    const demoRule = await core.must('admin', 'integrations.get', { flow: LINK });
    const before = core.lastSeq();
    const r = await core.as('admin', 'integrations.set', input);
    expect(r).toMatchObject({ ok: false, error: { field } });
    expect(r.ok ? '' : r.error.message).toMatch(message);
    expect(await core.must('admin', 'integrations.get', { flow: LINK })).toEqual(demoRule);
    expect(core.auditSince(before).every((rec) => rec.outcome === 'refused')).toBe(true);
  });

  it('refuses a mapping from a field the source lacks, or between fields of two types', async () => {
    const core = await linked();
    const unknown = await core.as('admin', 'integrations.set', {
      flow: LINK,
      rule: { ...RULE, mapping: [{ from: 'Colour', to: 'Supplier' }] },
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'mapping.0.from' } });
    const mismatch = await core.as('admin', 'integrations.set', {
      flow: LINK,
      rule: { ...RULE, mapping: [{ from: 'Amount', to: 'Supplier' }] },
    });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'mapping.0.to' } });
    expect(mismatch.ok ? '' : mismatch.error.message).toMatch(/Amount is number .* Supplier is text/);
    expect((await core.must('admin', 'integrations.get', { flow: LINK }))?.mapping).toEqual(RULE.mapping);
  });
  it('keeps a mapped field from going or changing type under the rule; unmapped fields change freely', async () => {
    const core = await linked();
    const gone = await core.as('bbuyer', 'flows.setFields', {
      flow: PO,
      fields: [{ name: 'Amount', type: 'number', required: false }],
    });
    expect(gone).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'fields',
        message: `The integration ${LINK} maps Vendor → Supplier, so ${PO}'s Supplier cannot go. Change that integration's mapping first.`,
      },
    });
    const retyped = await core.as('admin', 'flows.setFields', {
      flow: PR,
      fields: [
        { name: 'Amount', type: 'text', required: true },
        { name: 'Vendor', type: 'text', required: false },
      ],
    });
    expect(retyped.ok ? '' : retyped.error.message).toBe(
      `The integration ${LINK} maps Amount → Amount, so ${PR}'s Amount cannot become text. Change that integration's mapping first.`,
    );
    expect((await core.must('admin', 'flows.get', { name: PR })).fields.map((f) => f.type)).toEqual(['number', 'text']);
    await core.must('bbuyer', 'flows.setFields', {
      flow: PO,
      fields: [
        { name: 'Amount', type: 'number', required: true },
        { name: 'Supplier', type: 'text', required: false },
      ],
    });
  });
});

describe('R-K5, R-S8: completing an item runs the integration as the item’s initiator, through the account', () => {
  it('creates the Purchase Order as jdoe’s, attributed jdoe (po-bot), in the completion’s transaction', async () => {
    const core = await linked();
    const request = await requestOf(core, 'jdoe');
    const before = core.lastSeq();
    const done = await core.must('pmehta', 'items.complete', { id: request.id });
    expect(done.state).toBe('completed');

    const orders = await core.must('jdoe', 'myItems.list', { which: 'created' });
    const order = orders.items.find((i) => i.flow === PO);
    expect(order).toMatchObject({
      flow: PO,
      title: 'Laptop',
      state: 'draft',
      createdBy: 'jdoe',
      fields: { Amount: 1200, Supplier: 'Acme' },
    });
    // The completion, the new item's History record, then the run's Script Log record: one after another.
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { log: 'history', username: 'pmehta', action: 'item.complete', target: `item:${request.id}` },
      { log: 'history', username: 'jdoe (po-bot)', action: 'item.create', target: `item:${order?.id}` },
      {
        log: 'script',
        operator: 'po-bot',
        effective_user: 'jdoe',
        impersonator: 'po-bot',
        username: 'jdoe (po-bot)',
        action: 'integration.run',
        target: `flow:${LINK}`,
        outcome: 'ok',
      },
    ]);
    const script = scriptSince(core, before)[0];
    expect(script?.message).toBe(
      `Integration ${LINK}: item ${request.id} Laptop completed in ${PR} by pmehta; created item ${order?.id} Laptop in ${PO} as jdoe`,
    );
  });

  it('names who completed the source item, an admin impersonating pmehta included (R-S8)', async () => {
    const core = await linked();
    const request = await requestOf(core, 'jdoe');
    await core.must('admin', 'impersonation.start', { username: 'pmehta', reason: 'completing for pmehta' });
    const before = core.lastSeq();
    await core.must('admin', 'items.complete', { id: request.id });
    const [completion] = core.auditSince(before);
    expect(completion).toMatchObject({ action: 'item.complete', username: 'pmehta (alice)' });
    const script = scriptSince(core, before)[0];
    expect(script).toMatchObject({ username: 'jdoe (po-bot)', outcome: 'ok' });
    expect(script?.message).toMatch(
      new RegExp(`^Integration ${LINK}: item ${request.id} Laptop completed in ${PR} by pmehta \\(alice\\); created`),
    );
    expect(JSON.parse(script?.details ?? '{}')).toMatchObject({ source: request.id, completedBy: 'pmehta (alice)' });
  });

  it('submits the new item when the rule says so, or creates nothing when a required field is missing', async () => {
    const core = await linked({ ...RULE, submit: true });
    const first = await requestOf(core, 'jdoe');
    await core.must('pmehta', 'items.complete', { id: first.id });
    // The Purchase Orders made since (the demo's own, made by the demo's run, is older than the test's request).
    const made = (await core.must('jdoe', 'myItems.list', { which: 'created' })).items.filter(
      (i) => i.flow === PO && i.id > first.id,
    );
    expect(made.map((i) => i.state)).toEqual(['in_progress']);

    await core.must('bbuyer', 'flows.setFields', {
      flow: PO,
      fields: [
        { name: 'Amount', type: 'number', required: false },
        { name: 'Supplier', type: 'text', required: false },
        { name: 'Cost centre', type: 'text', required: true },
      ],
    });
    const second = await requestOf(core, 'jdoe', 'Desk');
    const count = itemCount(core);
    const before = core.lastSeq();
    await core.must('pmehta', 'items.complete', { id: second.id });
    expect(itemCount(core)).toBe(count);
    expect(scriptSince(core, before)).toMatchObject([{ outcome: 'refused', username: 'jdoe (po-bot)' }]);
    expect(scriptSince(core, before)[0]?.message).toMatch(
      /nothing created in Purchase Order: Cost centre is required before the item leaves draft/,
    );
  });
});

describe('R-K5: a run the rules refuse creates nothing, leaves the completion standing, and says why', () => {
  it('po-bot without impersonation access on Purchase Order: one Script Log record naming R-K5', async () => {
    const core = await linked();
    await core.must('bbuyer', 'flows.setImpersonation', { flow: PO, serviceAccount: 'po-bot', enabled: false });
    const request = await requestOf(core, 'jdoe');
    const count = itemCount(core);
    const before = core.lastSeq();
    const done = await core.must('pmehta', 'items.complete', { id: request.id });
    expect(done.state).toBe('completed');
    expect((await core.must('jdoe', 'items.get', { id: request.id })).state).toBe('completed');
    expect(itemCount(core)).toBe(count);
    const written = core.auditSince(before);
    // The completion and the run's record; the refusal the run met inside went with its savepoint.
    expect(written).toMatchObject<Partial<AuditRow>[]>([
      { log: 'history', action: 'item.complete' },
      { log: 'script', action: 'integration.run', outcome: 'refused', username: 'jdoe (po-bot)' },
    ]);
    expect(written[1]?.message).toMatch(
      /nothing created in Purchase Order: .*po-bot has no impersonation grant on flow Purchase Order\b.*\(R-K5\)$/,
    );
  });

  it('an initiator who is not a member of the target: refused, naming R-K5', async () => {
    const core = await linked();
    const request = await requestOf(core, 'kchen');
    const before = core.lastSeq();
    await core.must('pmehta', 'items.complete', { id: request.id });
    expect(scriptSince(core, before)).toMatchObject([{ outcome: 'refused', username: 'kchen (po-bot)' }]);
    expect(scriptSince(core, before)[0]?.message).toMatch(/kchen is not a member of flow Purchase Order\b.*\(R-K5\)$/);
  });

  it('a disabled rule does not run; a deleted account is named in the Script Log', async () => {
    const core = await linked({ ...RULE, enabled: false });
    const first = await requestOf(core, 'jdoe');
    let before = core.lastSeq();
    await core.must('pmehta', 'items.complete', { id: first.id });
    expect(scriptSince(core, before)).toEqual([]);

    await core.must('admin', 'integrations.set', { flow: LINK, rule: RULE });
    await signIn(core, 'ivan');
    await core.must('ivan', 'serviceAccounts.delete', { username: 'po-bot' });
    const second = await requestOf(core, 'jdoe', 'Desk');
    before = core.lastSeq();
    await core.must('pmehta', 'items.complete', { id: second.id });
    expect(scriptSince(core, before)).toMatchObject([{ outcome: 'refused' }]);
    expect(scriptSince(core, before)[0]?.message).toMatch(/po-bot is no longer a service account/);
  });
});

describe('R-K13: an integration run is a use of its service account', () => {
  it('po-bot, idle past the dormancy period, is used again when its integration runs', async () => {
    const core = await linked();
    const request = await requestOf(core, 'jdoe');
    const poBot = async () =>
      (await core.must('admin', 'serviceAccounts.list', {})).find((s) => s.username === 'po-bot');
    // The demo's own run used po-bot when the demo loaded (the clock has not moved since).
    expect(await poBot()).toMatchObject({ dormant: false, lastUsedAt: core.clock.now.toISOString() });
    core.clock.advance(100 * DAY);
    for (const person of ['admin', 'pmehta']) await core.as(person, 'app.status', {});
    await signIn(core, 'pmehta');
    await signIn(core, 'alice', 'admin');
    expect((await poBot())?.dormant).toBe(true);
    await core.must('pmehta', 'items.complete', { id: request.id });
    expect(await poBot()).toMatchObject({ dormant: false, lastUsedAt: core.clock.now.toISOString() });
  });
});

describe('R-L1: deleting an integration flow keeps its rule in the snapshot; restoring brings it back', () => {
  it('restores the rule with the flow', async () => {
    const core = await linked();
    await core.must('admin', 'flows.delete', { name: LINK });
    const seq = core
      .auditSince(0)
      .filter((r) => r.log === 'record_deletion' && r.action === 'flow.delete')
      .at(-1)?.seq;
    expect(seq).toBeDefined();
    await core.must('admin', 'audit.restore', { seq: seq ?? 0 });
    expect(await core.must('admin', 'integrations.get', { flow: LINK })).toMatchObject(RULE);
  });
});

describe('policy bundles carry integration rules and flows’ field lists', () => {
  it('an export imports again unchanged; a rule naming a chat or a person is refused by JSON path', async () => {
    const core = await demoCore();
    const bundle = await core.must('admin', 'policy.export', {});
    expect(bundle.integrations).toEqual([{ flow: LINK, ...RULE, mapping: expect.any(Array) }]);
    expect(await core.must('admin', 'policy.import', { bundle, dryRun: true })).toMatchObject({ changes: [] });

    const rule = { ...(bundle.integrations?.[0] ?? {}), target: 'Procurement Chat', serviceAccount: 'jdoe' };
    const r = await core.as('admin', 'policy.import', { bundle: { ...bundle, integrations: [rule] }, dryRun: true });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.error.message;
    expect(message).toContain(
      '$.integrations[0].target: Procurement Chat is not a process, board or dataset in flows[]',
    );
    expect(message).toContain('$.integrations[0].serviceAccount: jdoe is not in serviceAccounts[]');
  });
});
