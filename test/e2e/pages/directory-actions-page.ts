import type { Locator } from '@playwright/test';
import { DirectoryPage } from './directory-page';

/** The Directory's row actions: Unlock / Activate / Deactivate, Delete, Password…, and the roles editor. */
export class DirectoryActionsPage extends DirectoryPage {
  /** Every action button in the table's rows. */
  get rowButtons(): Locator {
    return this.rows.getByRole('button');
  }

  /** The row whose username is exactly `username`. */
  row(username: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: username, exact: true }) });
  }

  statusOf(username: string): Locator {
    return this.row(username).locator('td:nth-child(4)');
  }

  rolesOf(username: string): Locator {
    return this.row(username).locator('td:nth-child(5)');
  }

  /** "Unlock lou", "Activate olive", "Deactivate jdoe". */
  statusButton(verb: 'Unlock' | 'Activate' | 'Deactivate', username: string): Locator {
    return this.page.getByRole('button', { name: `${verb} ${username}`, exact: true });
  }

  deleteButton(username: string): Locator {
    return this.page.getByRole('button', { name: `Delete ${username}`, exact: true });
  }

  passwordButton(username: string): Locator {
    return this.page.getByRole('button', { name: `Set password of ${username}`, exact: true });
  }

  editRolesButton(username: string): Locator {
    return this.page.getByRole('button', { name: `Edit roles of ${username}`, exact: true });
  }

  rolesEditor(username: string): Locator {
    return this.page.getByRole('group', { name: `Roles of ${username}`, exact: true });
  }

  /** Opens the roles editor of `username`, ticks or unticks `role` (as shown, e.g. "iam admin") and saves. */
  async setRole(username: string, role: string, on: boolean): Promise<void> {
    await this.editRolesButton(username).click();
    const editor = this.rolesEditor(username);
    await editor.getByRole('checkbox', { name: role, exact: true }).setChecked(on);
    await editor.getByRole('button', { name: 'Save roles', exact: true }).click();
  }
}
