// R-A5: publishing a portal creates its API key (the secret only in the OS keychain, shown once); rotating deletes it
// and the portal is unavailable until republished, which creates the next; each step is audited. The service API
// accepts a portal's key (Authorization: Bearer <keyId>.<secret>) for portals.decide only, answered from the portal's
// service account's permissions. Keys live in the keychain, so most of these run inside scripts/with-keyring.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { memoryVault } from '../../src/main/vault/memoryVault';
import { startServiceApi, type ServiceApi } from '../../src/main/web/serviceApi';
import { checkKey } from '../../src/main/serviceAccounts/keys';
import { PORTAL_KEY_ID, type PublishedPortalKey } from '../../src/shared/portals';
import type { CredentialVault, VaultFactory } from '../../src/main/kernel/vault';
import { demoCore, signIn, type AuditRow, type TestCore } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);
const PORTAL = 'R-A5 Portal';
const RECORDS = 'R-A5 Suppliers';
const UPLOADS = 'R-A5 Uploads';

/** A vault over `base` that the test can switch off (status unavailable, every call failing). */
function switchable(base: VaultFactory) {
  /**
   * `cutAfterDelete`: the next delete removes the secret, then fails, as a process killed right after would.
   * `cutBeforeDelete`: the next delete fails and removes nothing, as a process killed just before it would.
   * `failSet`: the keychain says it is there, then fails to store (a locked collection, a daemon that died).
   */
  const state = { down: false, cutAfterDelete: false, cutBeforeDelete: false, failSet: false };
  const fail = () => Promise.reject(new Error('keychain switched off by the test'));
  const factory: VaultFactory = (scope) => {
    const v = base(scope);
    const vault: CredentialVault = {
      status: async () =>
        state.down ? { available: false, reason: 'switched off by the test', fix: 'switch it on' } : v.status(),
      set: (a, s) => (state.down || state.failSet ? fail() : v.set(a, s)),
      get: (a) => (state.down ? fail() : v.get(a)),
      delete: async (a) => {
        if (state.down) return fail();
        if (state.cutBeforeDelete) {
          state.cutBeforeDelete = false;
          throw new Error('process ended between the database and the keychain');
        }
        const deleted = await v.delete(a);
        if (!state.cutAfterDelete) return deleted;
        state.cutAfterDelete = false;
        throw new Error('process ended between the keychain and the database');
      },
    };
    return vault;
  };
  return { factory, state };
}

