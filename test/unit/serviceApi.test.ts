// The service API over real HTTP (and HTTPS) with a real key from the OS keychain: a program authenticates with
// its Access Key ID and secret, names the user it acts for, and gets the console's answers and audit records
// (R-K5, R-K6, R-S8, R-L3). Keys live in the keychain, so these run inside scripts/with-keyring.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { checkListenAddress, MAX_SERVICE_BODY, startServiceApi, type ServiceApi } from '../../src/main/web/serviceApi';
import type { NewAccessKey } from '../../src/shared/model';
import { demoCore, signIn, tempDir, type AuditRow, type TestCore } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);

const servers: ServiceApi[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serviceFor(core: TestCore, tls?: { cert: Buffer; key: Buffer }) {
  const server = await startServiceApi({ callWith: core.callWith, ...(tls ? { tls } : {}) });
  servers.push(server);
  return server;
}

/** The demo, a running service API, and a fresh key of po-bot created by ivan (IAM Admin) through the contract. */
async function setUp() {
  const core = await demoCore(keytarVault);
  await signIn(core, 'ivan');
  const key = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
  return { core, key, server: await serviceFor(core) };
}

const basic = (key: Pick<NewAccessKey, 'id' | 'secret'>) =>
  `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString('base64')}`;

async function post(server: ServiceApi, method: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: unknown } };
}

const PO = { action: 'item.create', resource: 'flow:Purchase Order' } as const;

describe.skipIf(!inKeyring)('R-K5, R-S8: a program over HTTP acts as its service account for the user it names', () => {
  it('access.decide answers as decide() does, records user (service-account), and moves the key’s last use', async () => {
    const { core, key, server } = await setUp();
    const before = core.lastSeq();
    const r = await post(server, 'access.decide', PO, { authorization: basic(key), 'deputy-on-behalf-of': 'jdoe' });
    const expected = await core.must('admin', 'access.check', { actor: 'po-bot', onBehalfOf: 'jdoe', ...PO });
    expect(r).toEqual({ status: 200, body: { ok: true, value: expected } });
    expect(expected.allowed).toBe(true);
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      {
        operator: 'po-bot',
        effective_user: 'jdoe',
        impersonator: 'po-bot',
        username: 'jdoe (po-bot)',
        action: 'access.decide',
        target: 'flow:Purchase Order',
        outcome: 'ok',
      },
    ]);
    const keys = await core.must('ivan', 'keys.list', { username: 'po-bot' });
    expect(keys.find((k) => k.id === key.id)?.lastUsedAt).not.toBeNull();
  });

  it('a denial comes with its reasons and is recorded as refused', async () => {
    const { core, key, server } = await setUp();
    const before = core.lastSeq();
    const asked = { action: 'flow.members', resource: 'flow:Purchase Order' };
    const r = await post(server, 'access.decide', asked, { authorization: basic(key), 'deputy-on-behalf-of': 'jdoe' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      value: {
        allowed: false,
        reasons: expect.arrayContaining([
          { rule: 'R-K6', fact: expect.stringMatching(/jdoe's role .* does not grant flow\.members$/), via: 'catalog' },
        ]),
      },
    });
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { username: 'jdoe (po-bot)', action: 'access.decide', outcome: 'refused' },
    ]);
  });

  it('R-L3: a console method is refused to programs, and recorded under the program; no method at all is 404', async () => {
    const { core, key, server } = await setUp();
    const before = core.lastSeq();
    const headers = { authorization: basic(key), 'deputy-on-behalf-of': 'jdoe' };
    for (const method of ['directory.setPassword', 'flows.setImpersonation', 'keys.create']) {
      expect(await post(server, method, {}, headers)).toEqual({
        status: 403,
        body: {
          ok: false,
          error: { code: 'forbidden', message: `${method} needs a signed-in person; programs cannot call it.` },
        },
      });
    }
    expect(core.auditSince(before).map((r) => [r.username, r.action, r.outcome])).toEqual([
      ['jdoe (po-bot)', 'directory.setPassword', 'refused'],
      ['jdoe (po-bot)', 'flows.setImpersonation', 'refused'],
      ['jdoe (po-bot)', 'keys.create', 'refused'],
    ]);
    // Not a method: 404, before the key is checked, and nothing written.
    const seq = core.lastSeq();
    expect(await post(server, 'directory.drop', {}, headers)).toMatchObject({
      status: 404,
      body: { ok: false, error: { code: 'not_found', field: 'method' } },
    });
    expect(core.auditSince(seq)).toEqual([]);
  });
});

