import { expect, openWithDemo, shot, test } from './fixtures';
import { DirectoryPage } from './pages/directory-page';
import { ShellPage } from './pages/shell-page';

/** resources/demo.json: 15 users and 3 service accounts (supplier-portal serves the demo's supplier portal). */
const DEMO_PRINCIPALS = 18;

test.describe('demo organisation in the Directory', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    await expect(new ShellPage(page).tab('Directory')).toHaveAttribute('aria-selected', 'true');
  });

  test('lists every principal on one page', async ({ page }, testInfo) => {
    const directory = new DirectoryPage(page);
    await expect(directory.pagerText).toHaveText(`1–${DEMO_PRINCIPALS} of ${DEMO_PRINCIPALS}`);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    const usernames = await directory.usernames();
    expect(usernames).toEqual(expect.arrayContaining(['alice', 'po-bot', 'hr-sync', 'kchen', 'lou', 'jdoe']));
    expect(new Set(usernames).size).toBe(DEMO_PRINCIPALS);
    // A page holds 25, so all 18 fit and there is nowhere to go.
    await expect(directory.nextButton).toBeDisabled();
    await expect(directory.previousButton).toBeDisabled();
    await shot(page, testInfo, 'directory');
  });

  test('"Empty display name only" shows kchen alone', async ({ page }, testInfo) => {
    const directory = new DirectoryPage(page);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await directory.setEmptyDisplayNameOnly(true);
    await expect(directory.usernameCells).toHaveText(['kchen']);
    await expect(directory.rows.first()).toContainText('(empty — fix it)');
    await expect(directory.pagerText).toHaveText('1–1 of 1');
    await shot(page, testInfo, 'directory-empty-display-name');

    await directory.setEmptyDisplayNameOnly(false);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
  });

  test('Kind = service shows the three service accounts', async ({ page }) => {
    const directory = new DirectoryPage(page);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await directory.filterKind('service');
    await directory.expectUsernames(['po-bot', 'hr-sync', 'supplier-portal']);
    await expect(directory.pagerText).toHaveText('1–3 of 3');
  });

  test('Status = locked shows lou', async ({ page }) => {
    const directory = new DirectoryPage(page);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await directory.filterStatus('locked');
    await expect(directory.usernameCells).toHaveText(['lou']);
    await expect(directory.pagerText).toHaveText('1–1 of 1');
  });

  test('search by display name finds jdoe', async ({ page }) => {
    const directory = new DirectoryPage(page);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await directory.searchFor('Doe');
    await expect(directory.usernameCells).toHaveText(['jdoe']);
    await expect(directory.rows.first()).toContainText('Jane Doe');
  });

  test('filters that match nobody say so', async ({ page }) => {
    const directory = new DirectoryPage(page);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await directory.filterKind('service');
    await directory.filterStatus('locked');
    await expect(directory.noMatches).toBeVisible();
    await expect(directory.pagerText).toHaveText('0–0 of 0');
  });
});
