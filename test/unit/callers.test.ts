// A program calls with a service account's access key, on behalf of a user (src/main/callers): who it is,
// what it may call, and how its calls are recorded. The keys live in the real OS keychain, so these run
// inside scripts/with-keyring (private D-Bus + gnome-keyring), as `npm test` does.
import { describe, expect, it, vi } from 'vitest';
import { keytarVault } from '../../src/main/vault/keytarVault';
import type { Credential } from '../../src/main/callers/resolve';
import type { NewAccessKey } from '../../src/shared/model';
import type { Action } from '../../src/shared/policy';
import { demoCore, signIn, type AuditRow, type TestCore } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);
const DAY = 86_400_000;

/** The demo with an IAM Admin signed in on 'ivan', who creates po-bot's keys through the contract. */
async function withKeys() {
  const core = await demoCore(keytarVault);
  await signIn(core, 'ivan');
  const newKey = (days = 30) => core.must('ivan', 'keys.create', { username: 'po-bot', days });
  return { core, newKey };
}

const program = (key: NewAccessKey, onBehalfOf = 'jdoe', secret = key.secret): Credential => ({
  kind: 'accessKey',
  keyId: key.id,
  secret,
  onBehalfOf,
});

const checks: { action: Action; resource: string }[] = [
  { action: 'item.create', resource: 'flow:Purchase Order' },
  { action: 'item.update', resource: 'flow:Purchase Order' },
  { action: 'item.create', resource: 'flow:Purchase Request' },
  { action: 'myItems.read', resource: 'account' },
  { action: 'directory.read', resource: 'account' },
];

/** decide()'s answers through Access check, asked by alice (a Super Admin). */
const decided = async (core: TestCore, actor: string, onBehalfOf?: string) =>
  Promise.all(
    checks.map(
      async (c) =>
        (await core.must('admin', 'access.check', { actor, ...(onBehalfOf ? { onBehalfOf } : {}), ...c })).allowed,
    ),
  );

describe.skipIf(!inKeyring)('R-K5, R-K6: a program acts as its service account on behalf of the user it names', () => {
  it('access.canI answers what decide() answers for the service account acting for that user', async () => {
    const { core, newKey } = await withKeys();
    const key = await newKey();
    // jdoe may create Purchase Requests by hand; po-bot loses its way in, so the answers tell the two apart.
    await core.must('admin', 'flows.setImpersonation', {
      flow: 'Purchase Request',
      serviceAccount: 'po-bot',
      enabled: false,
    });
    const answered = await core.callWith(program(key), 'access.canI', { checks });
    const expected = await decided(core, 'po-bot', 'jdoe');
    expect(answered).toEqual({ ok: true, value: expected });
    expect(expected).toEqual([true, false, false, true, false]);
    expect(expected).not.toEqual(await decided(core, 'jdoe'));
    expect(expected).not.toEqual(await decided(core, 'po-bot'));
  });

  it('naming a user who is not in the directory is not_found, on onBehalfOf', async () => {
    const { core, newKey } = await withKeys();
    const key = await newKey();
    const before = core.lastSeq();
    expect(await core.callWith(program(key, 'nobody'), 'access.canI', { checks })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no user named nobody to act for.', field: 'onBehalfOf' },
    });
    // R-L3: the key was good, so the refusal is recorded against its service account, once.
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { operator: 'po-bot', action: 'accessKey.actFor', target: 'nobody', outcome: 'refused' },
    ]);
    // The key is checked first: without a good one, nobody learns who is in the directory.
    expect(await core.callWith(program(key, 'nobody', 'not-the-secret'), 'access.canI', { checks })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });
});

