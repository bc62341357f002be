import { expect, type Locator, type Page } from '@playwright/test';

/** The text "Access Key ID DPK…" in the new-key dialog: DPK and 20 upper-case hex digits. */
const KEY_ID = /Access Key ID (DPK[0-9A-F]{20})\b/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The accessible name of an account's name button: "Display Name (username)", or the username alone. */
function accountName(username: string): RegExp {
  const u = escapeRegExp(username);
  return new RegExp(`^(${u}|.* \\(${u}\\))$`);
}

/** A tab of the console's tab bar, by its label (the shared TabName type is another helper's). */
function sectionTab(page: Page, label: string): Locator {
  return page.getByRole('tablist', { name: 'Sections' }).getByRole('tab', { name: label, exact: true });
}

/** The Service accounts tab: the create form (R-K1), the accounts table with its badges and flags. */
export class ServiceAccountsPage {
  readonly tab: Locator;
  readonly newUsername: Locator;
  readonly newDisplayName: Locator;
  readonly createButton: Locator;
  readonly table: Locator;
  /** Body rows only: the header row has column headers, not cells. */
  readonly rows: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.tab = sectionTab(page, 'Service accounts');
    this.newUsername = page.getByRole('textbox', { name: 'New service account username', exact: true });
    this.newDisplayName = page.getByRole('textbox', { name: 'New service account display name', exact: true });
    this.createButton = page.getByRole('button', { name: 'Create service account', exact: true });
    this.table = page.getByRole('table', { name: 'Service accounts' });
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('cell') });
    // The list's own error note sits outside the detail card.
    this.error = page.getByRole('tabpanel').locator('.service-accounts > [role=alert]');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.tab).toHaveAttribute('aria-selected', 'true');
  }

  /** The name button of an account: "Display Name (username)", or the username alone. */
  nameButton(username: string): Locator {
    return this.table.getByRole('button', { name: accountName(username) });
  }

  row(username: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('button', { name: accountName(username) }) });
  }

  /** A badge (service account, dormant, N keys to rotate, a status) in an account's row. */
  badge(username: string, text: string): Locator {
    return this.row(username)
      .locator('.badge')
      .filter({ hasText: new RegExp(`^${escapeRegExp(text)}$`) });
  }

  /** The Keys column of an account's row. */
  keyCount(username: string): Locator {
    return this.row(username).getByRole('cell').nth(2);
  }

  /** Fills the create form and submits it; the new account's detail card opens. */
  async create(username: string, displayName: string): Promise<ServiceAccountDetailCard> {
    await this.newUsername.fill(username);
    await this.newDisplayName.fill(displayName);
    await this.createButton.click();
    const card = new ServiceAccountDetailCard(this.page, username);
    await expect(card.region).toBeVisible();
    return card;
  }

  /** Clicks the account's name and returns its detail card. */
  async select(username: string): Promise<ServiceAccountDetailCard> {
    await this.nameButton(username).click();
    const card = new ServiceAccountDetailCard(this.page, username);
    await expect(card.region).toBeVisible();
    return card;
  }
}

/** The region "Service account <username>": access keys, the rotation notice, associated resources (R-K11). */
export class ServiceAccountDetailCard {
  readonly region: Locator;
  readonly deleteButton: Locator;
  readonly error: Locator;
  readonly keysTable: Locator;
  readonly keyRows: Locator;
  readonly noKeys: Locator;
  readonly expiryDays: Locator;
  readonly createKeyButton: Locator;
  readonly rotationNotice: Locator;
  readonly disableOldKey: Locator;
  readonly deleteOldKey: Locator;
  readonly sharedResources: Locator;
  readonly impersonationFlows: Locator;
  /** One badge per flow with impersonation access: "<flow> (<type>)", then its remove button. */
  readonly impersonationFlowBadges: Locator;
  readonly memberOf: Locator;
  /** One badge per flow it is a member of (R-K10): "<flow> (<type>): <role>", then its remove button. */
  readonly memberships: Locator;
  readonly removeAllButton: Locator;

  constructor(
    readonly page: Page,
    readonly username: string,
  ) {
    this.region = page.getByRole('region', { name: `Service account ${username}`, exact: true });
    this.deleteButton = this.region.getByRole('button', { name: 'Delete service account', exact: true });
    this.error = this.region.getByRole('alert');
    this.keysTable = this.region.getByRole('table', { name: 'Access keys' });
    this.keyRows = this.keysTable.getByRole('row').filter({ has: page.getByRole('cell', { name: /^DPK/ }) });
    this.noKeys = this.keysTable.getByRole('cell', { name: 'No access keys.', exact: true });
    this.expiryDays = this.region.getByRole('spinbutton', { name: 'Key expiry in days', exact: true });
    this.createKeyButton = this.region.getByRole('button', { name: 'Create access key', exact: true });
    this.rotationNotice = this.region.getByRole('status', { name: 'Rotation', exact: true });
    this.disableOldKey = this.rotationNotice.getByRole('button', { name: 'disable the old key', exact: true });
    this.deleteOldKey = this.rotationNotice.getByRole('button', { name: 'delete it', exact: true });
    this.sharedResources = this.region.locator('p', { hasText: /^Shared resources:/ });
    this.impersonationFlows = this.region.locator('p', { hasText: /^Impersonation access to flows:/ });
    this.memberOf = this.region.locator('p', { hasText: /^Member of \(its own rights, apart from impersonation\):/ });
    this.impersonationFlowBadges = this.impersonationFlows.locator('.badge');
    this.memberships = this.memberOf.locator('.badge');
    this.removeAllButton = this.region.getByRole('button', { name: 'Remove all impersonation access', exact: true });
  }

