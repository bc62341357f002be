import type { Locator, Page } from '@playwright/test';

/** The Settings tab: the OS keychain status and the idle lock. */
export class SettingsPage {
  readonly keychain: Locator;
  readonly keychainAvailable: Locator;
  readonly keychainUnavailable: Locator;
  readonly session: Locator;
  readonly idleMinutes: Locator;
  readonly save: Locator;
  readonly saved: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.keychain = page.getByRole('region', { name: 'OS keychain' });
    this.keychainAvailable = this.keychain.getByText('available', { exact: true });
    this.keychainUnavailable = this.keychain.getByText('unavailable', { exact: true });
    this.session = page.getByRole('region', { name: 'Session' });
    this.idleMinutes = this.session.getByLabel('Lock the session after this many minutes idle');
    this.save = this.session.getByRole('button', { name: 'Save' });
    this.saved = this.session.getByRole('status');
    this.error = this.session.getByRole('alert');
  }

  async setIdleMinutes(minutes: number): Promise<void> {
    await this.idleMinutes.fill(String(minutes));
    await this.save.click();
  }
}
