import { expect, type Locator, type Page } from '@playwright/test';

/** The Directory tab: filters, the principals table and its pager. */
export class DirectoryPage {
  readonly search: Locator;
  readonly kind: Locator;
  readonly status: Locator;
  readonly role: Locator;
  readonly emptyDisplayNameOnly: Locator;
  readonly table: Locator;
  /** Body rows only: the header row has column headers, not cells. */
  readonly rows: Locator;
  readonly usernameCells: Locator;
  readonly noMatches: Locator;
  readonly pagerText: Locator;
  readonly previousButton: Locator;
  readonly nextButton: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByRole('searchbox', { name: 'Search' });
    this.kind = page.getByRole('combobox', { name: 'Kind' });
    this.status = page.getByRole('combobox', { name: 'Status' });
    this.role = page.getByRole('combobox', { name: 'Role' });
    this.emptyDisplayNameOnly = page.getByRole('checkbox', { name: 'Empty display name only' });
    this.table = page.getByRole('table', { name: 'Directory' });
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('cell') });
    this.usernameCells = this.rows.locator('td:first-child');
    this.noMatches = this.table.getByRole('cell', { name: 'No principals match these filters.' });
    this.pagerText = page.getByLabel('Showing');
    this.previousButton = page.getByRole('button', { name: 'Previous', exact: true });
    this.nextButton = page.getByRole('button', { name: 'Next', exact: true });
  }

  /** Waits until no request is in flight, then returns the usernames on the current page. */
  async usernames(): Promise<string[]> {
    await expect(this.table).toHaveAttribute('aria-busy', 'false');
    return (await this.usernameCells.allTextContents()).map((u) => u.trim());
  }

  /** Polls until the sorted usernames on the page equal `expected` (sorted): row order is the server's. */
  async expectUsernames(expected: string[]): Promise<void> {
    await expect.poll(async () => (await this.usernames()).sort()).toEqual([...expected].sort());
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text);
  }

  async filterKind(kind: string): Promise<void> {
    await this.kind.selectOption(kind);
  }

  async filterStatus(status: string): Promise<void> {
    await this.status.selectOption(status);
  }

  async filterRole(role: string): Promise<void> {
    await this.role.selectOption(role);
  }

  async setEmptyDisplayNameOnly(on: boolean): Promise<void> {
    await this.emptyDisplayNameOnly.setChecked(on);
  }
}
