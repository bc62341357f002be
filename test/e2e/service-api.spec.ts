// A program drives the service API from outside the browser (issue 19, item 5): a real HTTP client (Node's fetch)
// presents a real access key — created in the console, its secret read once from the dialog and kept only in the
// OS keychain — acting for jdoe (R-K5, R-K6). What it does is jdoe's and is recorded as `jdoe (po-bot)` (R-S8);
// what jdoe may not do is refused, naming its rule, and recorded (R-L3); a wrong secret learns nothing (R-K12).
import { expect, openWithDemo, shot, test } from './fixtures';
import { AuditLogPage } from './pages/impersonation-page';
import { ServiceAccountsPage } from './pages/service-accounts-page';
import { ShellPage } from './pages/shell-page';

interface Answer {
  status: number;
  body: {
    ok: boolean;
    value?: { id: number; createdBy: string; state: string };
    error?: { message: string; rule?: string };
  };
}

/** POST /v1/<method> as a program would: Basic keyId:secret, the user it acts for in deputy-on-behalf-of. */
async function act(
  serviceUrl: string,
  key: { keyId: string; secret: string },
  user: string,
  method: string,
  input: object,
): Promise<Answer> {
  const res = await fetch(`${serviceUrl}${method}`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${key.keyId}:${key.secret}`).toString('base64')}`,
      'deputy-on-behalf-of': user,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

test('R-K5, R-S8, R-L3: a program with po-bot’s key acts for jdoe over HTTP; the console shows what it did', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const accounts = new ServiceAccountsPage(page);
  await accounts.open();
  const card = await accounts.select('po-bot');
  const dialog = await card.createKey();
  const key = { keyId: await dialog.keyId(), secret: await dialog.readSecret() };
  await dialog.store();

  const created = await act(deputy.serviceUrl, key, 'jdoe', 'items.create', {
    flow: 'Purchase Order',
    title: 'Toner cartridges',
    fields: { Amount: 80 },
  });
  expect(created.status).toBe(200);
  expect(created.body.value).toMatchObject({ createdBy: 'jdoe', state: 'draft' });
  const id = created.body.value?.id ?? 0;

  // jdoe initiates Purchase Orders but may not complete them: neither may a program acting for jdoe (R-K6).
  const refused = await act(deputy.serviceUrl, key, 'jdoe', 'items.complete', { id });
  expect(refused.status).toBe(403);
  // The rule that refused comes apart from the sentence, for the caller's "why" (issue 23).
  expect(refused.body.error?.rule).toMatch(/^R-K\d+$/);
  expect(refused.body.error?.message).toMatch(/does not grant item\.complete/);

  // A wrong secret: refused, without saying whether the key exists (R-K12).
  const wrong = await act(deputy.serviceUrl, { ...key, secret: `${key.secret}x` }, 'jdoe', 'items.get', { id });
  expect(wrong.status).toBe(401);
  expect(JSON.stringify(wrong.body)).not.toContain(key.keyId);

  await new ShellPage(page).open('Audit log');
  const log = new AuditLogPage(page);
  const made = log.record(
    `Item ${id} Toner cartridges created in Purchase Order: title — → Toner cartridges; state — → draft; Amount — → 80`,
  );
  await expect(made).toHaveCount(1);
  await expect(log.cell(made, 'Username')).toHaveText('jdoe (po-bot)');
  const refusal = log.record(/^Refused item\.complete on flow:Purchase Order \(item \d+\)/);
  await expect(refusal).toHaveCount(1);
  await expect(log.cell(refusal, 'Username')).toHaveText('jdoe (po-bot)');
  await shot(page, testInfo, 'service-api-audit');

  // The key's last use moved: the console says when a program last used it.
  await accounts.open();
  const again = await accounts.select('po-bot');
  await expect(again.keyRow(key.keyId)).not.toContainText('never');
});
