// Issue 23, keyboard: the tab bar is one Tab stop whose arrow keys, Home and End move between tabs; every
// dialog closes on Escape (a secret shown once asks first), keeps focus inside while open and gives it back to what opened it; the Impersonate
// results are walked with the arrow keys and picked with Enter.
import { expect, openWithDemo, test } from './fixtures';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { DirectoryActionsPage } from './pages/directory-actions-page';
import { ImpersonationPage, labelOf } from './pages/impersonation-page';
import { NewKeyDialog, ServiceAccountsPage } from './pages/service-accounts-page';
import { ShellPage, type TabName } from './pages/shell-page';
import type { Locator, Page } from '@playwright/test';

/** Whether the focused element is inside `root`. */
const focusInside = (root: Locator) => root.evaluate((el) => el.contains(el.ownerDocument.activeElement));

/** Presses Tab `times` times (Shift+Tab when `back`), checking after each press that focus stayed in `root`. */
async function tabAround(page: Page, root: Locator, times: number, back = false): Promise<void> {
  for (let i = 0; i < times; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    expect(await focusInside(root), `focus left the dialog after ${i + 1} presses`).toBe(true);
  }
}

test.beforeEach(async ({ page, console: deputy }) => {
  await openWithDemo(page, deputy);
});

test('the tab bar: one Tab stop; arrow keys, Home and End move between tabs and open them', async ({ page }) => {
  const shell = new ShellPage(page);
  const tabs = (await shell.tablist.getByRole('tab').allTextContents()) as TabName[];
  const first = tabs[0] as TabName;
  const last = tabs[tabs.length - 1] as TabName;
  expect(tabs.slice(0, 3)).toEqual(['Service accounts', 'Directory', 'Impersonation security']);
  const selected = shell.tablist.getByRole('tab', { selected: true });

  // Roving tabindex: only the selected tab is in the Tab order.
  await expect(shell.tablist.locator('[role=tab][tabindex="0"]')).toHaveText(['Directory']);
  await expect(shell.tablist.locator('[role=tab][tabindex="-1"]')).toHaveCount(tabs.length - 1);

  await shell.tab('Directory').focus();
  await page.keyboard.press('ArrowRight');
  await expect(shell.tab('Impersonation security')).toBeFocused();
  await expect(selected).toHaveText('Impersonation security');
  await expect(shell.panel).toContainText('Which service accounts may impersonate users');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(shell.tab(first)).toBeFocused();
  // Left from the first wraps to the last, Right from the last to the first.
  await page.keyboard.press('ArrowLeft');
  await expect(shell.tab(last)).toBeFocused();
  await expect(selected).toHaveText(last);
  await page.keyboard.press('ArrowRight');
  await expect(selected).toHaveText(first);
  await page.keyboard.press('End');
  await expect(shell.tab(last)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(shell.tab(first)).toBeFocused();
  await expect(shell.tablist.locator('[role=tab][tabindex="0"]')).toHaveText([first]);

  // Tab leaves the tab bar instead of walking through every tab.
  await page.keyboard.press('Tab');
  await expect(shell.tablist.getByRole('tab').filter({ has: page.locator(':focus') })).toHaveCount(0);
  expect(await focusInside(shell.tablist)).toBe(false);
});

test('Impersonate: focus stays inside, arrow keys and Enter pick a person, Escape closes and returns focus', async ({
  page,
}) => {
  const impersonation = new ImpersonationPage(page);
  await impersonation.impersonateMenu.focus();
  await page.keyboard.press('Enter');
  const dialog = impersonation.dialog;
  await expect(dialog.root).toBeVisible();
  await expect(dialog.query).toBeFocused();

  await tabAround(page, dialog.root, 12);
  await tabAround(page, dialog.root, 12, true);

  await dialog.query.focus();
  const found = await dialog.search('an');
  const people = found.filter((c) => !c.excluded).map(labelOf);
  expect(people.length).toBeGreaterThanOrEqual(2);
  const [firstPerson, secondPerson] = people as [string, string];
  await page.keyboard.press('ArrowDown');
  await expect(dialog.candidate(firstPerson)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dialog.candidate(secondPerson)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(dialog.candidate(firstPerson)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(dialog.submit).toHaveText(`Impersonate ${secondPerson}`);
  await expect(dialog.candidate(secondPerson)).toHaveAttribute('aria-pressed', 'true');
  // Up from the first person goes back to the search field.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  await expect(dialog.query).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(dialog.root).toHaveCount(0);
  await expect(impersonation.impersonateMenu).toBeFocused();
  await expect(impersonation.banner).toHaveCount(0);
});

test('a confirmation and the new-key dialog: Cancel first, focus kept inside, Escape closes (the key asks first), focus returns', async ({
  page,
}) => {
  const directory = new DirectoryActionsPage(page);
  const deactivate = directory.statusButton('Deactivate', 'jdoe');
  await deactivate.focus();
  await page.keyboard.press('Enter');
  const confirm = new ConfirmDialogPage(page, 'Deactivate jdoe?');
  await expect(confirm.root).toBeVisible();
  await expect(confirm.root).toHaveAttribute('aria-modal', 'true');
  // The safe choice has focus: a stray Enter keeps jdoe active.
  await expect(confirm.cancelButton).toBeFocused();
  await tabAround(page, confirm.root, 4);
  await tabAround(page, confirm.root, 4, true);
  await page.keyboard.press('Escape');
  await expect(confirm.root).toHaveCount(0);
  await expect(deactivate).toBeFocused();
  await expect(directory.statusOf('jdoe')).toHaveText('active');

  const accounts = new ServiceAccountsPage(page);
  await accounts.open();
  const card = await accounts.select('po-bot');
  const keys = await card.keyRows.count();
  await card.createKeyButton.focus();
  await page.keyboard.press('Enter');
  const newKey = new NewKeyDialog(page).dialog;
  await expect(newKey).toBeVisible();
  expect(await focusInside(newKey)).toBe(true);
  await tabAround(page, newKey, 4);
  // Escape on a secret shown once asks first; its question holds the focus like any dialog.
  await page.keyboard.press('Escape');
  const leave = new ConfirmDialogPage(page, 'Close without the secret?');
  await expect(leave.cancelButton).toBeFocused();
  await tabAround(page, leave.root, 4);
  await leave.confirm('Close anyway');
  await expect(newKey).toHaveCount(0);
  await expect(card.createKeyButton).toBeFocused();
  await expect(card.keyRows).toHaveCount(keys + 1);
});

test('Enter submits the one-line forms, and inputs that take a username suggest people by display name', async ({
  page,
}) => {
  const shell = new ShellPage(page);
  await shell.open('Directory');
  const newGroup = page.getByRole('textbox', { name: 'New group name', exact: true });
  await newGroup.fill('Auditors');
  await newGroup.press('Enter');
  const addMember = page.getByRole('combobox', { name: 'Add a member to Auditors', exact: true });
  await expect(addMember).toBeVisible();
  // The suggestions are the directory's usernames, each with its display name.
  const list = await addMember.getAttribute('list');
  expect(list).toBeTruthy();
  await expect(page.locator(`datalist[id="${list}"] option[value="jdoe"]`)).toHaveText('Jane Doe');
  await addMember.fill('jdoe');
  await addMember.press('Enter');
  await expect(addMember).toHaveValue('');
  await expect(page.getByText('Auditors').locator('..')).toContainText('jdoe');

  await shell.open('Flows');
  await page
    .getByRole('table', { name: 'Flows' })
    .getByRole('button', { name: 'Purchase Request', exact: true })
    .click();
  const member = page.getByRole('combobox', { name: 'New member', exact: true });
  const memberList = await member.getAttribute('list');
  await expect(page.locator(`datalist[id="${memberList}"] option[value="group:Finance"]`)).toHaveCount(1);
});