const servers: ServiceApi[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** The demo (alice signed in as 'admin'), and a portal of po-bot whose upload folder lacks the Editor it needs. */
async function setUp(vault: VaultFactory) {
  const core = await demoCore(vault);
  const po = (level: 'viewer' | 'editor') => [{ grantee: { type: 'user' as const, name: 'po-bot' }, level }];
  await core.must('admin', 'designObjects.create', { name: RECORDS, kind: 'record_type', permissions: po('viewer') });
  await core.must('admin', 'designObjects.create', {
    name: UPLOADS,
    kind: 'document_folder',
    permissions: po('viewer'),
  });
  await core.must('admin', 'portals.create', {
    name: PORTAL,
    serviceAccount: 'po-bot',
    uses: [
      { useCase: 'query_records', objects: [RECORDS] },
      { useCase: 'upload_documents', objects: [UPLOADS] },
    ],
  });
  return core;
}

const grantEditor = (core: TestCore) =>
  core.must('admin', 'portals.fix', { portal: PORTAL, finding: `upload_documents|${UPLOADS}` });

async function published(vault: VaultFactory) {
  const core = await setUp(vault);
  await grantEditor(core);
  const key = await core.must('admin', 'portals.publish', { name: PORTAL });
  const server = await startServiceApi({ callWith: core.callWith });
  servers.push(server);
  return { core, key, server };
}

const installIdOf = (core: Pick<TestCore, 'app'>) =>
  core.app.db.prepare(`SELECT value FROM settings WHERE key = 'install_id'`).pluck().get() as string;
/** What secret-tool finds for a portal key: the real OS keychain, outside Deputy. */
const lookup = (core: Pick<TestCore, 'app'>, keyId: string) =>
  spawnSync('secret-tool', ['lookup', 'service', `deputy/${installIdOf(core)}`, 'account', `portal-key:${keyId}`], {
    encoding: 'utf8',
  });

/** Every portal key secret of this database in the real OS keychain, by account. */
function keychainPortalKeys(core: TestCore): string[] {
  const out = spawnSync('secret-tool', ['search', '--all', 'service', `deputy/${installIdOf(core)}`], {
    encoding: 'utf8',
  });
  return [...`${out.stdout}${out.stderr}`.matchAll(/attribute\.account = (portal-key:\S+)/g)].map((m) => m[1]!);
}

const bearer = (key: Pick<PublishedPortalKey, 'keyId' | 'secret'>) => `Bearer ${key.keyId}.${key.secret}`;

async function post(server: ServiceApi, method: string, body: unknown, authorization: string) {
  const res = await fetch(`${server.url}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: unknown } };
}

const QUERY = { useCase: 'query_records', object: RECORDS } as const;
const liveRows = (core: TestCore) =>
  core.app.db.prepare(`SELECT count(*) FROM portal_keys WHERE key_id IS NOT NULL`).pluck().get() as number;
const stateOf = async (core: TestCore) =>
  (await core.must('admin', 'portals.keys', {})).find((k) => k.portal === PORTAL)!;

describe('R-A5: publishing needs no missing finding', () => {
  it('R-A5: a blocked portal is refused with its missing finding named, and nothing is made', async () => {
    const core = await setUp(memoryVault);
    const before = core.lastSeq();
    const r = await core.as('admin', 'portals.publish', { name: PORTAL });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', field: 'name', rule: 'R-A2' } });
    if (r.ok) throw new Error('unreachable');
    expect(r.error.message).toContain(UPLOADS);
    expect(r.error.message).toContain('Editor');
    expect(core.auditSince(before)).toMatchObject([
      { action: 'portals.publish', outcome: 'refused', operator: 'alice' },
    ]);
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);
    expect(await stateOf(core)).toMatchObject({ state: 'unpublished', keyId: null });
  });

  it('R-A5: with the keychain unavailable, publish says so and makes nothing (no key row without its secret)', async () => {
    const vault = switchable(memoryVault);
    const core = await setUp(vault.factory);
    await grantEditor(core);
    vault.state.down = true;
    const r = await core.as('admin', 'portals.publish', { name: PORTAL });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringContaining('Nothing was changed') },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);
    expect(await stateOf(core)).toMatchObject({ state: 'unpublished' });
    vault.state.down = false;
    expect((await core.must('admin', 'portals.publish', { name: PORTAL })).keyId).toMatch(PORTAL_KEY_ID);
  });
});

describe('R-A1: a portal whose service account is inactive cannot serve', () => {
  it('R-A1, R-A5: it is blocked and not published; a published one’s key is refused, recorded why, and never locks', async () => {
    const core = await setUp(memoryVault);
    await grantEditor(core);
    const setStatus = (status: 'active' | 'inactive') =>
      core.must('admin', 'directory.setStatus', { username: 'po-bot', status });
    await setStatus('inactive');
    const report = await core.must('admin', 'portals.get', { name: PORTAL });
    expect(report.blocked).toBe(true);
    expect(report.warnings.filter((w) => w.rule === 'R-A1')).toMatchObject([
      { kind: 'account_inactive', message: expect.stringContaining('po-bot is inactive') },
    ]);
    const refused = await core.as('admin', 'portals.publish', { name: PORTAL });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        rule: 'R-A1',
        message: expect.stringContaining('until its service account can serve it'),
      },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);

    await setStatus('active');
    const key = await core.must('admin', 'portals.publish', { name: PORTAL });
    const server = await startServiceApi({ callWith: core.callWith });
    servers.push(server);
    await setStatus('inactive');
    const before = core.lastSeq();
    // The right secret, more times than the failures that lock a key id: no guess, so no lock.
    for (let i = 0; i < 11; i++) expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(401);
    const records = core.auditSince(before);
    expect(records).toHaveLength(11);
    expect(records[0]).toMatchObject({
      action: 'portalKey.check',
      outcome: 'refused',
      effective_user: 'po-bot',
      message: `Portal API key check refused for ${key.keyId}: its service account po-bot is inactive`,
    });
    expect(new Set(records.map((r) => r.message)).size).toBe(1);
    await setStatus('active');
    expect(await post(server, 'portals.decide', QUERY, bearer(key))).toMatchObject({ status: 200 });
    // A portal key names no user: a program sending one is told, not silently answered as the account.
    const res = await fetch(`${server.url}portals.decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(key), 'deputy-on-behalf-of': 'jdoe' },
      body: JSON.stringify(QUERY),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'deputy-on-behalf-of', message: expect.stringContaining('drop the') },
    });
  });
});