  /** The × of one flow's impersonation access: offered only to a Flow Admin of that flow (R-K4). */
  revokeFlowButton(flow: string): Locator {
    return this.region.getByRole('button', { name: `Remove impersonation access to ${flow}`, exact: true });
  }

  /** Every flow's × under "Impersonation access to flows". */
  get revokeFlowButtons(): Locator {
    return this.region.getByRole('button', { name: /^Remove impersonation access to / });
  }

  /** The × of the account's own membership of a flow: offered only to whoever may change its members. */
  leaveFlowButton(flow: string): Locator {
    return this.region.getByRole('button', { name: `Remove ${this.username} from ${flow}`, exact: true });
  }

  keyRow(keyId: string): Locator {
    return this.keysTable.getByRole('row').filter({ has: this.page.getByRole('cell', { name: keyId, exact: true }) });
  }

  /** The Expires column (YYYY-MM-DD) of a key. */
  keyExpires(keyId: string): Locator {
    return this.keyRow(keyId).getByRole('cell').nth(2);
  }

  /** The State column of a key: active, disabled or expired (plus "rotate" when due). */
  keyState(keyId: string): Locator {
    return this.keyRow(keyId).getByRole('cell').nth(4);
  }

  rotateButton(keyId: string): Locator {
    return this.keyRow(keyId).getByRole('button', { name: 'Rotate…', exact: true });
  }

  /** Creates a key (with the expiry field as it is, 90 by default) and returns the dialog showing it. */
  async createKey(): Promise<NewKeyDialog> {
    await this.createKeyButton.click();
    const dialog = new NewKeyDialog(this.page);
    await expect(dialog.dialog).toBeVisible();
    return dialog;
  }

  /** Starts a rotation from `keyId` and returns the dialog showing the new key. */
  async rotate(keyId: string): Promise<NewKeyDialog> {
    await this.rotateButton(keyId).click();
    const dialog = new NewKeyDialog(this.page);
    await expect(dialog.dialog).toBeVisible();
    return dialog;
  }
}

/** The "New access key" dialog: the Access Key ID, and the secret shown this one time (R-K12). */
export class NewKeyDialog {
  readonly dialog: Locator;
  readonly secret: Locator;
  readonly copyButton: Locator;
  readonly storedButton: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New access key', exact: true });
    this.secret = this.dialog.getByLabel('Secret', { exact: true });
    // Its label changes once the secret is copied.
    this.copyButton = this.dialog.getByRole('button', { name: /^(Copy secret|Copied — clears in 60 s)$/ });
    this.storedButton = this.dialog.getByRole('button', { name: 'I have stored it', exact: true });
  }

  async keyId(): Promise<string> {
    const text = (await this.dialog.textContent()) ?? '';
    const id = KEY_ID.exec(text)?.[1];
    if (!id) throw new Error(`No Access Key ID in the dialog: ${text}`);
    return id;
  }

  /** The expiry date the dialog shows (YYYY-MM-DD). */
  async expires(): Promise<string> {
    const text = (await this.dialog.textContent()) ?? '';
    const day = /expires (\d{4}-\d{2}-\d{2})\./.exec(text)?.[1];
    if (!day) throw new Error(`No expiry in the dialog: ${text}`);
    return day;
  }

  async readSecret(): Promise<string> {
    const secret = ((await this.secret.textContent()) ?? '').trim();
    expect(secret).not.toBe('');
    return secret;
  }

  /** Clicks "I have stored it" and waits for the dialog to close. */
  async store(): Promise<void> {
    await this.storedButton.click();
    await expect(this.dialog).toHaveCount(0);
  }
}

/** The Audit log tab, as far as these tests read it: the Log and Action filters and the records table. */
export class AuditLogView {
  readonly tab: Locator;
  readonly log: Locator;
  readonly action: Locator;
  readonly table: Locator;
  /** Record rows only: the spacer rows are hidden and the empty-state row has one cell spanning all. */
  readonly rows: Locator;
  readonly messages: Locator;

  constructor(readonly page: Page) {
    this.tab = sectionTab(page, 'Audit log');
    this.log = page.getByRole('combobox', { name: 'Log', exact: true });
    this.action = page.getByRole('textbox', { name: 'Action', exact: true });
    this.table = page.getByRole('table', { name: 'Audit records' });
    this.rows = this.table.getByRole('row').filter({ has: page.locator('td.mono') });
    this.messages = this.rows.locator('td:nth-child(6)');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.tab).toHaveAttribute('aria-selected', 'true');
  }

  /** Shows only records of one action (exact match), in all logs unless `log` names one. */
  async filter(action: string, log = ''): Promise<void> {
    await this.log.selectOption(log);
    await this.action.fill(action);
  }

  /** The Log column of the records shown. */
  get logs(): Locator {
    return this.rows.locator('td:nth-child(3)');
  }
}
