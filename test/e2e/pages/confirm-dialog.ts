import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The in-page confirmation of an irreversible action (components/ConfirmDialog.tsx): an alertdialog named by
 * its question, saying what will be lost, with the action's button and Cancel.
 */
export class ConfirmDialogPage {
  readonly root: Locator;
  readonly cancelButton: Locator;

  constructor(
    readonly page: Page,
    title?: string | RegExp,
  ) {
    this.root = page.getByRole('alertdialog', title === undefined ? {} : { name: title, exact: true });
    this.cancelButton = this.root.getByRole('button', { name: 'Cancel', exact: true });
  }

  button(label: string): Locator {
    return this.root.getByRole('button', { name: label, exact: true });
  }

  /** Clicks the action's button and waits for the dialog to close. */
  async confirm(label: string): Promise<void> {
    await this.button(label).click();
    await expect(this.root).toHaveCount(0);
  }

  async cancel(): Promise<void> {
    await this.cancelButton.click();
    await expect(this.root).toHaveCount(0);
  }
}
