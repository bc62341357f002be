// Issue 23: Add member never changes an existing member's role silently, and refuses principals that cannot hold a
// flow role; a Super Admin's R-K4 self-addition can be undone afterwards, both steps in the flow's History.
import { describe, expect, it } from 'vitest';
import { flowDetail } from '../../src/main/flows/manage';
import { demoCore, signIn, type TestCore } from './helpers';

const PO = 'Purchase Order';
const flowHistory = (core: TestCore) =>
  core.app.db
    .prepare(
      `SELECT operator, action, message, details FROM audit_log WHERE log = 'history' AND target = 'flow:Purchase Order' ORDER BY seq`,
    )
    .all() as { operator: string; action: string; message: string; details: string }[];
const roleOf = (detail: { members: { role: string }[] }, principal: string) =>
  (detail.members.find((m) => 'principal' in m && m.principal === principal) as { role: string } | undefined)?.role;

describe('Add member', () => {
  it('refuses to change an existing member’s role, asking instead; the change goes through once confirmed', async () => {
    const core = await demoCore();
    const bob = await signIn(core, 'bbuyer');
    const before = flowHistory(core).length;
    const asked = await core.as(bob, 'flows.setMember', {
      flow: PO,
      member: { principal: 'jdoe' },
      role: 'viewer',
      adding: true,
    });
    expect(asked).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'member',
        message: 'jdoe is already a member of Purchase Order as initiator — change their role to viewer?',
      },
    });
    expect(roleOf(flowDetail(core.app, PO), 'jdoe')).toBe('initiator');
    expect(flowHistory(core)).toHaveLength(before);

    const changed = await core.must(bob, 'flows.setMember', {
      flow: PO,
      member: { principal: 'jdoe' },
      role: 'viewer',
    });
    expect(roleOf(changed, 'jdoe')).toBe('viewer');
    expect(flowHistory(core).at(-1)).toMatchObject({
      operator: 'bbuyer',
      message: 'Purchase Order: jdoe initiator → viewer',
    });
  });

  it('refuses an inactive person and a system user, naming why, and adds nobody', async () => {
    const core = await demoCore();
    const bob = await signIn(core, 'bbuyer');
    expect(
      await core.as(bob, 'flows.setMember', { flow: PO, member: { principal: 'olive' }, role: 'viewer', adding: true }),
    ).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'member',
        message: 'olive is inactive and cannot hold a flow role; activate them first.',
      },
    });
    expect(
      await core.as(bob, 'flows.setMember', { flow: PO, member: { principal: 'system' }, role: 'viewer' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'member',
        message: 'system is a system user, which cannot hold a flow role.',
      },
    });
    const detail = flowDetail(core.app, PO);
    expect(roleOf(detail, 'olive')).toBeUndefined();
    expect(roleOf(detail, 'system')).toBeUndefined();
  });
});

describe('R-K4: a Super Admin’s self-addition as Flow Admin, undone afterwards', () => {
  it('R-K4: alice adds herself to grant impersonation, then removes the addition; each step in the flow’s History', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    const added = await core.must(alice, 'flows.addSelfAsAdmin', { flow: PO });
    expect(added.selfAdded).toEqual([{ principal: 'alice', was: null }]);
    await core.must(alice, 'flows.setImpersonation', { flow: PO, serviceAccount: 'hr-sync', enabled: true });

    const undone = await core.must(alice, 'flows.removeSelfAsAdmin', { flow: PO });
    expect(undone.selfAdded).toEqual([]);
    expect(roleOf(undone, 'alice')).toBeUndefined();
    expect(undone.impersonation).toContain('hr-sync');
    const steps = flowHistory(core).filter((r) => r.operator === 'alice');
    expect(steps.map((r) => [r.action, r.message])).toEqual([
      ['flow.addSelfAsAdmin', 'alice added themself as Flow Admin of Purchase Order (was not a member)'],
      ['flow.impersonation', 'Purchase Order: impersonation access for hr-sync granted'],
      [
        'flow.removeSelfAsAdmin',
        'alice removed their own Flow Admin addition to Purchase Order (back to not a member)',
      ],
    ]);
    expect(JSON.parse(steps[2]!.details)).toEqual({
      field: 'member',
      member: { principal: 'alice' },
      old: 'flow_admin',
      new: null,
    });
    // Back where she was: she may not manage the flow's members any more.
    expect(await core.as(alice, 'flows.removeSelfAsAdmin', { flow: PO })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('R-K4: gives back the role held before the addition', async () => {
    const core = await demoCore();
    const bob = await signIn(core, 'bbuyer');
    await core.must(bob, 'flows.setMember', { flow: PO, member: { principal: 'alice' }, role: 'viewer' });
    const alice = await signIn(core, 'alice');
    expect((await core.must(alice, 'flows.addSelfAsAdmin', { flow: PO })).selfAdded).toEqual([
      { principal: 'alice', was: 'viewer' },
    ]);
    expect(roleOf(await core.must(alice, 'flows.removeSelfAsAdmin', { flow: PO }), 'alice')).toBe('viewer');
  });

  it('R-K4: a Flow Admin role given by hand is no self-addition: there is nothing to undo', async () => {
    const core = await demoCore();
    const bob = await signIn(core, 'bbuyer');
    await core.must(bob, 'flows.setMember', { flow: PO, member: { principal: 'alice' }, role: 'flow_admin' });
    const alice = await signIn(core, 'alice');
    expect(await core.as(alice, 'flows.removeSelfAsAdmin', { flow: PO })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringContaining('You are not Flow Admin of Purchase Order by your own addition'),
      },
    });
    expect((await core.must(alice, 'flows.get', { name: PO })).selfAdded).toEqual([]);
  });
});
