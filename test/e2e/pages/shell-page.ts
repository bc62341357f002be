import type { Locator, Page } from '@playwright/test';

export type TabName =
  | 'Directory'
  | 'Impersonation security'
  | 'Flows'
  | 'My Items'
  | 'Sessions'
  | 'Audit log'
  | 'Design objects'
  | 'Portals'
  | 'Access check'
  | 'Settings';

/** The signed-in console: the tab bar, who is signed in, and sign out. */
export class ShellPage {
  readonly tablist: Locator;
  readonly operator: Locator;
  readonly signOutButton: Locator;
  readonly keychainWarning: Locator;
  readonly panel: Locator;

  constructor(readonly page: Page) {
    this.tablist = page.getByRole('tablist', { name: 'Sections' });
    this.operator = page.getByLabel('Signed in as');
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.keychainWarning = page.getByText('Keychain unavailable', { exact: true });
    this.panel = page.getByRole('tabpanel');
  }

  tab(name: TabName): Locator {
    return this.tablist.getByRole('tab', { name, exact: true });
  }

  async open(name: TabName): Promise<void> {
    await this.tab(name).click();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}