describe.skipIf(!inKeyring)('R-A5 with the real OS keychain and the real service API', () => {
  it('R-A5: publish creates a key whose secret is only in the keychain, shown once, audited once', async () => {
    const { core, key } = await published(keytarVault);
    expect(key.keyId).toMatch(PORTAL_KEY_ID);
    expect(lookup(core, key.keyId).stdout).toBe(key.secret);
    // Not in SQLite: not in the database file, its WAL, nor any audit record.
    core.app.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [core.dbPath, `${core.dbPath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(key.secret), file).toBe(false);
    }
    const records = core.auditSince(0).filter((r) => r.action.startsWith('portal.publish'));
    expect(records).toMatchObject([{ log: 'history', operator: 'alice', target: `portal:${PORTAL}` }]);
    expect(JSON.stringify(core.auditSince(0))).not.toContain(key.secret);
    const listed = await stateOf(core);
    expect(listed).toMatchObject({ state: 'published', keyId: key.keyId, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    // At most one live key.
    expect(await core.as('admin', 'portals.publish', { name: PORTAL })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(liveRows(core)).toBe(1);
  });

  it('R-A5: the key answers portals.decide over HTTP from the account’s permissions, one record each, and nothing else', async () => {
    const { core, key, server } = await published(keytarVault);
    const before = core.lastSeq();
    const yes = await post(server, 'portals.decide', QUERY, bearer(key));
    expect(yes).toMatchObject({ status: 200, body: { ok: true, value: { portal: PORTAL, allowed: true } } });
    const upload = await post(server, 'portals.decide', { useCase: 'upload_documents', object: UPLOADS }, bearer(key));
    expect(upload.body).toMatchObject({ ok: true, value: { allowed: true, actual: 'editor' } });
    // An object the portal does not reference for that use case, and a use case it does not have: refused.
    const other = await post(server, 'portals.decide', { useCase: 'query_records', object: UPLOADS }, bearer(key));
    expect(other.body).toMatchObject({ ok: true, value: { allowed: false } });
    const start = await post(server, 'portals.decide', { useCase: 'start_process', object: RECORDS }, bearer(key));
    expect(start.body).toMatchObject({ ok: true, value: { allowed: false } });
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { action: 'portals.decide', operator: 'po-bot', username: 'po-bot', impersonator: null, outcome: 'ok' },
      { action: 'portals.decide', operator: 'po-bot', outcome: 'ok' },
      { action: 'portals.decide', operator: 'po-bot', outcome: 'refused' },
      { action: 'portals.decide', operator: 'po-bot', outcome: 'refused' },
    ]);
    // Another portal, and any other method: forbidden.
    const elsewhere = await post(server, 'portals.decide', { ...QUERY, portal: 'Another' }, bearer(key));
    expect(elsewhere).toMatchObject({ status: 403 });
    const program = await post(server, 'access.decide', { action: 'item.create', resource: 'account' }, bearer(key));
    expect(program).toMatchObject({ status: 403, body: { ok: false, error: { code: 'forbidden' } } });
    // Exactly what the permissions allow now: lowering them changes the answer at once.
    await core.must('admin', 'designObjects.setPermissions', { name: RECORDS, permissions: [] });
    const lowered = await post(server, 'portals.decide', QUERY, bearer(key));
    expect(lowered.body).toMatchObject({ ok: true, value: { allowed: false, actual: null } });
    // A wrong secret is refused (and counted), as an access key is.
    const wrong = await post(server, 'portals.decide', QUERY, bearer({ keyId: key.keyId, secret: 'nope' }));
    expect(wrong.status).toBe(401);
    expect((await stateOf(core)).lastUsedAt).not.toBeNull();
  });

  it('R-A5, R-L3: 10 wrong secrets lock the key id; the checks the lock refuses are recorded, not one record each', async () => {
    const { core, key, server } = await published(keytarVault);
    for (let i = 0; i < 10; i++) {
      expect(
        (await post(server, 'portals.decide', QUERY, bearer({ keyId: key.keyId, secret: `no-${i}` }))).status,
      ).toBe(401);
    }
    expect(core.auditSince(0).filter((r) => r.action === 'portalKey.lock')).toMatchObject([
      {
        target: key.keyId,
        outcome: 'refused',
        message: `Portal API key ${key.keyId} locked for a minute after 10 failed checks`,
      },
    ]);
    const before = core.lastSeq();
    for (let i = 0; i < 3; i++) expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(401);
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      {
        action: 'portalKey.check',
        outcome: 'refused',
        message: expect.stringMatching(new RegExp(`^Portal API key check refused for ${key.keyId}: locked until `)),
      },
    ]);
  });

  it('R-A5: rotate → unavailable, the old key refused over HTTP → republish → the new key works; one record each', async () => {
    const { core, key, server } = await published(keytarVault);
    expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(200);
    const rotated = await core.must('admin', 'portals.rotate', { name: PORTAL });
    expect(rotated).toMatchObject({ state: 'unavailable', keyId: null });
    expect(lookup(core, key.keyId).status).not.toBe(0);
    const refused = await post(server, 'portals.decide', QUERY, bearer(key));
    expect(refused).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthenticated' } } });
    expect(JSON.stringify(refused.body)).toContain('unavailable until republished');
    const again = await core.must('admin', 'portals.publish', { name: PORTAL });
    expect(again.keyId).not.toBe(key.keyId);
    expect(await post(server, 'portals.decide', QUERY, bearer(again))).toMatchObject({ status: 200 });
    expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(401);
    const steps = core
      .auditSince(0)
      .filter((r) => ['portal.publish', 'portal.rotate', 'portal.republish'].includes(r.action));
    expect(steps).toMatchObject([
      { action: 'portal.publish', log: 'history', operator: 'alice' },
      { action: 'portal.rotate', log: 'history', operator: 'alice' },
      { action: 'portal.republish', log: 'history', operator: 'alice' },
    ]);
    expect(await stateOf(core)).toMatchObject({ state: 'published', keyId: again.keyId });
  });

  it('R-A5: a rotate interrupted before republish (keychain gone, then a restart) leaves the portal unavailable, with no orphan row or secret', async () => {
    const vault = switchable(keytarVault);
    const { core, key } = await published(vault.factory);
    // The keychain failing during rotate changes nothing: the key still works.
    vault.state.down = true;
    expect(await core.as('admin', 'portals.rotate', { name: PORTAL })).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable' },
    });
    vault.state.down = false;
    expect(await stateOf(core)).toMatchObject({ state: 'published', keyId: key.keyId });
    await core.must('admin', 'portals.rotate', { name: PORTAL });
    // Republish fails: the portal stays unavailable, no row of a key, no secret.
    vault.state.down = true;
    expect(await core.as('admin', 'portals.publish', { name: PORTAL })).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable' },
    });
    vault.state.down = false;
    expect(liveRows(core)).toBe(0);
    expect(lookup(core, key.keyId).status).not.toBe(0);
    // The process ends here; the next one finds the same consistent state.
    const installId = installIdOf(core);
    await core.close();
    const next = await createCore({ dbPath: core.dbPath, vault: keytarVault });
    try {
      const server = await startServiceApi({ callWith: next.callWith });
      servers.push(server);
      expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(401);
      expect(next.app.db.prepare(`SELECT count(*) FROM portal_keys WHERE key_id IS NOT NULL`).pluck().get()).toBe(0);
      const secretsLeft = spawnSync('secret-tool', ['search', '--all', 'service', `deputy/${installId}`], {
        encoding: 'utf8',
      });
      expect(`${secretsLeft.stdout}${secretsLeft.stderr}`).not.toContain('portal-key:');
    } finally {
      await next.close();
    }
  });

  it('R-A5: a rotate cut after its database step reads "unavailable until republished"; the old key is refused and its leftover secret goes at the next start', async () => {
    const vault = switchable(keytarVault);
    const { core, key, server } = await published(vault.factory);
    vault.state.cutBeforeDelete = true;
    // The rotation stands (the key is no longer live); the secret it could not remove is named, not hidden.
    expect(await core.must('admin', 'portals.rotate', { name: PORTAL })).toMatchObject({
      state: 'unavailable',
      keyId: null,
      retiredKeyId: key.keyId,
    });
    expect(lookup(core, key.keyId).stdout).toBe(key.secret);
    expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(401);
    expect(core.auditSince(0).filter((r) => r.action === 'portal.rotate')).toHaveLength(1);
    // The process ends; the next start takes the leftover secret out of the keychain and forgets it.
    await core.close();
    const next = await createCore({ dbPath: core.dbPath, vault: keytarVault });
    try {
      expect(lookup(next, key.keyId).status).not.toBe(0);
      expect(next.app.db.prepare(`SELECT key_id, retired_key_id FROM portal_keys`).get()).toEqual({
        key_id: null,
        retired_key_id: null,
      });
    } finally {
      await next.close();
    }
  });

  it('R-A5: a rotate cut between the keychain and its last step: unavailable, the key refused, and republish finishes it', async () => {
    const vault = switchable(keytarVault);
    const { core, key, server } = await published(vault.factory);
    vault.state.cutAfterDelete = true;
    expect(await core.must('admin', 'portals.rotate', { name: PORTAL })).toMatchObject({
      state: 'unavailable',
      keyId: null,
    });
    expect(lookup(core, key.keyId).status).not.toBe(0);
    expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(401);
    expect(liveRows(core)).toBe(0);
    const again = await core.must('admin', 'portals.publish', { name: PORTAL });
    expect(await stateOf(core)).toMatchObject({ state: 'published', keyId: again.keyId, retiredKeyId: null });
    expect((await post(server, 'portals.decide', QUERY, bearer(again))).status).toBe(200);
  });

  it('R-A5: a keychain that fails to store the secret: publish says so, and makes no row, no secret, no publish record', async () => {
    const vault = switchable(keytarVault);
    const core = await setUp(vault.factory);
    await grantEditor(core);
    const before = core.lastSeq();
    vault.state.failSet = true;
    const r = await core.as('admin', 'portals.publish', { name: PORTAL });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable', message: expect.stringContaining('was not published') },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);
    expect(keychainPortalKeys(core)).toEqual([]);
    expect(core.auditSince(before).map((x) => x.action)).not.toContain('portal.publish');
    vault.state.failSet = false;
    expect((await core.must('admin', 'portals.publish', { name: PORTAL })).keyId).toMatch(PORTAL_KEY_ID);
  });

  it('R-A5: a database that fails after the secret is stored: the secret is taken back, no row is left', async () => {
    const core = await setUp(keytarVault);
    await grantEditor(core);
    core.app.db.exec(
      `CREATE TRIGGER test_fail BEFORE INSERT ON portal_keys BEGIN SELECT RAISE(ABORT, 'disk failed (test)'); END`,
    );
    expect((await core.as('admin', 'portals.publish', { name: PORTAL })).ok).toBe(false);
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);
    expect(keychainPortalKeys(core)).toEqual([]);
    core.app.db.exec(`DROP TRIGGER test_fail`);
    const key = await core.must('admin', 'portals.publish', { name: PORTAL });
    expect(keychainPortalKeys(core)).toEqual([`portal-key:${key.keyId}`]);
  });

  it('R-A5: a published portal is not deleted (its secret would be left behind) until rotated', async () => {
    const { core } = await published(keytarVault);
    expect(await core.as('admin', 'portals.delete', { name: PORTAL })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('rotate it first') },
    });
    await core.must('admin', 'portals.rotate', { name: PORTAL });
    await core.must('admin', 'portals.delete', { name: PORTAL });
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);
  });
});

describe('what a portal and its objects name stays theirs (R-A1, R-A2, R-A5)', () => {
  it('R-A5: a published portal keeps its account: giving it another is refused until its key is rotated', async () => {
    const { core } = await published(memoryVault);
    const before = core.lastSeq();
    expect(await core.as('admin', 'portals.update', { name: PORTAL, serviceAccount: 'hr-sync' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'serviceAccount', rule: 'R-A5' },
    });
    expect(core.auditSince(before)).toMatchObject([{ action: 'portals.update', outcome: 'refused' }]);
    expect((await stateOf(core)).keyId).not.toBeNull();
    expect((await core.must('admin', 'portals.get', { name: PORTAL })).portal.serviceAccount).toBe('po-bot');
  });

  it('R-A5: nor by an import: a bundle giving the published portal another account is refused whole', async () => {
    const { core } = await published(memoryVault);
    const bundle = await core.must('admin', 'policy.export', {});
    const moved = {
      ...bundle,
      portals: bundle.portals?.map((p) => (p.name === PORTAL ? { ...p, serviceAccount: 'hr-sync' } : p)),
    };
    const r = await core.as('admin', 'policy.import', { bundle: moved, dryRun: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/\(R-A5\)$/) } });
    expect((await core.must('admin', 'portals.get', { name: PORTAL })).portal.serviceAccount).toBe('po-bot');
  });

  it('R-A1, R-A2: a portal’s account, and a user or group with design-object entries, is not deleted from under them', async () => {
    const core = await setUp(memoryVault);
    const before = core.lastSeq();
    expect(await core.as('admin', 'serviceAccounts.delete', { username: 'po-bot' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        rule: 'R-A1',
        message: expect.stringMatching(/service account of portal R-A5 Portal/),
      },
    });
    await core.must('admin', 'groups.create', { name: 'Reviewers' });
    await core.must('admin', 'designObjects.setPermissions', {
      name: RECORDS,
      permissions: [
        { grantee: { type: 'user', name: 'po-bot' }, level: 'viewer' },
        { grantee: { type: 'group', name: 'Reviewers' }, level: 'viewer' },
        { grantee: { type: 'user', name: 'kchen' }, level: 'viewer' },
      ],
    });
    for (const [method, input] of [
      ['groups.delete', { name: 'Reviewers' }],
      ['directory.delete', { username: 'kchen' }],
    ] as const) {
      expect(await core.as('admin', method, input)).toMatchObject({
        ok: false,
        error: {
          code: 'conflict',
          rule: 'R-A2',
          message: expect.stringMatching(/has permissions on design object R-A5/),
        },
      });
    }
    expect(
      core
        .auditSince(before)
        .filter((r) => r.outcome === 'refused')
        .map((r) => r.action),
    ).toEqual(['serviceAccounts.delete', 'groups.delete', 'directory.delete']);
    // Taken off the objects first, they go.
    await core.must('admin', 'designObjects.setPermissions', {
      name: RECORDS,
      permissions: [{ grantee: { type: 'user', name: 'po-bot' }, level: 'viewer' }],
    });
    await core.must('admin', 'groups.delete', { name: 'Reviewers' });
    await core.must('admin', 'directory.delete', { username: 'kchen' });
  });
});

describe('R-K13: a portal key’s use is a use of its service account', () => {
  it('R-K13: po-bot, idle past the dormancy period, is used again when its portal presents its key', async () => {
    const { core, key, server } = await published(memoryVault);
    const poBot = async () =>
      (await core.must('admin', 'serviceAccounts.list', {})).find((s) => s.username === 'po-bot');
    core.clock.advance(100 * 86_400_000);
    await signIn(core, 'alice', 'admin');
    expect((await poBot())?.dormant).toBe(true);
    expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(200);
    expect(await poBot()).toMatchObject({ dormant: false, lastUsedAt: core.clock.now.toISOString() });
  });

  it('R-K13: rotating a used portal key, or deleting a used access key, keeps the account’s last use', async () => {
    const { core, key, server } = await published(memoryVault);
    const poBot = async () =>
      (await core.must('admin', 'serviceAccounts.list', {})).find((s) => s.username === 'po-bot');
    core.clock.advance(100 * 86_400_000);
    await signIn(core, 'alice', 'admin');
    expect((await post(server, 'portals.decide', QUERY, bearer(key))).status).toBe(200);
    const used = core.clock.now.toISOString();
    core.clock.advance(86_400_000);
    await signIn(core, 'alice', 'admin');
    await core.must('admin', 'portals.rotate', { name: PORTAL });
    expect(await poBot()).toMatchObject({ dormant: false, lastUsedAt: used });

    const access = await core.must('admin', 'keys.create', { username: 'po-bot', days: 90 });
    core.clock.advance(86_400_000);
    expect(await checkKey(core.app, access.id, access.secret)).toBe('valid');
    const keyUsed = core.clock.now.toISOString();
    core.clock.advance(86_400_000);
    await signIn(core, 'alice', 'admin');
    await core.must('admin', 'keys.delete', { keyId: access.id });
    expect(await poBot()).toMatchObject({ dormant: false, lastUsedAt: keyUsed });
  });
});
