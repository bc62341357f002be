// Browser mode as an adapter: the same calls through HTTP give the same Results as the core directly.
import { request } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { DEMO_PASSWORD, demoCore, tempDir } from './helpers';

const RENDERER_SRC = join(import.meta.dirname, '..', '..', 'src', 'renderer');

const servers: WebServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve() {
  const core = await demoCore();
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Deputy</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tempDir(), 'secret.txt'), 'outside');
  const server = await startWebServer({ call: core.call, rendererDir });
  servers.push(server);
  const origin = `http://127.0.0.1:${server.port}`;
  const exchange = await fetch(server.url, { redirect: 'manual' });
  const cookie = exchange.headers.get('set-cookie')!.split(';')[0]!;
  const api = async (method: string, input: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}/api`, {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ method, input }),
    });
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as unknown) : await res.text() };
  };
  return { core, server, origin, cookie, exchange, api, rendererDir };
}

describe('browser mode adapter', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', async () => {
    const { server } = await serve();
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{43}$`));
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie', async () => {
    const { exchange } = await serve();
    expect(exchange.status).toBe(303);
    expect(exchange.headers.get('set-cookie')).toMatch(/^deputy_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
  });

  it('gives the same Results as the core: sign-in, a signed-in call, a refusal, bad input', async () => {
    const { api } = await serve();
    expect(await api('directory.list', {})).toEqual({
      status: 200,
      body: { ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } },
    });
    expect(await api('auth.signIn', { username: 'alice', password: DEMO_PASSWORD })).toMatchObject({
      status: 200,
      body: { ok: true, value: { username: 'alice' } },
    });
    const page = await api('directory.list', { kind: 'service' });
    expect(page.body).toMatchObject({ ok: true, value: { total: 3 } });
    expect(await api('directory.list', { kind: 'robot' })).toMatchObject({
      body: { ok: false, error: { code: 'invalid_input', field: 'kind' } },
    });
  });

  it('issue 21 #7: the launch token opens one session, once; the browser holding it may open the link again', async () => {
    const { api, server, cookie } = await serve();
    await api('auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    // Anyone else with the URL (a terminal's scrollback, a shell history) gets nothing.
    const again = await fetch(server.url, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toMatch(/^403 Forbidden: this link was used already/);
    // The browser that redeemed it reloads the link: back home, same session, still signed in.
    const reload = await fetch(server.url, { redirect: 'manual', headers: { cookie } });
    expect(reload.status).toBe(303);
    expect(reload.headers.get('set-cookie')).toBeNull();
    expect(await api('app.status', {})).toMatchObject({
      body: { ok: true, value: { operator: { username: 'alice' } } },
    });
  });

  it('refuses requests without the cookie, with a wrong cookie, a wrong Origin, or no Origin on the API', async () => {
    const { api } = await serve();
    expect((await api('app.status', {}, { cookie: '' })).status).toBe(403);
    expect((await api('app.status', {}, { cookie: 'deputy_session=forged' })).status).toBe(403);
    expect((await api('app.status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    const { origin, cookie } = await serve();
    const noOrigin = await fetch(`${origin}/api`, { method: 'POST', headers: { cookie }, body: '{}' });
    expect(noOrigin.status).toBe(403);
  });

  it('refuses a wrong Host (DNS rebinding)', async () => {
    const { server, cookie } = await serve();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example', cookie } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves the renderer with the CSP, and nothing outside its folder', async () => {
    const { origin, cookie } = await serve();
    const index = await fetch(`${origin}/`, { headers: { cookie } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${origin}/assets/app.js`, { headers: { cookie } })).headers.get('content-type')).toMatch(
      /^text\/javascript/,
    );
    expect((await fetch(`${origin}/..%2Fsecret.txt`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${origin}/%2e%2e/secret.txt`, { headers: { cookie } })).status).toBe(404);
  });

  it('serves the icon the page links to, so a browser asks for no favicon that is not there', async () => {
    // The page Vite builds names the icon in public/, which the build copies beside it.
    const page = readFileSync(join(RENDERER_SRC, 'index.html'), 'utf8');
    const href = /<link rel="icon" type="image\/svg\+xml" href="\.\/([^"]+)"/.exec(page)?.[1];
    expect(href).toBe('favicon.svg');
    const icon = readFileSync(join(RENDERER_SRC, 'public', href!), 'utf8');
    expect(icon).toMatch(/^<svg /);
    const { origin, cookie, rendererDir } = await serve();
    writeFileSync(join(rendererDir, href!), icon);
    const res = await fetch(`${origin}/${href}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toBe(icon);
  });

  it('answers malformed JSON with invalid_input, and writes nothing', async () => {
    const { origin, cookie, core } = await serve();
    const before = core.auditCount();
    const res = await fetch(`${origin}/api`, { method: 'POST', headers: { cookie, origin }, body: '{not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(core.auditCount()).toBe(before);
  });

  it('answers a body that is not an object, one too large, and a malformed path with what was wrong, never 500', async () => {
    const { origin, cookie, core } = await serve();
    const before = core.auditCount();
    const post = async (body: string) => {
      const res = await fetch(`${origin}/api`, { method: 'POST', headers: { cookie, origin }, body });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    for (const body of ['null', '[]', '42']) {
      expect(await post(body), body).toEqual({
        status: 400,
        body: {
          ok: false,
          error: { code: 'invalid_input', message: 'The request is a JSON object: { "method": …, "input": … }.' },
        },
      });
    }
    expect(await post(`{"method":"app.status","input":"${'x'.repeat(10 * 1024 * 1024)}"}`)).toEqual({
      status: 413,
      body: { ok: false, error: { code: 'invalid_input', message: 'The request is larger than 1048576 bytes.' } },
    });
    const path = await fetch(`${origin}/%E0%A4%A`, { headers: { cookie } });
    expect(path.status).toBe(400);
    expect(await path.text()).toMatch(/not valid percent-encoding/);
    expect(core.auditCount()).toBe(before);
  });
});
