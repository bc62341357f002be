// Service accounts and their access keys (R-K1, R-K10…R-K13, R-A1).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkKey } from '../../src/main/serviceAccounts/keys';
import { decide } from '../../src/main/policy/decide';
import { createCore } from '../../src/main/core';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { memoryVault } from '../../src/main/vault/memoryVault';
import type { VaultFactory } from '../../src/main/kernel/vault';
import { DEMO_PASSWORD, demoCore, poBotMayActAsJdoe, signIn, type TestCore } from './helpers';

const DAY = 86_400_000;
const lastRecord = (core: TestCore) =>
  core.app.db.prepare(`SELECT log, action, message, details FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as {
    log: string;
    action: string;
    message: string;
    details: string;
  };

describe('service account lifecycle', () => {
  it('R-K1, R-A1: a Super Admin or IAM Admin creates one; it joins the Service Account group', async () => {
    const core = await demoCore();
    const list = await core.must('admin', 'serviceAccounts.create', { username: 'ci-bot', displayName: 'CI Bot' });
    expect(list.find((s) => s.username === 'ci-bot')).toMatchObject({ status: 'active', keys: 0, dormant: false });
    const groups = await core.must('admin', 'groups.list', {});
    expect(groups.find((g) => g.name === 'Service Account')?.members).toContain('ci-bot');
    expect(lastRecord(core)).toMatchObject({ log: 'history', message: 'Created service account CI Bot (ci-bot)' });
    await core.must('u', 'auth.signIn', { username: 'ursula', password: DEMO_PASSWORD });
    expect(await core.as('u', 'serviceAccounts.create', { username: 'x-bot', displayName: 'X Bot' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', rule: 'R-K1' },
    });
  });

  it('refuses a taken username and one of 80 characters or more', async () => {
    const core = await demoCore();
    expect(await core.as('admin', 'serviceAccounts.create', { username: 'jdoe', displayName: 'J Bot' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'username' },
    });
    expect(
      await core.as('admin', 'serviceAccounts.create', { username: 'a'.repeat(80), displayName: 'A Bot' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'username' } });
  });

  it('R-K11: shows its associated resources, direct membership apart from impersonation (R-K10)', async () => {
    const core = await demoCore();
    expect(await core.must('admin', 'serviceAccounts.associated', { username: 'po-bot' })).toEqual({
      sharedResources: ['global_my_items'],
      impersonationFlows: [
        { name: 'Purchase Order', type: 'process' },
        { name: 'Purchase Request', type: 'process' },
      ],
      memberOf: [{ name: 'Purchase Order', type: 'process', role: 'viewer' }],
      integrations: [{ flow: 'Purchase Request to Order', source: 'Purchase Request', target: 'Purchase Order' }],
    });
  });

  it('R-K11: lists the flow roles it holds through a group too, naming the group, as decide() grants them', async () => {
    const core = await demoCore();
    await core.must('admin', 'flows.setMember', {
      flow: 'Purchase Request',
      member: { group: 'Service Account' },
      role: 'viewer',
    });
    await core.must('admin', 'groups.create', { name: 'Bots' });
    await core.must('admin', 'groups.setMember', { group: 'Bots', username: 'po-bot', member: true });
    await core.must('admin', 'flows.setMember', {
      flow: 'Purchase Request',
      member: { group: 'Bots' },
      role: 'initiator',
    });
    const { memberOf } = await core.must('admin', 'serviceAccounts.associated', { username: 'po-bot' });
    expect(memberOf).toEqual([
      { name: 'Purchase Order', type: 'process', role: 'viewer' },
      { name: 'Purchase Request', type: 'process', role: 'viewer', group: 'Service Account' },
      { name: 'Purchase Request', type: 'process', role: 'initiator', group: 'Bots' },
    ]);
    expect(
      decide(core.app.policy(), {
        actor: 'po-bot',
        action: 'item.create',
        resource: { type: 'flow', name: 'Purchase Request' },
      }).reasons[0]?.fact,
    ).toBe('po-bot is initiator (through group Bots) of flow Purchase Request, which grants item.create');
    // The other accounts hold only what the system group gives every service account (R-A1).
    expect((await core.must('admin', 'serviceAccounts.associated', { username: 'hr-sync' })).memberOf).toEqual([
      { name: 'Purchase Request', type: 'process', role: 'viewer', group: 'Service Account' },
    ]);
  });

  it('R-K13: flags a dormant account and removes all its impersonation access in one audited step', async () => {
    const core = await demoCore();
    core.clock.advance(91 * DAY);
    await core.must('admin', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    expect((await core.must('admin', 'serviceAccounts.list', {})).find((s) => s.username === 'po-bot')?.dormant).toBe(
      true,
    );
    await core.must('admin', 'flows.addSelfAsAdmin', { flow: 'Purchase Order' });
    const after = await core.must('admin', 'serviceAccounts.removeAllImpersonation', { username: 'po-bot' });
    expect(after).toMatchObject({ sharedResources: [], impersonationFlows: [] });
    expect(lastRecord(core).message).toBe(
      'Removed all impersonation access of po-bot: global_my_items, flow Purchase Order, flow Purchase Request',
    );
    expect(await poBotMayActAsJdoe(core)).toBe(false);
  });

  it('R-K13, R-K4: a Super Admin not Flow Admin of a flow is added as its Flow Admin for the removal, and taken off after', async () => {
    const core = await demoCore();
    const before = core.auditCount();
    // alice is Flow Admin of Purchase Request, not of Purchase Order (bbuyer's).
    await core.must('admin', 'serviceAccounts.removeAllImpersonation', { username: 'po-bot' });
    const records = core.app.db
      .prepare(`SELECT log, action, target, message FROM audit_log WHERE seq > ? ORDER BY seq`)
      .all(before);
    expect(records).toEqual([
      {
        log: 'history',
        action: 'flow.addSelfAsAdmin',
        target: 'flow:Purchase Order',
        message: 'alice added themself as Flow Admin of Purchase Order (was not a member)',
      },
      {
        log: 'record_deletion',
        action: 'serviceAccount.removeAllImpersonation',
        target: 'po-bot',
        message:
          'Removed all impersonation access of po-bot: global_my_items, flow Purchase Order, flow Purchase Request',
      },
      expect.objectContaining({ log: 'history', action: 'flow.removeSelfAsAdmin', target: 'flow:Purchase Order' }),
    ]);
    const po = await core.must('admin', 'flows.get', { name: 'Purchase Order' });
    expect(po.impersonation).toEqual([]);
    expect(po.members.map((m) => ('principal' in m ? m.principal : m.group))).not.toContain('alice');
    expect(po.selfAdded).toEqual([]);
  });

  it('R-K13, R-K4: an IAM Admin, who may not make themself Flow Admin, is refused whole: nothing is removed', async () => {
    const core = await demoCore();
    const ivan = await signIn(core, 'ivan');
    expect(await core.as(ivan, 'serviceAccounts.removeAllImpersonation', { username: 'po-bot' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', rule: 'R-K4' },
    });
    expect(await core.must('admin', 'serviceAccounts.associated', { username: 'po-bot' })).toMatchObject({
      sharedResources: ['global_my_items'],
      impersonationFlows: [{ name: 'Purchase Order' }, { name: 'Purchase Request' }],
    });
  });
});

describe('R-K12: access keys', () => {
  it('creates a key whose secret is shown once and kept only in the keychain; checks it', async () => {
    const core = await demoCore();
    const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 90 });
    expect(key.id).toMatch(/^DPK[0-9A-F]{20}$/);
    expect(key.expiresAt).toBe(new Date(core.clock.now.getTime() + 90 * DAY).toISOString());
    const dump =
      JSON.stringify(core.app.db.prepare(`SELECT * FROM access_keys`).all()) +
      JSON.stringify(core.app.db.prepare(`SELECT * FROM audit_log`).all());
    expect(dump).not.toContain(key.secret);
    const listed = await core.must('admin', 'keys.list', { username: 'po-bot' });
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect(await checkKey(core.app, key.id, key.secret)).toBe('valid');
    expect((await core.must('admin', 'keys.list', { username: 'po-bot' }))[0]?.lastUsedAt).not.toBeNull();
    expect(await checkKey(core.app, key.id, 'not-the-secret')).toBe('invalid');
  });

  it('refuses expiry outside 1 day to 2 years', async () => {
    const core = await demoCore();
    for (const days of [0, 731]) {
      expect(await core.as('admin', 'keys.create', { username: 'po-bot', days })).toMatchObject({
        ok: false,
        error: { field: 'days' },
      });
    }
  });

  it('fails expired, disabled and deleted keys', async () => {
    const core = await demoCore();
    const a = await core.must('admin', 'keys.create', { username: 'po-bot', days: 1 });
    const b = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    const c = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    await core.must('admin', 'keys.setEnabled', { keyId: b.id, enabled: false });
    await core.must('admin', 'keys.delete', { keyId: c.id });
    expect(lastRecord(core)).toMatchObject({ log: 'record_deletion', action: 'accessKey.delete' });
    core.clock.advance(DAY + 1);
    expect(await checkKey(core.app, a.id, a.secret)).toBe('expired');
    expect(await checkKey(core.app, b.id, b.secret)).toBe('disabled');
    expect(await checkKey(core.app, c.id, c.secret)).toBe('invalid');
    await core.must('admin', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    await core.must('admin', 'keys.setEnabled', { keyId: b.id, enabled: true });
    expect(await checkKey(core.app, b.id, b.secret)).toBe('valid');
  });

  it('allows up to 50 keys per account', async () => {
    const core = await demoCore();
    for (let i = 0; i < 50; i++) await core.must('admin', 'keys.create', { username: 'hr-sync', days: 30 });
    expect(await core.as('admin', 'keys.create', { username: 'hr-sync', days: 30 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/50 keys/) },
    });
  });

  it('locks a key id for a minute after 10 failed checks, and records it', async () => {
    const core = await demoCore();
    const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await checkKey(core.app, key.id, `wrong-${i}`));
    expect(answers.slice(0, 9).every((a) => a === 'invalid')).toBe(true);
    expect(answers[9]).toBe('locked');
    expect(await checkKey(core.app, key.id, key.secret)).toBe('locked');
    expect(core.app.db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'accessKey.lock'`).pluck().get()).toBe(1);
    // A lock holds its whole minute, though the failures that caused it age out of their window meanwhile.
    core.clock.advance(59_000);
    expect(await checkKey(core.app, key.id, key.secret)).toBe('locked');
    core.clock.advance(2_000);
    expect(await checkKey(core.app, key.id, key.secret)).toBe('valid');
  });

  it('R-L3: records the checks a lock refuses, the first at once and the rest as one record once it ends', async () => {
    const core = await demoCore();
    const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    for (let i = 0; i < 10; i++) await checkKey(core.app, key.id, `wrong-${i}`);
    const locked = core.lastSeq();
    // Four more checks during the lock, the right secret among them: one record now, the others counted.
    for (const secret of [key.secret, 'wrong', key.secret, 'wrong']) {
      expect(await checkKey(core.app, key.id, secret)).toBe('locked');
    }
    const until = new Date(core.clock.now.getTime() + 60_000).toISOString();
    expect(core.auditSince(locked).map((r) => [r.action, r.outcome, r.message])).toEqual([
      [
        'accessKey.check',
        'refused',
        `Access key check refused for ${key.id}: locked until ${until}; the checks refused until then are counted, ` +
          `and recorded as one record after it`,
      ],
    ]);
    // After the lock, the first check records the rest, then is judged as any other.
    core.clock.advance(61_000);
    const ended = core.lastSeq();
    expect(await checkKey(core.app, key.id, key.secret)).toBe('valid');
    expect(core.auditSince(ended).map((r) => [r.action, r.outcome, r.message])).toEqual([
      [
        'accessKey.check',
        'refused',
        `Access key checks refused for ${key.id} while it was locked until ${until}: 3 more after the first`,
      ],
    ]);
    // Said once: the next check records nothing about the lock.
    const after = core.lastSeq();
    expect(await checkKey(core.app, key.id, key.secret)).toBe('valid');
    expect(core.auditSince(after)).toEqual([]);
  });

  it('counts failures in the database, so every process on it sees them: 5 here and 5 in another core lock', async () => {
    const core = await demoCore();
    const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    // A second core on the same file, as a CLI run or a second console is: its own memory, the same database.
    const other = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
    try {
      for (let i = 0; i < 5; i++) expect(await checkKey(core.app, key.id, `wrong-${i}`)).toBe('invalid');
      for (let i = 0; i < 4; i++) expect(await checkKey(other.app, key.id, `wrong-${i}`)).toBe('invalid');
      expect(await checkKey(other.app, key.id, 'wrong-last')).toBe('locked');
      expect(await checkKey(core.app, key.id, key.secret)).toBe('locked');
    } finally {
      await other.close();
    }
  });

  it('deleting the account takes its keys out of the keychain, with a snapshot in the Record Deletion Log', async () => {
    const core = await demoCore();
    const key = await core.must('admin', 'keys.create', { username: 'hr-sync', days: 30 });
    await core.must('admin', 'serviceAccounts.delete', { username: 'hr-sync' });
    expect(await core.app.vault.get(`access-key:${key.id}`)).toBeNull();
    const rec = lastRecord(core);
    expect(rec).toMatchObject({ log: 'record_deletion', action: 'serviceAccount.delete' });
    expect(JSON.parse(rec.details)).toMatchObject({
      deleted: 'serviceAccount',
      snapshot: {
        principal: { username: 'hr-sync', kind: 'service' },
        grants: [{ type: 'sharedResource', serviceAccount: 'hr-sync', resource: 'user_group_management' }],
        keys: [{ id: key.id }],
      },
    });
  });
});

