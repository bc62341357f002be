import type { Locator, Page } from '@playwright/test';

/** The sign-in screen shown when the database is set up and nobody is signed in. */
export class SignInPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Deputy' });
    this.form = page.getByRole('form', { name: 'Sign in' });
    this.username = this.form.getByLabel('Username');
    this.password = this.form.getByLabel('Password');
    this.submit = this.form.getByRole('button', { name: 'Sign in' });
    this.error = this.form.getByRole('alert');
    this.notice = page.getByRole('status');
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