describe.skipIf(!inKeyring)(
  'R-K10: a program naming its own service account acts as it, with its own flow roles',
  () => {
    // In the demo po-bot is a viewer of Purchase Order, as a member, and no member of Purchase Request.
    it('reads the items of a flow it is a member of, and is refused what its role does not grant, naming R-K10', async () => {
      const { core, key, server } = await setUp();
      const itself = { authorization: basic(key), 'deputy-on-behalf-of': 'po-bot' };
      const before = core.lastSeq();
      const listed = await post(server, 'items.list', { flow: 'Purchase Order' }, itself);
      expect(listed).toMatchObject({ status: 200, body: { ok: true, value: { items: expect.any(Array) } } });

      const created = await post(
        server,
        'items.create',
        { flow: 'Purchase Order', title: 'By the bot itself' },
        itself,
      );
      expect(created).toMatchObject({ status: 403, body: { ok: false, error: { code: 'forbidden', rule: 'R-K10' } } });
      const elsewhere = await post(server, 'items.list', { flow: 'Purchase Request' }, itself);
      expect(elsewhere).toMatchObject({ status: 403, body: { ok: false, error: { rule: 'R-K10' } } });

      // Records under the account's own name: nobody else's rights were used (R-S8 has no user to name).
      const records = core.auditSince(before);
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(r).toMatchObject({
          operator: 'po-bot',
          effective_user: 'po-bot',
          impersonator: null,
          username: 'po-bot',
        });
      }
      expect(records.filter((r) => r.outcome === 'refused').map((r) => r.target)).toEqual([
        'flow:Purchase Order',
        'flow:Purchase Request',
      ]);
      expect(core.app.db.prepare(`SELECT count(*) FROM items WHERE title = 'By the bot itself'`).pluck().get()).toBe(0);
    });

    it('access.decide answers as the Access check does for the account with no user', async () => {
      const { core, key, server } = await setUp();
      const asked = { action: 'item.read', resource: 'flow:Purchase Order' } as const;
      const r = await post(server, 'access.decide', asked, {
        authorization: basic(key),
        'deputy-on-behalf-of': 'po-bot',
      });
      const expected = await core.must('admin', 'access.check', { actor: 'po-bot', ...asked });
      expect(expected).toMatchObject({ allowed: true, reasons: [expect.objectContaining({ rule: 'R-K10' })] });
      expect(r).toEqual({ status: 200, body: { ok: true, value: expected } });
    });
  },
);