describe('keychain unavailable', () => {
  const unavailable: VaultFactory = () => ({
    status: async () => ({
      available: false,
      reason: 'There is no D-Bus session here.',
      fix: 'Start one.',
    }),
    set: async () => Promise.reject(new Error('no keychain')),
    get: async () => Promise.reject(new Error('no keychain')),
    delete: async () => Promise.reject(new Error('no keychain')),
  });

  it('refuses key creation and checks with keychain_unavailable, and half-creates nothing', async () => {
    const core = await demoCore(unavailable);
    const r = await core.as('admin', 'keys.create', { username: 'po-bot', days: 30 });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringMatching(/D-Bus/) },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM access_keys`).pluck().get()).toBe(0);
    await expect(checkKey(core.app, 'DPK00000000000000000000', 'x')).rejects.toMatchObject({
      code: 'keychain_unavailable',
    });
    // Everything that needs no secret still works: ci-bot joins the demo's three service accounts.
    expect(
      (await core.must('admin', 'serviceAccounts.create', { username: 'ci-bot', displayName: 'CI Bot' })).length,
    ).toBe(4);
  });
});

describe.skipIf(!process.env.DEPUTY_PRIVATE_KEYRING)('R-K12 with the real OS keychain', () => {
  it('keeps the secret where secret-tool finds it, and removes it on delete', async () => {
    const core = await demoCore(keytarVault);
    const key = await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 });
    const installId = core.app.db
      .prepare(`SELECT value FROM settings WHERE key = 'install_id'`)
      .pluck()
      .get() as string;
    const lookup = () =>
      spawnSync('secret-tool', ['lookup', 'service', `deputy/${installId}`, 'account', `access-key:${key.id}`], {
        encoding: 'utf8',
      });
    expect(lookup().stdout).toBe(key.secret);
    await core.must('admin', 'keys.delete', { keyId: key.id });
    expect(lookup().status).not.toBe(0);
  });
});
