import { request as httpRequest } from 'node:http';
import { expect, shot, test } from './fixtures';

const FORBIDDEN = '403 Forbidden: ';
const STATUS_CALL = { method: 'app.status', input: {} };

/** A raw GET with a chosen Host header: fetch and Playwright both derive Host from the URL. */
function getWithHost(origin: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: '/', method: 'GET', headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test.describe('browser-mode access checks', () => {
  test('a wrong token is refused', async ({ request, console: deputy }) => {
    const res = await request.get(`${deputy.origin}/?token=wrong`, { maxRedirects: 0 });
    expect(res.status()).toBe(403);
    expect(await res.text()).toMatch(/^403 Forbidden: wrong token/);
    expect(res.headers()['set-cookie']).toBeUndefined();
  });

  test('the wrong-token page in a browser', async ({ page, console: deputy }, testInfo) => {
    const res = await page.goto(`${deputy.origin}/?token=wrong`);
    expect(res?.status()).toBe(403);
    await expect(page.locator('body')).toContainText(`${FORBIDDEN}wrong token`);
    expect(await page.context().cookies(deputy.origin)).toEqual([]);
    await shot(page, testInfo, 'wrong-token');
  });

  test('the page and the API need the session cookie', async ({ request, console: deputy }) => {
    const page = await request.get(`${deputy.origin}/`);
    expect(page.status()).toBe(403);
    expect(await page.text()).toMatch(/^403 Forbidden: no valid session cookie/);

    const api = await request.post(`${deputy.origin}/api`, {
      headers: { Origin: deputy.origin },
      data: STATUS_CALL,
    });
    expect(api.status()).toBe(403);
    expect(await api.text()).toMatch(/^403 Forbidden: no valid session cookie/);

    const forged = await request.post(`${deputy.origin}/api`, {
      headers: { Origin: deputy.origin, Cookie: 'deputy_session=made-up' },
      data: STATUS_CALL,
    });
    expect(forged.status()).toBe(403);
  });

  test('a valid cookie with a wrong Origin is refused', async ({ page, console: deputy }) => {
    await page.goto(deputy.url);
    expect(new URL(page.url()).pathname).toBe('/');
    const cookies = await page.context().cookies(deputy.origin);
    expect(cookies).toHaveLength(1);

    // page.request shares the browser context's cookies: the right Origin works…
    const ok = await page.request.post(`${deputy.origin}/api`, {
      headers: { Origin: deputy.origin },
      data: STATUS_CALL,
    });
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { needsSetup: true } });

    // …and the same cookie from another origin does not.
    const evil = await page.request.post(`${deputy.origin}/api`, {
      headers: { Origin: 'http://evil.example' },
      data: STATUS_CALL,
    });
    expect(evil.status()).toBe(403);
    expect(await evil.text()).toMatch(/^403 Forbidden: wrong Origin/);
  });

  test('a wrong Host header is refused', async ({ console: deputy }) => {
    const { host, port } = new URL(deputy.origin);
    const evil = await getWithHost(deputy.origin, `evil.example:${port}`);
    expect(evil.status).toBe(403);
    expect(evil.body).toMatch(/^403 Forbidden: wrong Host/);

    // Control: the same request with the real Host gets past the Host check (and stops at the cookie).
    const control = await getWithHost(deputy.origin, host);
    expect(control.status).toBe(403);
    expect(control.body).toMatch(/^403 Forbidden: no valid session cookie/);
  });

  test('the token URL sets an HttpOnly, SameSite=Strict cookie and redirects to /', async ({
    request,
    console: deputy,
  }) => {
    const res = await request.get(deputy.url, { maxRedirects: 0 });
    expect(res.status()).toBe(303);
    expect(res.headers()['location']).toBe('/');
    const setCookie = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie');
    expect(setCookie).toHaveLength(1);
    const attributes = setCookie[0]!.value.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^deputy_session=[\w-]{16,}$/);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
  });

  test('the browser stores the cookie as HttpOnly and Strict', async ({ page, console: deputy }) => {
    await page.goto(deputy.url);
    const [cookie] = await page.context().cookies(deputy.origin);
    expect(cookie).toMatchObject({ name: 'deputy_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    // HttpOnly: the page's scripts cannot read it.
    const visibleToScripts = await page.evaluate(
      () => (globalThis as unknown as { document: { cookie: string } }).document.cookie,
    );
    expect(visibleToScripts).toBe('');
  });

  test('responses carry a strict Content-Security-Policy', async ({ page, console: deputy }) => {
    const shell = await page.goto(deputy.url);
    expect(shell?.status()).toBe(200);
    const csp = (await shell?.allHeaders())?.['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    const refused = await page.request.get(`${deputy.origin}/?token=wrong`, { maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    expect(refused.headers()['content-security-policy']).toContain("script-src 'self'");
  });
});