describe.skipIf(!inKeyring)('R-K12: bad keys and bad requests get clear errors, and nothing is written', () => {
  it('wrong, disabled and deleted keys are refused alike (401, one message); the log says which', async () => {
    const { core, key, server } = await setUp();
    const other = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
    await core.must('ivan', 'keys.setEnabled', { keyId: other.id, enabled: false });
    const gone = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
    await core.must('ivan', 'keys.delete', { keyId: gone.id });
    const answers = [];
    for (const k of [{ id: key.id, secret: 'not-the-secret' }, other, gone]) {
      answers.push(
        await post(server, 'access.canI', { checks: [PO] }, { authorization: basic(k), 'deputy-on-behalf-of': 'jdoe' }),
      );
    }
    for (const a of answers) {
      expect(a).toEqual({
        status: 401,
        body: { ok: false, error: { code: 'unauthenticated', message: 'The access key was refused.' } },
      });
    }
    const checks = core.app.db
      .prepare(`SELECT message FROM audit_log WHERE action = 'accessKey.check' ORDER BY seq`)
      .pluck()
      .all() as string[];
    expect(checks.slice(-3)).toEqual([
      `Access key check refused for ${key.id}: invalid`,
      `Access key check refused for ${other.id}: disabled`,
      `Access key check refused for ${gone.id}: invalid`,
    ]);
  });

  it('a missing or malformed Authorization header or key id, no user to act for, bad JSON, a big body: each said, none written; past the key check, the schema’s refusal recorded', async () => {
    const { core, key, server } = await setUp();
    const before = core.lastSeq();
    const jdoe = { 'deputy-on-behalf-of': 'jdoe' };
    expect(await post(server, 'access.canI', { checks: [] }, jdoe)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated', message: expect.stringMatching(/Authorization: Basic/) } },
    });
    expect(await post(server, 'access.canI', { checks: [] }, { ...jdoe, authorization: 'Bearer abc' })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated', field: 'authorization' } },
    });
    expect(await post(server, 'access.canI', { checks: [] }, { authorization: basic(key) })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', field: 'deputy-on-behalf-of' } },
    });
    // Not shaped like a key id: refused as any bad key is, but not even checked, so nothing is recorded.
    expect(
      await post(
        server,
        'access.canI',
        { checks: [] },
        { ...jdoe, authorization: basic({ id: 'x'.repeat(500), secret: 's' }) },
      ),
    ).toEqual({
      status: 401,
      body: { ok: false, error: { code: 'unauthenticated', message: 'The access key was refused.' } },
    });
    const headers = { ...jdoe, authorization: basic(key) };
    expect(await post(server, 'access.canI', '{"checks": [', headers)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', message: 'The request body is not valid JSON.' } },
    });
    expect(await post(server, 'access.canI', 'x'.repeat(MAX_SERVICE_BODY + 1), headers)).toMatchObject({
      status: 413,
      body: { error: { code: 'invalid_input', message: expect.stringMatching(/larger than/) } },
    });
    expect(core.auditSince(before)).toEqual([]);
    // Refused by the method's schema once the key is checked: a refusal under the program's name (R-L3), no change.
    expect(await post(server, 'access.canI', { checks: [PO], extra: 1 }, headers)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', message: 'Unrecognized key: "extra"' } },
    });
    expect(core.auditSince(before)).toMatchObject([
      {
        action: 'access.canI',
        outcome: 'refused',
        username: 'jdoe (po-bot)',
        message: 'Refused access.canI: Unrecognized key: "extra"',
      },
    ]);
  });
});

