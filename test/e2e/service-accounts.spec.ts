import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callApi, expect, openWithDemo, PROJECT_ROOT, shot, signInAs, test, type DeputyConsole } from './fixtures';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { ShellPage } from './pages/shell-page';
import {
  AuditLogView,
  ServiceAccountsPage,
  type NewKeyDialog,
  type ServiceAccountDetailCard,
} from './pages/service-accounts-page';
import type { Page } from '@playwright/test';

const CLI = join(PROJECT_ROOT, 'out/main/cli.js');
const DAY_MS = 86_400_000;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end, with `input` (if any) on its standard input; it inherits the run's keychain
 * session (scripts/with-keyring).
 */
function run(command: string, args: string[], input?: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) {
      // A command that exits without reading its input must not fail the test with EPIPE.
      child.stdin?.once('error', () => undefined);
      child.stdin?.end(input);
    }
  });
}

/** `deputy auth check --key-id ID --db PATH`, the secret on standard input. */
function authCheck(deputy: DeputyConsole, keyId: string, secret: string): Promise<Ran> {
  return run(process.execPath, [CLI, 'auth', 'check', '--key-id', keyId, '--db', deputy.dbPath], secret);
}

/** The sqlite3 CLI on the test's database, next to the running server (which keeps it in WAL mode). */
async function sqlite(deputy: DeputyConsole, ...commands: string[]): Promise<string> {
  const ran = await run('sqlite3', ['-cmd', '.timeout 5000', deputy.dbPath, ...commands]);
  expect(ran.stderr).toBe('');
  expect(ran.code).toBe(0);
  return ran.stdout;
}

/** `secret-tool lookup` for an access key's keychain entry: the service is `deputy/<install_id>`. */
async function keychainLookup(deputy: DeputyConsole, keyId: string): Promise<Ran> {
  const installId = (await sqlite(deputy, `SELECT value FROM settings WHERE key = 'install_id'`)).trim();
  expect(installId).toMatch(/^[0-9a-f-]{36}$/);
  return run('secret-tool', ['lookup', 'service', `deputy/${installId}`, 'account', `access-key:${keyId}`]);
}

/** R-K12: the secret is in no table (full dump) and in neither the database file nor its WAL, byte for byte. */
async function expectSecretNotInDatabase(deputy: DeputyConsole, secret: string): Promise<void> {
  expect(await sqlite(deputy, '.dump')).not.toContain(secret);
  for (const file of [deputy.dbPath, `${deputy.dbPath}-wal`]) {
    if (existsSync(file)) expect((await readFile(file)).includes(secret), `${file} holds the secret`).toBe(false);
  }
}

/** The UTC day (YYYY-MM-DD) `days` from `at`, as the console shows dates. */
const dayAfter = (at: number, days: number) => new Date(at + days * DAY_MS).toISOString().slice(0, 10);

/** A day that must be one of `days` (a test may straddle midnight UTC). */
const oneOf = (days: string[]) => new RegExp(`^(${[...new Set(days)].join('|')})$`);

/** The result of the page's next call of an API method (start waiting before the action that calls it). */
async function apiCall(page: Page, method: string): Promise<unknown> {
  const response = await page.waitForResponse((res) => {
    const body: unknown = res.request().postDataJSON();
    return res.url().endsWith('/api') && typeof body === 'object' && body !== null && 'method' in body
      ? body.method === method
      : false;
  });
  return response.json();
}

/** What these tests use of the page's globals (this project's Node typings have no DOM). */
interface PageGlobals {
  requestAnimationFrame(callback: () => void): number;
  navigator: { clipboard: { readText(): Promise<string> } };
}

/** Lets the page handle what it has received and render: two animation frames. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return new Promise<void>((resolve) => g.requestAnimationFrame(() => g.requestAnimationFrame(() => resolve())));
  });
}

async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
}

/** Opens the Service accounts tab and creates ci-bot ("CI Bot") through the form. */
async function createCiBot(page: Page): Promise<{ accounts: ServiceAccountsPage; card: ServiceAccountDetailCard }> {
  const accounts = new ServiceAccountsPage(page);
  await accounts.open();
  const card = await accounts.create('ci-bot', 'CI Bot');
  await expect(accounts.error).toHaveCount(0);
  return { accounts, card };
}

