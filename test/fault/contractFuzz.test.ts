// Contract fuzzing (issue 21, the fault suite): every contract method — iterated from the contract itself, so a new
// method is fuzzed without a change here — gets hostile inputs, called directly through core.call and through
// browser mode's HTTP transport, as a signed-in Super Admin. Each answer is a typed Result (never a throw, an HTTP
// 500 or an `internal` error, never an Exception Log record), and a refused call writes nothing but its refusal
// record (state.ts says which tables that is). Prototype pollution would show on Object.prototype.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { methodNames, type MethodName } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { DEMO_PASSWORD, demoCore, tempDir, type TestCore } from '../unit/helpers';
import { PROTOTYPE, RUNS, expectTyped, probeOnce, property, prototypeKeys } from './fuzz';
import { REFUSAL_RECORD_TABLES, REFUSAL_WRITES, digest } from './state';

const ADMIN = 'admin'; // demoCore signs alice (Super Admin) in on this connection

const fuzzed = { direct: new Set<string>(), http: new Set<string>(), calls: 0, accepted: 0 };
afterAll(() => {
  const methods = Math.min(fuzzed.direct.size, fuzzed.http.size);
  console.log(
    `methods fuzzed: ${methods} of ${methodNames.length}, inputs per method: ${RUNS} direct + ${RUNS} over HTTP ` +
      `(${fuzzed.calls} calls, ${fuzzed.accepted} accepted by the schema and the handler)`,
  );
});

/** Puts the admin back as the next input expects: signed in as alice, not impersonating. */
async function restore(core: TestCore, call: (m: MethodName, i: unknown) => Promise<Result<unknown>>) {
  const status = await call('app.status', {});
  if (!status.ok) throw new Error(`app.status failed: ${status.error.message}`);
  const value = status.value as { operator: unknown; impersonation: unknown };
  if (value.operator === null) {
    const r = await call('auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    if (!r.ok) throw new Error(`alice cannot sign in again: ${r.error.message}`);
  } else if (value.impersonation !== null) {
    await call('impersonation.end', {});
  }
  void core;
}

/** One input through `call`: typed answer, no Exception Log record, and no write unless the call was accepted. */
async function probe(
  core: TestCore,
  method: MethodName,
  input: unknown,
  call: (m: MethodName, i: unknown) => Promise<Result<unknown>>,
): Promise<void> {
  const except = [...REFUSAL_RECORD_TABLES, ...(REFUSAL_WRITES[method] ?? [])];
  const result = await probeOnce(core.app.db, method, input, except, call);
  fuzzed.calls += 1;
  if (result.ok) {
    fuzzed.accepted += 1;
    await restore(core, call);
  }
}

describe('contract fuzzing, directly through core.call', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = await demoCore(undefined, 'file');
  });

  it.each(methodNames)('%s', async (method) => {
    const call = (m: MethodName, i: unknown) => core.call(ADMIN, m, i);
    await property(method, { hugeString: 2_000_000, json: false }, (input) => probe(core, method, input, call));
    fuzzed.direct.add(method);
  });

  it('an unknown method name is invalid_input, whatever it looks like', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'app.status\u0000', null, 7]) {
      const r = await core.call(ADMIN, name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'method' } });
    }
  });
});

