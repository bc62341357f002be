import type { Locator, Page } from '@playwright/test';

/** The Flows tab: the flows table, and the settings card of the flow whose name was clicked. */
export class FlowsPage {
  readonly type: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.type = page.getByRole('combobox', { name: 'Type', exact: true }).first();
    this.table = page.getByRole('table', { name: 'Flows' });
  }

  /** The "New flow" form (a Super Admin's): its name, its type and Create flow. */
  get newFlow() {
    const form = this.page.getByRole('form', { name: 'New flow' });
    return {
      form,
      // The error beside the field is part of its label: the name starts with Name.
      name: form.getByRole('textbox', { name: /^Name/ }),
      type: form.getByRole('combobox', { name: 'Type', exact: true }),
      create: form.getByRole('button', { name: 'Create flow', exact: true }),
      error: form.getByRole('alert'),
    };
  }

  /** The table row of one flow. */
  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** Clicks the flow's name and returns its settings card. */
  async open(name: string): Promise<FlowSettingsCard> {
    await this.table.getByRole('button', { name, exact: true }).click();
    return new FlowSettingsCard(this.page, name);
  }
}

/** The region "Settings of <flow>": members and their roles, impersonation access, "Add me as Flow Admin". */
export class FlowSettingsCard {
  readonly region: Locator;
  readonly addMeAsFlowAdmin: Locator;
  readonly error: Locator;
  readonly members: Locator;
  readonly newMember: Locator;
  /** The R-K3 note of a chat, integration, app or space. */
  readonly notConfigurableNote: Locator;
  /** The R-K4 note shown to someone who is not a Flow Admin of the flow. */
  readonly onlyFlowAdminNote: Locator;
  readonly noImpersonation: Locator;
  /** The service accounts with impersonation access, one list item each. */
  readonly impersonationList: Locator;
  readonly serviceAccount: Locator;
  readonly grantButton: Locator;
  readonly revokeButtons: Locator;
  readonly newMemberRole: Locator;
  readonly addMemberButton: Locator;
  /** Add member's question when the member is in the flow already. */
  readonly changeRoleDialog: Locator;
  readonly removeMyAddition: Locator;
  /** The flow's History records, newest first. */
  readonly history: Locator;
  readonly historyEntries: Locator;

  constructor(
    readonly page: Page,
    readonly flow: string,
  ) {
    this.region = page.getByRole('region', { name: `Settings of ${flow}`, exact: true });
    this.addMeAsFlowAdmin = this.region.getByRole('button', { name: 'Add me as Flow Admin', exact: true });
    this.error = this.region.getByRole('alert');
    this.members = this.region.getByRole('table', { name: 'Members' });
    // A text input with suggestions (a datalist) is a combobox.
    this.newMember = this.region.getByRole('combobox', { name: 'New member', exact: true });
    this.notConfigurableNote = this.region.getByRole('note');
    // The sentence, with its rule as the muted detail after it.
    this.onlyFlowAdminNote = this.region
      .getByText(`Only a Flow Admin of ${flow} grants or revokes its impersonation access.`)
      .filter({ has: page.getByText('Rule R-K4', { exact: true }) });
    this.noImpersonation = this.region.getByText('No service account has impersonation access.', { exact: true });
    this.impersonationList = this.region.getByRole('list').getByRole('listitem');
    this.serviceAccount = this.region.getByRole('combobox', { name: 'Service account', exact: true });
    this.grantButton = this.region.getByRole('button', { name: 'Grant impersonation access', exact: true });
    this.revokeButtons = this.region.getByRole('button', { name: /^Revoke impersonation access of / });
    this.newMemberRole = this.region.getByRole('combobox', { name: 'New member role', exact: true });
    this.addMemberButton = this.region.getByRole('button', { name: 'Add member', exact: true });
    this.changeRoleDialog = this.region.getByRole('group', { name: 'Change role?' });
    this.removeMyAddition = this.region.getByRole('button', { name: 'Remove my Flow Admin addition', exact: true });
    this.history = this.region.getByRole('region', { name: 'History', exact: true });
    this.historyEntries = this.history.locator('.history-entry');
  }

  /** The role select of a member: a username, or `group:<name>`. */
  roleOf(member: string): Locator {
    return this.region.getByRole('combobox', { name: `Role of ${member}`, exact: true });
  }

  /** The list item of a service account with impersonation access. */
  impersonationOf(serviceAccount: string): Locator {
    return this.impersonationList.filter({ hasText: new RegExp(`^${serviceAccount}(Revoke)?$`) });
  }

  revokeButton(serviceAccount: string): Locator {
    return this.region.getByRole('button', { name: `Revoke impersonation access of ${serviceAccount}`, exact: true });
  }

  async addMember(member: string, role: string): Promise<void> {
    await this.newMember.fill(member);
    await this.newMemberRole.selectOption(role);
    await this.addMemberButton.click();
  }

  async grant(serviceAccount: string): Promise<void> {
    await this.serviceAccount.selectOption(serviceAccount);
    await this.grantButton.click();
  }
}