/** Creates a key with the default expiry, reads it from the dialog and stores it. */
async function createStoredKey(card: ServiceAccountDetailCard): Promise<{ keyId: string; secret: string }> {
  const dialog: NewKeyDialog = await card.createKey();
  const keyId = await dialog.keyId();
  const secret = await dialog.readSecret();
  await dialog.store();
  await expect(card.keyRow(keyId)).toBeVisible();
  return { keyId, secret };
}

test.describe('Service accounts', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
  });

  test('R-K1/R-A1: a Super Admin creates ci-bot, which joins the Service Account group; a User Admin is refused', async ({
    page,
    console: deputy,
  }) => {
    const accounts = new ServiceAccountsPage(page);
    await accounts.open();
    await expect(accounts.rows).toHaveCount(3); // the demo's po-bot, hr-sync and supplier-portal
    await expect(accounts.row('po-bot')).toBeVisible();
    await expect(accounts.row('hr-sync')).toBeVisible();

    const card = await accounts.create('ci-bot', 'CI Bot');
    await expect(accounts.error).toHaveCount(0);
    await expect(accounts.rows).toHaveCount(4);
    await expect(accounts.nameButton('ci-bot')).toHaveText('CI Bot (ci-bot)');
    await expect(accounts.badge('ci-bot', 'service account')).toBeVisible();
    await expect(accounts.badge('ci-bot', 'active')).toBeVisible();
    await expect(accounts.badge('ci-bot', 'dormant')).toHaveCount(0);
    await expect(accounts.keyCount('ci-bot')).toHaveText('0');
    await expect(card.noKeys).toBeVisible();
    // The form is cleared for the next one.
    await expect(accounts.newUsername).toHaveValue('');
    await expect(accounts.newDisplayName).toHaveValue('');

    // R-A1: the system group Service Account holds it, with the demo's three.
    await new ShellPage(page).open('Directory');
    const group = page
      .getByRole('region', { name: 'Groups', exact: true })
      .getByRole('group', { name: 'Group Service Account', exact: true });
    for (const member of ['ci-bot', 'hr-sync', 'po-bot', 'supplier-portal']) {
      await expect(group.getByText(member, { exact: true })).toBeVisible();
    }

    // R-K1: a User Admin sees the accounts but gets no create form, and the server refuses the call.
    await signInAs(page, 'ursula');
    await accounts.open();
    await expect(accounts.rows).toHaveCount(4);
    await expect(accounts.row('ci-bot')).toBeVisible();
    await expect(accounts.newUsername).toHaveCount(0);
    await expect(accounts.newDisplayName).toHaveCount(0);
    await expect(accounts.createButton).toHaveCount(0);
    const readOnly = await accounts.select('ci-bot');
    await expect(readOnly.createKeyButton).toHaveCount(0);
    await expect(readOnly.deleteButton).toHaveCount(0);

    const result = await callApi(page, deputy, 'serviceAccounts.create', {
      username: 'ursula-bot',
      displayName: 'Ursula Bot',
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', rule: 'R-K1' },
    });
    // Nothing was created, and the refusal is in the audit log.
    await page.reload();
    await accounts.open();
    await expect(accounts.rows).toHaveCount(4);
    await expect(accounts.row('ursula-bot')).toHaveCount(0);
    const audited = await sqlite(
      deputy,
      `SELECT operator || ' ' || outcome || ' ' || target FROM audit_log WHERE action = 'serviceAccount.create' ORDER BY seq`,
    );
    expect(audited.trim().split('\n')).toEqual(['alice ok ci-bot', 'ursula refused account']);
  });

  test('R-K12: an access key shows its secret once, keeps it only in the keychain, and authenticates', async ({
    page,
    console: deputy,
  }, testInfo) => {
    const { accounts, card } = await createCiBot(page);
    await expect(card.expiryDays).toHaveValue('90');

    const before = Date.now();
    const dialog = await card.createKey();
    const after = Date.now();
    const keyId = await dialog.keyId();
    const secret = await dialog.readSecret();
    expect(keyId).toMatch(/^DPK[0-9A-F]{20}$/);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const in90Days = oneOf([dayAfter(before, 90), dayAfter(after, 90)]);
    expect(await dialog.expires()).toMatch(in90Days);
    await expect(dialog.secret).toHaveText(secret);
    await expect(dialog.copyButton).toHaveText('Copy secret');
    await shot(page, testInfo, 'service-account-key');

    await dialog.store();
    // Shown once: gone from the page, and not brought back by the list.
    await expect(dialog.secret).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    await expect(card.keyRows).toHaveCount(1);
    await expect(card.keyState(keyId)).toHaveText('active');
    await expect(card.keyExpires(keyId)).toHaveText(in90Days);
    await expect(accounts.keyCount('ci-bot')).toHaveText('1');
    expect(await page.content()).not.toContain(secret);

    // The CLI authenticates with it, in the same keychain session as the server.
    const valid = await authCheck(deputy, keyId, secret);
    expect(valid.stdout.trim(), valid.stderr).toBe('valid');
    expect(valid.code).toBe(0);
    const wrongSecret = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const invalid = await authCheck(deputy, keyId, wrongSecret);
    expect(invalid.stdout.trim(), invalid.stderr).toBe('invalid');
    expect(invalid.code).toBe(1);

    // The secret is in the OS keychain under this install's service…
    const stored = await keychainLookup(deputy, keyId);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stdout.trim()).toBe(secret);

    // …and never in SQLite: the key's row and its audit records are there, the secret is not.
    const keysDump = await sqlite(deputy, '.dump access_keys');
    expect(keysDump).toContain(keyId);
    expect(keysDump).not.toContain(secret);
    const auditDump = await sqlite(deputy, '.dump audit_log');
    expect(auditDump).toContain(`Created access key ${keyId} for ci-bot`);
    expect(auditDump).toContain(`Access key check refused for ${keyId}: invalid`);
    expect(auditDump).not.toContain(secret);
    await expectSecretNotInDatabase(deputy, secret);
  });

  test('R-K12: Copy secret puts the secret on the clipboard', async ({ page, context, console: deputy }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: deputy.origin });
    const { card } = await createCiBot(page);
    const dialog = await card.createKey();
    const secret = await dialog.readSecret();

    await expect(dialog.copyButton).toHaveText('Copy secret');
    await dialog.copyButton.click();
    await expect(dialog.copyButton).toHaveText('Copied — clears in 60 s');
    expect(await readClipboard(page)).toBe(secret);

    // Closing the dialog takes back what it put on the clipboard.
    await dialog.store();
    await expect.poll(() => readClipboard(page)).toBe('');
  });

  test('R-K12: a stray Escape does not lose the secret: closing asks first, and only Close anyway closes', async ({
    page,
  }) => {
    const { card } = await createCiBot(page);
    const dialog = await card.createKey();
    const secret = await dialog.readSecret();

    await page.keyboard.press('Escape');
    const confirm = new ConfirmDialogPage(page, 'Close without the secret?');
    await expect(confirm.root).toContainText('The secret will not be shown again. Close anyway?');
    // The safe answer has the focus, and Escape on the question is that answer too.
    await expect(confirm.cancelButton).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm.root).toHaveCount(0);
    await expect(dialog.secret).toHaveText(secret);
    // Back where the keyboard was in the key's dialog.
    await expect(dialog.copyButton).toBeFocused();

    await page.keyboard.press('Escape');
    await confirm.cancel();
    await expect(dialog.secret).toHaveText(secret);

    await page.keyboard.press('Escape');
    await confirm.confirm('Close anyway');
    await expect(dialog.dialog).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    await expect(card.createKeyButton).toBeFocused();
    await expect(card.keyRows).toHaveCount(1);
  });

  test('R-K12: rotating a key: new key, disable the old one, delete it; each step audited', async ({
    page,
    console: deputy,
  }, testInfo) => {
    const { card } = await createCiBot(page);
    const old = await createStoredKey(card);

    const rotation = await card.rotate(old.keyId);
    const newKeyId = await rotation.keyId();
    const newSecret = await rotation.readSecret();
    expect(newKeyId).not.toBe(old.keyId);
    expect(newSecret).not.toBe(old.secret);
    await rotation.store();

    await expect(card.rotationNotice).toContainText(`Rotation: new key ${newKeyId} created.`);
    await expect(card.keyRows).toHaveCount(2);
    await expect(card.keyState(old.keyId)).toHaveText('active');
    await expect(card.keyState(newKeyId)).toHaveText('active');

    await card.disableOldKey.click();
    await expect(card.keyState(old.keyId)).toHaveText('disabled');
    await expect(card.keyState(newKeyId)).toHaveText('active');
    await expect(card.error).toHaveCount(0);
    await shot(page, testInfo, 'key-rotation');

    const disabled = await authCheck(deputy, old.keyId, old.secret);
    expect(disabled.stdout.trim(), disabled.stderr).toBe('disabled');
    expect(disabled.code).toBe(1);
    const fresh = await authCheck(deputy, newKeyId, newSecret);
    expect(fresh.stdout.trim(), fresh.stderr).toBe('valid');
    expect(fresh.code).toBe(0);

    // Deleting a key cannot be undone: the dialog says so and names the key; Cancel keeps it, Delete key deletes.
    const deleteOld = new ConfirmDialogPage(page, `Delete access key ${old.keyId}?`);
    await card.deleteOldKey.click();
    await expect(deleteOld.root).toContainText(
      `Its secret is removed from the OS keychain and cannot be recovered: every program that signs in with ${old.keyId} stops working.`,
    );
    await deleteOld.cancel();
    await expect(card.keyState(old.keyId)).toHaveText('disabled');
    expect((await keychainLookup(deputy, old.keyId)).stdout.trim()).toBe(old.secret);
    await card.deleteOldKey.click();
    await deleteOld.confirm('Delete key');
    await expect(card.keyRow(old.keyId)).toHaveCount(0);
    await expect(card.keyRows).toHaveCount(1);
    await expect(card.keyState(newKeyId)).toHaveText('active');
    await expect(card.rotationNotice).toHaveCount(0);
    await expect(card.error).toHaveCount(0);

    // The deleted key fails authentication and has left the keychain; the new one is still there.
    const deleted = await authCheck(deputy, old.keyId, old.secret);
    expect(deleted.stdout.trim(), deleted.stderr).toBe('invalid');
    expect(deleted.code).toBe(1);
    expect((await keychainLookup(deputy, old.keyId)).stdout).toBe('');
    expect((await keychainLookup(deputy, newKeyId)).stdout.trim()).toBe(newSecret);

    const audit = new AuditLogView(page);
    await audit.open();
    await audit.filter('accessKey.create');
    await expect(audit.rows).toHaveCount(2);
    await expect(audit.messages.filter({ hasText: `Created access key ${old.keyId} for ci-bot` })).toHaveCount(1);
    await expect(audit.messages.filter({ hasText: `Created access key ${newKeyId} for ci-bot` })).toHaveCount(1);
    await audit.filter('accessKey.disable');
    await expect(audit.messages).toHaveText([`Access key ${old.keyId} of ci-bot disabled`]);
    await audit.filter('accessKey.delete');
    await expect(audit.messages).toHaveText([`Deleted access key ${old.keyId} of ci-bot`]);
    await expect(audit.logs).toHaveText(['record deletion']);

    await expectSecretNotInDatabase(deputy, old.secret);
    await expectSecretNotInDatabase(deputy, newSecret);
  });

  test('R-K13: a dormant po-bot loses all its impersonation access in one action, alice its Flow Admin for it (R-K4)', async ({
    page,
    console: deputy,
  }, testInfo) => {
    const accounts = new ServiceAccountsPage(page);
    await accounts.open();
    await expect(accounts.row('po-bot')).toBeVisible();
    await expect(accounts.badge('po-bot', 'dormant')).toHaveCount(0);

    // Unused since 2020, written while the server runs: created then, no key ever used, and the demo's integration
    // run through it (its one use, when the demo loaded) moved back there too. Dormancy counts from the last use.
    const changed = await sqlite(
      deputy,
      `UPDATE principals SET created_at = '2020-01-01T00:00:00.000Z' WHERE username = 'po-bot'; SELECT changes();
       UPDATE integrations SET last_run_at = '2020-01-01T00:00:00.000Z' WHERE service_account = 'po-bot';
       SELECT changes();`,
    );
    expect(changed.trim().split('\n')).toEqual(['1', '1']);
    await page.reload();
    await accounts.open();
    await expect(accounts.badge('po-bot', 'dormant')).toBeVisible();
    await expect(accounts.badge('hr-sync', 'dormant')).toHaveCount(0);

    // R-K10/R-K11: its grants, its impersonation flows, and apart from them its own membership.
    let card = await accounts.select('po-bot');
    await expect(card.sharedResources).toHaveText('Shared resources: global_my_items');
    await expect(card.impersonationFlowBadges).toHaveText([
      /^Purchase Order \(process\)/,
      /^Purchase Request \(process\)/,
    ]);
    await expect(card.memberships).toHaveText([/^Purchase Order \(process\): viewer\b/]);

    // R-K4: alice is not a Flow Admin of Purchase Order, so that flow's own × is not offered; Purchase Request's is,
    // she is its Flow Admin. "Remove all" is: a Super Admin may make herself Flow Admin first, which it does for her
    // and takes back after.
    await expect(card.revokeFlowButton('Purchase Request')).toBeVisible();
    await expect(card.revokeFlowButton('Purchase Order')).toHaveCount(0);
    await expect(card.removeAllButton).toBeVisible();

    // Main decides at the click, not the card: alice stops being a Super Admin behind the card's back (an IAM Admin
    // may not make herself Flow Admin), so the control it still shows is refused, nothing is removed, and she is told
    // why.
    const aliceRole = (from: string, to: string) =>
      sqlite(
        deputy,
        `UPDATE principal_roles SET role = '${to}' WHERE role = '${from}'
         AND principal_id = (SELECT id FROM principals WHERE username = 'alice')`,
      );
    await aliceRole('super_admin', 'iam_admin');
    const refused = apiCall(page, 'serviceAccounts.removeAllImpersonation');
    // After any change the card reloads its keys and resources; the note must outlive that reload.
    const reloaded = Promise.all([apiCall(page, 'keys.list'), apiCall(page, 'serviceAccounts.associated')]);
    await card.removeAllButton.click();
    await new ConfirmDialogPage(page, 'Remove all impersonation access of po-bot?').confirm('Remove all');
    expect(await refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', rule: 'R-K4' },
    });
    await reloaded;
    await settled(page);
    await expect(card.error).toContainText('only a Flow Admin of Purchase Order grants its impersonation access');
    // The rule that decided is the "why", not part of the sentence.
    await expect(card.error).not.toContainText('R-K4');
    await expect(card.region.locator('details.why')).toContainText('R-K4');
    await expect(card.sharedResources).toHaveText('Shared resources: global_my_items');
    await expect(card.impersonationFlowBadges).toHaveText([
      /^Purchase Order \(process\)/,
      /^Purchase Request \(process\)/,
    ]);
    // The reload asked main again: what it would refuse is no longer offered.
    await expect(card.removeAllButton).toHaveCount(0);
    await shot(page, testInfo, 'dormant');
    await aliceRole('iam_admin', 'super_admin');

    await page.reload();
    await accounts.open();
    card = await accounts.select('po-bot');
    await expect(card.removeAllButton).toBeVisible();
    // The confirmation lists every grant that goes; Cancel removes nothing.
    const removeAll = new ConfirmDialogPage(page, 'Remove all impersonation access of po-bot?');
    await card.removeAllButton.click();
    await expect(removeAll.root.getByRole('listitem')).toHaveText([
      'shared resource global_my_items',
      'impersonation access to flow Purchase Order',
      'impersonation access to flow Purchase Request',
    ]);
    await expect(removeAll.root).toContainText('Its own flow memberships stay.');
    await expect(removeAll.root).toContainText(
      'You are not Flow Admin of Purchase Order: as a Super Admin you are added as its Flow Admin for this change and taken off again after',
    );
    await removeAll.cancel();
    await expect(card.removeAllButton).toBeFocused();
    await expect(card.sharedResources).toHaveText('Shared resources: global_my_items');
    await expect(card.impersonationFlowBadges).toHaveCount(2);
    await card.removeAllButton.click();
    await removeAll.confirm('Remove all');
    await expect(card.sharedResources).toHaveText('Shared resources: none');
    await expect(card.impersonationFlows).toHaveText('Impersonation access to flows: none');
    await expect(card.error).toHaveCount(0);
    await expect(card.removeAllButton).toHaveCount(0);
    // Its own membership is not impersonation access, and stays.
    await expect(card.memberships).toHaveText([/^Purchase Order \(process\): viewer\b/]);
    await expect(accounts.badge('po-bot', 'dormant')).toBeVisible();

    const audit = new AuditLogView(page);
    await audit.open();
    await audit.filter('serviceAccount.removeAllImpersonation');
    await expect(audit.messages).toHaveText([
      'Removed all impersonation access of po-bot: global_my_items, flow Purchase Order, flow Purchase Request',
    ]);
    // Her addition as Flow Admin of Purchase Order is in its History, and was taken back.
    await audit.filter('flow.removeSelfAsAdmin');
    await expect(audit.messages).toHaveCount(1);
  });

  test('R-K4: an IAM Admin who is no Flow Admin is offered no per-flow revoke; a Flow Admin is, for their own flow', async ({
    page,
    console: deputy,
  }) => {
    const accounts = new ServiceAccountsPage(page);
    await signInAs(page, 'ivan');
    await accounts.open();
    let card = await accounts.select('po-bot');
    await expect(card.impersonationFlowBadges).toHaveText([
      /^Purchase Order \(process\)/,
      /^Purchase Request \(process\)/,
    ]);
    await expect(card.memberships).toHaveText([/^Purchase Order \(process\): viewer\b/]);
    // ivan manages the account itself (R-K1), but the flows' grants are their Flow Admins' (R-K4).
    await expect(card.createKeyButton).toBeVisible();
    await expect(card.revokeFlowButtons).toHaveCount(0);
    await expect(card.leaveFlowButton('Purchase Order')).toHaveCount(0);
    await expect(card.removeAllButton).toHaveCount(0);
    // What is not offered, main refuses.
    expect(
      await callApi(page, deputy, 'flows.setImpersonation', {
        flow: 'Purchase Request',
        serviceAccount: 'po-bot',
        enabled: false,
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-K4' } });

    // alice is Flow Admin of Purchase Request, not of Purchase Order: she is offered that one, and main agrees.
    await signInAs(page, 'alice');
    await accounts.open();
    card = await accounts.select('po-bot');
    await expect(card.impersonationFlowBadges).toHaveCount(2);
    await expect(card.revokeFlowButtons).toHaveCount(1);
    await expect(card.leaveFlowButton('Purchase Order')).toHaveCount(0);
    await card.revokeFlowButton('Purchase Request').click();
    const revoke = new ConfirmDialogPage(page, "Revoke po-bot's impersonation access to Purchase Request?");
    await expect(revoke.root).toContainText('po-bot can no longer act as members of Purchase Request:');
    await expect(revoke.root.getByText('Rule R-K5', { exact: true })).toBeVisible();
    await revoke.confirm('Revoke');
    await expect(card.impersonationFlowBadges).toHaveText([/^Purchase Order \(process\)/]);
    await expect(card.error).toHaveCount(0);
    await expect(card.revokeFlowButtons).toHaveCount(0);
  });

  test('R-K11: a flow role held through a group is listed with its group, and is not removed from the card', async ({
    page,
    console: deputy,
  }) => {
    // alice is Flow Admin of Purchase Request: she gives every service account Viewer there (R-A1's system group).
    expect(
      await callApi(page, deputy, 'flows.setMember', {
        flow: 'Purchase Request',
        member: { group: 'Service Account' },
        role: 'viewer',
      }),
    ).toMatchObject({ ok: true });
    const accounts = new ServiceAccountsPage(page);
    await accounts.open();
    const card = await accounts.select('po-bot');
    await expect(card.memberships).toHaveText([
      /^Purchase Order \(process\): viewer$/,
      /^Purchase Request \(process\): viewer \(through group Service Account\)$/,
    ]);
    // Leaving the flow would mean leaving the group, which is the group's business, so no × although she may.
    await expect(card.leaveFlowButton('Purchase Request')).toHaveCount(0);
  });

  test('R-K1: deleting ci-bot removes it and its key from the keychain, with a Record Deletion Log snapshot', async ({
    page,
    console: deputy,
  }) => {
    const { accounts, card } = await createCiBot(page);
    const key = await createStoredKey(card);
    expect((await keychainLookup(deputy, key.keyId)).stdout.trim()).toBe(key.secret);

    await card.deleteButton.click();
    const confirm = new ConfirmDialogPage(page, 'Delete service account ci-bot?');
    await expect(confirm.root).toContainText(
      "ci-bot and all its access keys (1) are deleted: the keys' secrets leave the OS keychain and cannot be recovered",
    );
    await confirm.confirm('Delete service account');
    await expect(card.region).toHaveCount(0);
    await expect(accounts.row('ci-bot')).toHaveCount(0);
    await expect(accounts.rows).toHaveCount(3);

    const lookup = await keychainLookup(deputy, key.keyId);
    expect(lookup.stdout).toBe('');
    expect(lookup.code).not.toBe(0);
    const check = await authCheck(deputy, key.keyId, key.secret);
    expect(check.stdout.trim(), check.stderr).toBe('invalid');

    // Still gone after a reload.
    await page.reload();
    await accounts.open();
    await expect(accounts.rows).toHaveCount(3);
    await expect(accounts.row('ci-bot')).toHaveCount(0);

    const audit = new AuditLogView(page);
    await audit.open();
    await audit.filter('serviceAccount.delete', 'record_deletion');
    await expect(audit.messages).toHaveText(['Deleted service account ci-bot with 1 access key']);
    await expect(audit.logs).toHaveText(['record deletion']);
    // The snapshot names the key, never its secret.
    await expectSecretNotInDatabase(deputy, key.secret);
  });
});
