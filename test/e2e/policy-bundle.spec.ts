import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, openWithDemo, shot, test } from './fixtures';
import { DirectoryActionsPage } from './pages/directory-actions-page';
import { PolicyBundlePage } from './pages/policy-bundle-page';
import { ShellPage } from './pages/shell-page';

interface BundleUser {
  username: string;
  kind: string;
  roles: string[];
}
interface ExportedBundle {
  version: number;
  users: BundleUser[];
  serviceAccounts: { username: string }[];
  groups: { name: string; members: string[] }[];
  flows: { name: string; impersonation: string[] }[];
}

/** Exports through the UI and returns the downloaded file's text and its parsed JSON. */
async function exportBundle(bundle: PolicyBundlePage): Promise<{ name: string; text: string; json: ExportedBundle }> {
  const download = await bundle.export();
  const path = await download.path();
  const text = await readFile(path, 'utf8');
  return { name: download.suggestedFilename(), text, json: JSON.parse(text) as ExportedBundle };
}

async function openSettings(page: Page): Promise<PolicyBundlePage> {
  const shell = new ShellPage(page);
  await shell.open('Settings');
  await expect(shell.tab('Settings')).toHaveAttribute('aria-selected', 'true');
  return new PolicyBundlePage(page);
}

test.describe('Policy bundle', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
  });

  test('Export downloads the policy as JSON, without a secret', async ({ page }) => {
    const bundle = await openSettings(page);
    const { name, text, json } = await exportBundle(bundle);
    expect(name).toBe('deputy-policy.json');
    expect(json.version).toBe(1);
    expect(text).not.toMatch(/scrypt/i);
    expect(text).not.toMatch(/password|secret|hash/i);
    expect(json.users.map((u) => u.username)).toEqual(expect.arrayContaining(['alice', 'jdoe', 'lou']));
    expect(json.serviceAccounts.map((s) => s.username).sort()).toEqual(['hr-sync', 'po-bot', 'supplier-portal']);
  });

  test('re-importing an unchanged export changes nothing', async ({ page }) => {
    const bundle = await openSettings(page);
    const { json } = await exportBundle(bundle);
    await bundle.chooseFile(json);
    await expect(bundle.previewStatus).toHaveText('Nothing to change: this directory already matches the bundle.');
    await expect(bundle.changes).toHaveCount(0);
    await expect(bundle.preview.getByRole('button', { name: /^Import \d+ changes$/ })).toHaveCount(0);
  });

  test('an import is previewed, and applied only when confirmed', async ({ page, console: deputy }, testInfo) => {
    let bundle = await openSettings(page);
    const { json } = await exportBundle(bundle);
    const jdoe = json.users.find((u) => u.username === 'jdoe');
    expect(jdoe?.roles).toEqual([]);
    jdoe!.roles = ['impersonator'];

    await bundle.chooseFile(json);
    await expect(bundle.previewStatus).toHaveText('The import would make 1 change:');
    await expect(bundle.changes).toHaveCount(1);
    await expect(bundle.change('user jdoe')).toContainText('~ user jdoe');
    await expect(bundle.change('user jdoe')).toContainText('roles: (none) → impersonator');
    await expect(bundle.importButton(1)).toBeVisible();
    await expect(bundle.error).toHaveCount(0);
    await shot(page, testInfo, 'policy-import-preview');

    // Nothing is applied yet: a second tab of the same session still shows jdoe with no role…
    const other = await page.context().newPage();
    await other.goto(`${deputy.origin}/`);
    const otherDirectory = new DirectoryActionsPage(other);
    await expect(otherDirectory.rolesOf('jdoe')).toHaveText('—');
    await other.close();
    // …and previewing the same file again still finds the one change to make.
    await bundle.chooseFile(json);
    await expect(bundle.previewStatus).toHaveText('The import would make 1 change:');

    await bundle.importButton(1).click();
    await expect(bundle.previewStatus).toHaveText('Imported: 1 change.');
    await expect(bundle.importButton(1)).toHaveCount(0);
    await expect(bundle.error).toHaveCount(0);

    await new ShellPage(page).open('Directory');
    const directory = new DirectoryActionsPage(page);
    await expect(directory.rolesOf('jdoe')).toHaveText('impersonator');

    // Imported for good: the same file now has nothing left to change.
    bundle = await openSettings(page);
    await bundle.chooseFile(json);
    await expect(bundle.previewStatus).toHaveText('Nothing to change: this directory already matches the bundle.');
  });

  test('R-K4: a change to a flow the operator is not Flow Admin of is shown refused, and cannot be imported', async ({
    page,
  }) => {
    const bundle = await openSettings(page);
    const { json } = await exportBundle(bundle);
    // alice is a Super Admin, but Purchase Order's Flow Admin is bbuyer.
    json.flows.find((f) => f.name === 'Purchase Order')!.impersonation = [];
    await bundle.chooseFile(json);
    await expect(bundle.previewStatus).toHaveText('The import would make 1 change:');
    await expect(bundle.refused).toContainText(
      'flow Purchase Order: impersonation access: only a Flow Admin of Purchase Order grants its impersonation access, and alice has no role in it (R-K4)',
    );
    await expect(bundle.importButton(1)).toBeDisabled();
  });

  test('R-A4: a difference for a portal’s service account is shown first, and the import waits until it is accepted', async ({
    page,
  }, testInfo) => {
    const bundle = await openSettings(page);
    const { json } = await exportBundle(bundle);
    // The other environment has the supplier portal's account in Finance; here it is in no group.
    json.groups.find((g) => g.name === 'Finance')!.members.push('supplier-portal');
    await bundle.chooseFile(json);
    await expect(bundle.previewStatus).toHaveText('The import would make 1 change:');
    const drift = bundle.preview.getByRole('group', { name: 'Differences between environments' });
    await expect(drift).toContainText('groups:supplier-portal');
    await expect(drift).toContainText('is in groups (none) here, and Finance in the bundle');
    await expect(bundle.importButton(1)).toBeDisabled();
    await shot(page, testInfo, 'policy-import-drift');
    await drift.getByRole('checkbox', { name: 'Accept difference groups:supplier-portal' }).check();
    await bundle.importButton(1).click();
    await expect(bundle.previewStatus).toHaveText('Imported: 1 change.');
    await expect(drift.getByRole('checkbox', { name: 'Accept difference groups:supplier-portal' })).toBeChecked();
  });

  test('Cancel drops the preview without importing', async ({ page }) => {
    const bundle = await openSettings(page);
    const { json } = await exportBundle(bundle);
    json.users.find((u) => u.username === 'jdoe')!.roles = ['impersonator'];
    await bundle.chooseFile(json);
    await expect(bundle.importButton(1)).toBeVisible();
    await bundle.cancelButton.click();
    await expect(bundle.preview).toHaveCount(0);

    await new ShellPage(page).open('Directory');
    await expect(new DirectoryActionsPage(page).rolesOf('jdoe')).toHaveText('—');
  });

  test('an invalid bundle lists its problems by JSON path and imports nothing', async ({ page }) => {
    const bundle = await openSettings(page);
    const { json } = await exportBundle(bundle);
    expect(json.users[0]?.username).toBe('alice');
    json.users[0]!.kind = 'robot';
    await bundle.chooseFile(json);
    await expect(bundle.error).toContainText('nothing was imported');
    await expect(bundle.error).toContainText('$.users[0].kind');
    await expect(bundle.preview).toHaveCount(0);
  });

  test('a file that is not JSON is refused', async ({ page }) => {
    const bundle = await openSettings(page);
    await bundle.chooseFile('{ not json', 'broken.json');
    await expect(bundle.error).toHaveText('broken.json is not a JSON file.');
    await expect(bundle.preview).toHaveCount(0);
  });
});
