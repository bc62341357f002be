import type { Locator, Page } from '@playwright/test';

/** The first-run screen of a new database: create the first Super Admin, or load the demo. */
export class FirstRunPage {
  readonly heading: Locator;
  readonly adminForm: Locator;
  readonly username: Locator;
  readonly displayName: Locator;
  readonly password: Locator;
  readonly password2: Locator;
  readonly createButton: Locator;
  readonly adminError: Locator;
  readonly demoForm: Locator;
  readonly demoPassword: Locator;
  readonly demoPassword2: Locator;
  readonly loadDemoButton: Locator;
  readonly demoError: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Welcome to Deputy' });
    this.adminForm = page.getByRole('form', { name: 'Create the first Super Admin' });
    this.username = this.adminForm.getByLabel('Username');
    this.displayName = this.adminForm.getByLabel('Display name');
    this.password = this.adminForm.getByLabel('Password').first(); // before "Password again"
    this.password2 = this.adminForm.getByLabel('Password again');
    this.createButton = this.adminForm.getByRole('button', { name: 'Create and sign in' });
    this.adminError = this.adminForm.getByRole('alert');
    this.demoForm = page.getByRole('form', { name: 'Load the demo organisation' });
    this.demoPassword = this.demoForm.getByLabel('Password for the demo users');
    this.demoPassword2 = this.demoForm.getByLabel('Demo password again');
    this.loadDemoButton = this.demoForm.getByRole('button', { name: 'Load demo and sign in' });
    this.demoError = this.demoForm.getByRole('alert');
  }

  /** `again`: what goes in the second password field, the same password unless a test says otherwise. */
  async createFirstAdmin(admin: {
    username: string;
    displayName: string;
    password: string;
    again?: string;
  }): Promise<void> {
    await this.username.fill(admin.username);
    await this.displayName.fill(admin.displayName);
    await this.password.fill(admin.password);
    await this.password2.fill(admin.again ?? admin.password);
    await this.createButton.click();
  }

  async loadDemo(password: string): Promise<void> {
    await this.demoPassword.fill(password);
    await this.demoPassword2.fill(password);
    await this.loadDemoButton.click();
  }
}