describe.skipIf(!inKeyring)('R-K12: wrong, disabled, expired and deleted keys fail authentication alike', () => {
  it('each is unauthenticated with the same message; only the log tells which it was', async () => {
    const { core, newKey } = await withKeys();
    const [good, disabled, expiring, deleted] = [await newKey(), await newKey(), await newKey(1), await newKey()];
    for (const key of [good, disabled, expiring, deleted]) {
      expect((await core.callWith(program(key), 'access.canI', { checks: [] })).ok, key.id).toBe(true);
    }
    await core.must('ivan', 'keys.setEnabled', { keyId: disabled.id, enabled: false });
    await core.must('ivan', 'keys.delete', { keyId: deleted.id });
    core.clock.advance(DAY + 1);
    const before = core.lastSeq();
    const refused = [
      program(good, 'jdoe', 'not-the-secret'),
      program(disabled),
      program(expiring),
      program(deleted),
      { ...program(good), keyId: 'DPK00000000000000000000' },
    ];
    const errors = [];
    for (const credential of refused) {
      const r = await core.callWith(credential, 'access.canI', { checks: [] });
      errors.push(r.ok ? null : r.error);
    }
    expect(errors).toEqual(refused.map(() => ({ code: 'unauthenticated', message: 'The access key was refused.' })));
    expect(core.auditSince(before).map((r) => r.message)).toEqual([
      `Access key check refused for ${good.id}: invalid`,
      `Access key check refused for ${disabled.id}: disabled`,
      `Access key check refused for ${expiring.id}: expired`,
      `Access key check refused for ${deleted.id}: invalid`,
      'Access key check refused for DPK00000000000000000000: invalid',
    ]);
    expect(await core.callWith(program(good), 'access.canI', { checks: [] })).toEqual({ ok: true, value: [] });
  });
});

describe.skipIf(!inKeyring)('programs call only the program methods', () => {
  it('a console method is forbidden to a program, even acting for a Super Admin who could call it', async () => {
    const { core, newKey } = await withKeys();
    const key = await newKey();
    // A password would travel through the program; only a person sets one.
    const input = { username: 'jdoe', password: 'another-password-42' };
    expect(await core.callWith(program(key, 'alice'), 'directory.setPassword', input)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'directory.setPassword needs a signed-in person; programs cannot call it.' },
    });
  });

  it('a public method is refused to a program', async () => {
    const { core, newKey } = await withKeys();
    const key = await newKey();
    for (const method of ['app.status', 'auth.signIn']) {
      expect(await core.callWith(program(key), method, {}), method).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: `${method} is for the console, not for programs.` },
      });
    }
  });
});

describe.skipIf(!inKeyring)('R-S8: what a program does is recorded as `jdoe (po-bot)`', () => {
  it('an unexpected failure during its call goes to the Exception Log as jdoe (po-bot)', async () => {
    const { core, newKey } = await withKeys();
    const key = await newKey();
    const before = core.lastSeq();
    // The decision's read of the snapshot fails, once the caller is known (its identities are read with it too).
    const policy = core.app.policy.bind(core.app);
    vi.spyOn(core.app, 'policy').mockImplementation(() => {
      if (new Error().stack?.includes('identitiesNow')) return policy();
      throw new Error('the policy snapshot could not be read');
    });
    expect(await core.callWith(program(key), 'access.canI', { checks })).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      {
        log: 'exception',
        operator: 'po-bot',
        effective_user: 'jdoe',
        impersonator: 'po-bot',
        username: 'jdoe (po-bot)',
        action: 'access.canI',
        outcome: 'error',
      },
    ]);
  });
});

describe.skipIf(!inKeyring)('R-L3: a program’s refused call is recorded', () => {
  // The caller is known before the program check, so the refusal is recorded, attributed as the call is.
  it('with the service account and the user it acted for, as jdoe (po-bot)', async () => {
    const { core, newKey } = await withKeys();
    const key = await newKey();
    const before = core.lastSeq();
    await core.callWith(program(key), 'audit.list', {});
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { operator: 'po-bot', username: 'jdoe (po-bot)', action: 'audit.list', outcome: 'refused' },
    ]);
  });
});
