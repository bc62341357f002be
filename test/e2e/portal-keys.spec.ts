// R-A5 in the console (issue 20, item 3): alice publishes a portal and sees its API key's secret once; the key
// authenticates through the real service API (HTTP from the test process, Authorization: Bearer <keyId>.<secret>);
// rotating, after the in-page warning about off-peak hours, makes the portal unavailable and the key refused until
// it is republished; the Web API authentication view lists the key throughout.
import { callApi, expect, openWithDemo, shot, test } from './fixtures';
import { ShellPage } from './pages/shell-page';

const PORTAL = 'R-A5 Portal';

async function decide(serviceUrl: string, keyId: string, secret: string) {
  const res = await fetch(`${serviceUrl}portals.decide`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${keyId}.${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ useCase: 'query_records', object: 'R-A5 Suppliers' }),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: { allowed: boolean } } };
}

test('R-A5: publish shows the secret once, the key works over the service API, rotation stops it until republished', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const viewer = [{ grantee: { type: 'user', name: 'po-bot' }, level: 'viewer' }];
  expect(
    await callApi(page, deputy, 'designObjects.create', {
      name: 'R-A5 Suppliers',
      kind: 'record_type',
      permissions: viewer,
    }),
  ).toMatchObject({ ok: true });
  expect(
    await callApi(page, deputy, 'portals.create', {
      name: PORTAL,
      serviceAccount: 'po-bot',
      uses: [{ useCase: 'query_records', objects: ['R-A5 Suppliers'] }],
    }),
  ).toMatchObject({ ok: true });

  const shell = new ShellPage(page);
  await shell.open('Portals');
  const panel = shell.panel;
  const portal = panel.getByRole('region', { name: `Portal ${PORTAL}` });
  const keys = panel.getByRole('table', { name: 'API keys' });
  const row = keys.getByRole('row').filter({ hasText: PORTAL });
  await expect(row).toContainText('not published');

  await portal.getByRole('button', { name: 'Publish' }).click();
  const dialog = page.getByRole('dialog', { name: `API key of ${PORTAL}` });
  await expect(dialog).toContainText('only time the secret is shown');
  const secret = (await dialog.getByLabel('Secret').textContent())?.trim() ?? '';
  const keyId = /DPP[0-9A-F]{20}/.exec((await dialog.textContent()) ?? '')?.[0] ?? '';
  expect(secret.length).toBeGreaterThan(20);
  expect(keyId).not.toBe('');
  await shot(page, testInfo, 'portal-key-published');
  await dialog.getByRole('button', { name: 'I have stored it' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(row).toContainText(keyId);
  await expect(row).toContainText('published');

  const allowed = await decide(deputy.serviceUrl, keyId, secret);
  expect(allowed).toMatchObject({ status: 200, body: { ok: true, value: { allowed: true } } });

  await portal.getByRole('button', { name: 'Rotate API key' }).click();
  const confirm = portal.getByRole('alertdialog', { name: `Rotate the API key of ${PORTAL}` });
  await expect(confirm).toContainText('end users may encounter errors until the portal is republished');
  await expect(confirm).toContainText('off-peak hours');
  await shot(page, testInfo, 'portal-key-rotate-confirm');
  await confirm.getByRole('button', { name: 'Delete the key' }).click();
  await expect(portal).toContainText('unavailable until republished');
  await expect(row).toContainText('unavailable until republished');
  expect((await decide(deputy.serviceUrl, keyId, secret)).status).toBe(401);

  await portal.getByRole('button', { name: 'Republish' }).click();
  const again = page.getByRole('dialog', { name: `API key of ${PORTAL}` });
  const newSecret = (await again.getByLabel('Secret').textContent())?.trim() ?? '';
  const newKeyId = /DPP[0-9A-F]{20}/.exec((await again.textContent()) ?? '')?.[0] ?? '';
  await again.getByRole('button', { name: 'I have stored it' }).click();
  expect(newKeyId).not.toBe(keyId);
  expect((await decide(deputy.serviceUrl, newKeyId, newSecret)).status).toBe(200);
  expect((await decide(deputy.serviceUrl, keyId, secret)).status).toBe(401);
  await expect(row).toContainText(newKeyId);
});
