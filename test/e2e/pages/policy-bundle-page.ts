import type { Download, Locator, Page } from '@playwright/test';

/** The "Policy bundle" card of the Settings tab: export, and import with a preview first. */
export class PolicyBundlePage {
  readonly region: Locator;
  readonly exportButton: Locator;
  readonly fileInput: Locator;
  readonly error: Locator;
  readonly preview: Locator;
  /** The preview's summary line: "The import would make N changes:", "Imported: N changes."… */
  readonly previewStatus: Locator;
  /** One item per change: "+ <subject>" or "~ <subject>", then its details. */
  readonly changes: Locator;
  readonly cancelButton: Locator;
  /** The changes the operator may not make (R-K4), one line each, above the disabled Import button. */
  readonly refused: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Policy bundle' });
    this.exportButton = this.region.getByRole('button', { name: 'Export', exact: true });
    this.fileInput = this.region.getByLabel('Bundle file to import');
    this.error = this.region.getByRole('alert');
    this.preview = this.region.getByLabel('Import preview');
    this.previewStatus = this.preview.getByRole('status');
    this.changes = this.preview.getByRole('listitem');
    this.cancelButton = this.preview.getByRole('button', { name: 'Cancel', exact: true });
    this.refused = this.preview.getByRole('alert', { name: 'Changes you may not make' });
  }

  /** The confirm button, "Import N changes". */
  importButton(changes: number): Locator {
    return this.preview.getByRole('button', {
      name: `Import ${changes} change${changes === 1 ? '' : 's'}`,
      exact: true,
    });
  }

  /** The item of one change, by its subject, e.g. `user jdoe`. */
  change(subject: string): Locator {
    return this.changes.filter({ has: this.page.getByText(new RegExp(`^[+~] ${subject}$`)) });
  }

  /** Clicks Export and returns the download it starts. */
  async export(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.exportButton.click();
    return download;
  }

  /** Chooses a file for import: `content` is serialised as JSON unless it is already a string. */
  async chooseFile(content: unknown, name = 'deputy-policy.json'): Promise<void> {
    const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
    await this.fileInput.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  }
}