/** A browser-mode server on a demo core, its token traded for a cookie, alice signed in over HTTP. */
async function browserMode() {
  const core = await demoCore(undefined, 'file');
  const rendererDir = tempDir('file');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Deputy</title>');
  const server = await startWebServer({ call: core.call, rendererDir });
  const origin = `http://127.0.0.1:${server.port}`;
  const exchange = await fetch(server.url, { redirect: 'manual' });
  const cookie = exchange.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('the token was not traded for a cookie');
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}/api`, {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  const call = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    const { status, text } = await post(JSON.stringify({ method, input }));
    expect(status, `${method}: HTTP ${status} ${text.slice(0, 200)}`).toBe(200);
    return JSON.parse(text) as Result<unknown>;
  };
  const signedIn = await call('auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  return { core, server, origin, cookie, post, call };
}

describe('contract fuzzing, through browser mode (POST /api)', () => {
  let web: Awaited<ReturnType<typeof browserMode>>;
  const servers: WebServer[] = [];
  beforeAll(async () => {
    web = await browserMode();
    servers.push(web.server);
  });
  afterAll(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  // Bodies over browser mode's 1 MiB limit are answered 413 before any call; the test below sends one.
  const fits = (input: unknown) => Buffer.byteLength(JSON.stringify({ method: 'x', input }) ?? '') < 1 << 19;
  it.each(methodNames)('%s', async (method) => {
    const run = (input: unknown) => probe(web.core, method, input, web.call);
    await property(method, { hugeString: 100_000, json: true }, run, fits);
    fuzzed.http.add(method);
  });

  it('bodies that are not a call: typed errors with 400 or 413, never 500, and nothing written', async () => {
    const before = digest(web.core.app.db, REFUSAL_RECORD_TABLES);
    const bodies: [string, number][] = [
      ['null', 400],
      ['[]', 400],
      ['"app.status"', 400],
      ['7', 400],
      ['{', 400],
      ['', 400],
      ['{"method":"__proto__","input":{}}', 200],
      ['{"__proto__":{"method":"app.status"}}', 200],
      ['{"method":"groups.create","input":{"__proto__":{"name":"Pwned"}}}', 200],
      [`{"method":"app.status","input":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 200],
      [JSON.stringify({ method: 'groups.create', input: { name: 'x'.repeat(1 << 20) } }), 413],
    ];
    for (const [body, status] of bodies) {
      const res = await web.post(body);
      expect(res.status, body.slice(0, 80)).toBe(status);
      const answer = JSON.parse(res.text) as Result<unknown>;
      expect(answer, body.slice(0, 80)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expectTyped(body.slice(0, 80), answer);
    }
    expect(prototypeKeys()).toEqual(PROTOTYPE);
    // Found by this suite: a too-large body sometimes answered with a connection reset instead of the 413, and the
    // browser's next call on the same connection failed too. Each must get its answer.
    const tooLarge = JSON.stringify({ method: 'app.status', input: { x: 'y'.repeat(1_500_000) } });
    for (let i = 0; i < 6; i++) {
      expect((await web.post(tooLarge)).status).toBe(413);
      expect((await web.post(JSON.stringify({ method: 'app.status', input: {} }))).status).toBe(200);
    }
    expect(digest(web.core.app.db, REFUSAL_RECORD_TABLES)).toEqual(before);
  });

  it('callers without a session, with another console’s cookie, or from a forged Origin or Host get 403', async () => {
    const other = await browserMode(); // a second console, its own token and cookie
    servers.push(other.server);
    const before = digest(web.core.app.db);
    const body = JSON.stringify({ method: 'groups.create', input: { name: 'Intruders' } });
    const attempts: [string, Record<string, string>][] = [
      ['no cookie', { cookie: '' }],
      ['a made-up cookie', { cookie: 'deputy_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
      ['another console’s cookie', { cookie: other.cookie }],
      ['the cookie under another name', { cookie: web.cookie.replace('deputy_session', 'session') }],
      ['a forged Origin', { origin: 'http://evil.example' }],
      ['another port’s Origin', { origin: other.origin }],
      ['a null Origin', { origin: 'null' }],
      ['no Origin', { origin: '' }],
    ];
    for (const [why, headers] of attempts) {
      const res = await fetch(`${web.origin}/api`, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries({
            cookie: web.cookie,
            origin: web.origin,
            'content-type': 'application/json',
            ...headers,
          }).filter(([, v]) => v !== ''),
        ),
        body,
      });
      expect(res.status, why).toBe(403);
    }
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http')
        .then(({ request }) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: web.server.port,
              path: '/api',
              method: 'POST',
              headers: { host: `evil.example:${web.server.port}`, cookie: web.cookie, origin: web.origin },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end(body);
        })
        .catch(reject);
    });
    expect(rebound).toBe(403);
    expect(digest(web.core.app.db)).toEqual(before); // not even a refusal record: no one to attribute it to
    expect((await web.call('groups.list', {})) as Result<{ name: string }[]>).toMatchObject({ ok: true });
  });
});