describe.skipIf(!inKeyring)('issue 19: bad item requests over HTTP say what was wrong, and change nothing', () => {
  const items = (core: TestCore) => core.app.db.prepare('SELECT count(*) FROM items').pluck().get() as number;

  it('unknown user, flow, item or field, a wrong type, an item not the user’s: each named; no item changes', async () => {
    const { core, key, server } = await setUp();
    const as = (user: string) => ({ authorization: basic(key), 'deputy-on-behalf-of': user });
    const count = items(core);
    const cases: [string, string, unknown, number, object][] = [
      ['nobody', 'items.create', { flow: 'Purchase Order', title: 'Desk' }, 404, { field: 'onBehalfOf' }],
      ['jdoe', 'items.create', { flow: 'Nowhere', title: 'Desk' }, 404, { field: 'flow' }],
      ['jdoe', 'items.get', { id: 999_999 }, 404, { field: 'id' }],
      [
        'jdoe',
        'items.create',
        { flow: 'Purchase Order', title: 'Desk', fields: { Colour: 'red' } },
        400,
        { field: 'fields.Colour' },
      ],
      [
        'jdoe',
        'items.create',
        { flow: 'Purchase Order', title: 'Desk', fields: { Amount: 'ten' } },
        400,
        { field: 'fields.Amount' },
      ],
      // Item 4 is kchen's draft: jdoe may not touch it, nor may a program acting for jdoe (R-K6).
      ['jdoe', 'items.update', { id: 4, title: 'Mine now' }, 403, { code: 'forbidden' }],
    ];
    for (const [user, method, input, status, error] of cases) {
      const answer = await post(server, method, input, as(user));
      expect(answer, `${method} as ${user}`).toMatchObject({ status, body: { ok: false, error } });
    }
    expect(items(core)).toBe(count);
    expect((await core.must('admin', 'items.get', { id: 4 })).title).toBe('Monitor arm');
  });

  it('a request replayed after its key was disabled is refused and writes nothing but the refused check', async () => {
    const { core, key, server } = await setUp();
    const headers = { authorization: basic(key), 'deputy-on-behalf-of': 'jdoe' };
    const input = { flow: 'Purchase Order', title: 'Toner' };
    expect(await post(server, 'items.create', input, headers)).toMatchObject({ status: 200 });
    await core.must('ivan', 'keys.setEnabled', { keyId: key.id, enabled: false });
    const count = items(core);
    const before = core.lastSeq();
    expect(await post(server, 'items.create', input, headers)).toEqual({
      status: 401,
      body: { ok: false, error: { code: 'unauthenticated', message: 'The access key was refused.' } },
    });
    expect(items(core)).toBe(count);
    expect(core.auditSince(before)).toMatchObject<Partial<AuditRow>[]>([
      { action: 'accessKey.check', outcome: 'refused', message: `Access key check refused for ${key.id}: disabled` },
    ]);
  });

  it('a body of 10 MB is refused, naming the limit, and nothing is written', async () => {
    const { core, key, server } = await setUp();
    const before = core.lastSeq();
    const body = JSON.stringify({
      flow: 'Purchase Order',
      title: 'x',
      fields: { Supplier: 'y'.repeat(10 * 1024 * 1024) },
    });
    const answer = await post(server, 'items.create', body, {
      authorization: basic(key),
      'deputy-on-behalf-of': 'jdoe',
    });
    expect(answer).toMatchObject({
      status: 413,
      body: { error: { code: 'invalid_input', message: expect.stringMatching(/larger than/) } },
    });
    expect(core.auditSince(before)).toEqual([]);
  });
});

describe('the service API listens in clear only on loopback', () => {
  it('refuses any other address without TLS, saying what to do', async () => {
    expect(checkListenAddress('127.0.0.1', undefined)).toBeNull();
    expect(checkListenAddress('::1', undefined)).toBeNull();
    expect(checkListenAddress('0.0.0.0', undefined)).toMatch(/only over TLS: give --tls-cert and --tls-key/);
    expect(checkListenAddress('192.0.2.10', undefined)).toMatch(/only over TLS/);
    const core = await demoCore();
    await expect(startServiceApi({ callWith: core.callWith, host: '0.0.0.0' })).rejects.toThrow(/only over TLS/);
  });

  it('answers any HTTP method but POST with 405 and Allow: POST, before looking at a key', async () => {
    const core = await demoCore();
    const server = await serviceFor(core);
    const res = await fetch(`${server.url}access.canI`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Use POST.' } });
  });

  it.skipIf(!inKeyring)('serves HTTPS with the certificate and key it is given', async () => {
    const dir = tempDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    const { core, key } = await setUp();
    const server = await serviceFor(core, { cert, key: readFileSync(join(dir, 'key.pem')) });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\/$/);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${server.url}access.canI`,
        { method: 'POST', ca: cert, headers: { authorization: basic(key), 'deputy-on-behalf-of': 'jdoe' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ checks: [PO] }));
    });
    expect(JSON.parse(body)).toEqual({ ok: true, value: [true] });
  });
});
