import type { Locator, Page } from '@playwright/test';

export type SharedResourceTitle = 'Global my items' | 'User and group management' | 'All flows and integrations';

/** The Impersonation security tab: service accounts × the three shared resources (R-K1, R-K2). */
export class ImpersonationSecurityPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly checkboxes: Locator;
  readonly onlyAdminsNote: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Shared resources' });
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('cell') });
    this.checkboxes = this.table.getByRole('checkbox');
    this.onlyAdminsNote = page
      .getByText('Only a Super Admin or IAM Admin changes these.')
      .filter({ has: page.getByText('Rule R-K1', { exact: true }) });
    this.error = page.getByRole('tabpanel').getByRole('alert');
  }

  /** The checkbox labelled "<service account>: <resource title>". */
  grant(serviceAccount: string, resource: SharedResourceTitle): Locator {
    return this.table.getByRole('checkbox', { name: `${serviceAccount}: ${resource}`, exact: true });
  }
}
