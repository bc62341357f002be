import { expect, type Locator, type Page } from '@playwright/test';

/** One person the Impersonate dialog offers, as main answers `impersonation.candidates`. */
export interface Candidate {
  username: string;
  displayName: string;
  /** Why this person cannot be impersonated (only with "Show who is excluded, and why"). */
  excluded?: string;
}

/** How the console names a person: `Display Name (username)`, or the username alone (R-S6). */
export const labelOf = (p: { username: string; displayName: string }): string =>
  p.displayName.trim() === '' ? p.username : `${p.displayName} (${p.username})`;

interface ApiBody {
  method?: string;
  input?: { query?: string; explain?: boolean };
}

/** The "Impersonate" dialog (R-S3, R-S10): search, excluded people with reasons, recent, reason, ticket, minutes. */
export class ImpersonateDialog {
  readonly root: Locator;
  readonly query: Locator;
  readonly tooShort: Locator;
  readonly matches: Locator;
  /** The person buttons of the Matches list, in the order shown. */
  readonly candidates: Locator;
  readonly noMatches: Locator;
  readonly explain: Locator;
  readonly recent: Locator;
  readonly reason: Locator;
  readonly ticket: Locator;
  readonly minutes: Locator;
  /** The submit button once a person is chosen: "Impersonate <name>". */
  readonly submit: Locator;
  readonly choosePerson: Locator;
  readonly cancel: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog', { name: 'Impersonate' });
    this.query = this.root.getByRole('textbox', { name: 'Find a person' });
    this.tooShort = this.root.getByText('Type at least two characters.', { exact: true });
    this.matches = this.root.getByRole('list', { name: 'Matches' });
    this.candidates = this.matches.getByRole('listitem').getByRole('button');
    this.noMatches = this.root.getByText('Nobody you may impersonate matches.', { exact: true });
    this.explain = this.root.getByRole('checkbox', { name: 'Show who is excluded, and why' });
    this.recent = this.root.getByRole('list', { name: 'Recent' });
    this.reason = this.root.getByRole('textbox', { name: /^Reason/ });
    this.ticket = this.root.getByRole('textbox', { name: 'Ticket (optional)' });
    this.minutes = this.root.getByRole('spinbutton', { name: /^Minutes \(at most / });
    this.submit = this.root.getByRole('button', { name: /^Impersonate / });
    this.choosePerson = this.root.getByRole('button', { name: 'Choose a person', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel', exact: true });
    this.error = this.root.getByRole('alert');
  }

  /** The button for one person in the Matches list, by its label ("Jane Doe (jdoe)", or "kchen"). */
  candidate(label: string): Locator {
    return this.matches.getByRole('button', { name: label, exact: true });
  }

  /** The list entry of one person: the button and, when excluded, the reason under it. */
  entry(label: string): Locator {
    return this.matches
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('button', { name: label, exact: true }) });
  }

  /**
   * Types `query` and waits until main has answered and the dialog shows exactly that answer, so that what
   * is absent is absent because main left it out, not because the answer is still on its way.
   */
  async search(query: string): Promise<Candidate[]> {
    return this.answered(query, await this.explain.isChecked(), () => this.query.fill(query));
  }

  /** Ticks or clears "Show who is excluded, and why" and waits for the new answer to be shown. */
  async showExcluded(on: boolean): Promise<Candidate[]> {
    const query = await this.query.inputValue();
    return this.answered(query, on, () => this.explain.setChecked(on));
  }

  private async answered(query: string, explain: boolean, act: () => Promise<void>): Promise<Candidate[]> {
    const response = this.page.waitForResponse((res) => {
      if (!res.url().endsWith('/api') || res.request().method() !== 'POST') return false;
      const body = res.request().postDataJSON() as ApiBody | null;
      return (
        body?.method === 'impersonation.candidates' && body.input?.query === query && body.input.explain === explain
      );
    });
    await act();
    const result = (await (await response).json()) as { ok: boolean; value?: Candidate[]; error?: unknown };
    if (!result.ok || !result.value) throw new Error(`impersonation.candidates failed: ${JSON.stringify(result)}`);
    const found = result.value;
    if (found.length) {
      await expect(this.candidates).toHaveText(found.map(labelOf));
    } else {
      await expect(this.noMatches).toBeVisible();
      await expect(this.matches).toHaveCount(0);
    }
    return found;
  }

  /** Picks a person, fills the form and submits it. */
  async start(person: string, { reason, ticket, minutes }: { reason: string; ticket?: string; minutes?: number }) {
    await this.candidate(person).click();
    await expect(this.submit).toHaveText(`Impersonate ${person}`);
    await this.reason.fill(reason);
    if (ticket !== undefined) await this.ticket.fill(ticket);
    if (minutes !== undefined) await this.minutes.fill(String(minutes));
    await this.submit.click();
  }
}

/** The impersonation parts of the shell: the user-menu entries, the banner and the notices. */
export class ImpersonationPage {
  readonly impersonateMenu: Locator;
  /** "Back to me" in the user menu (the banner has its own). */
  readonly backToMeMenu: Locator;
  /** The banner (a region, not an alert: it would re-announce the countdown) and its minutes left. */
  readonly banner: Locator;
  readonly countdown: Locator;
  /** The polite live region that says once that a session started or ended. */
  readonly announcer: Locator;
  readonly bannerBackToMe: Locator;
  readonly notices: Locator;
  readonly dialog: ImpersonateDialog;

  constructor(readonly page: Page) {
    const topBar = page.getByRole('banner');
    this.impersonateMenu = topBar.getByRole('button', { name: 'Impersonate…', exact: true });
    this.backToMeMenu = topBar.getByRole('button', { name: 'Back to me', exact: true });
    this.banner = page.getByRole('region', { name: 'Impersonation session', exact: true });
    this.countdown = this.banner.getByText(/^\d+ min left$/);
    this.announcer = page.getByRole('status', { name: 'Impersonation announcements', exact: true });
    this.bannerBackToMe = this.banner.getByRole('button', { name: 'Back to me', exact: true });
    this.notices = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Dismiss' }) });
    this.dialog = new ImpersonateDialog(page);
  }

  /** The notice that someone impersonated the signed-in user, by a part of its text. */
  notice(text: string | RegExp): Locator {
    return this.notices.filter({ hasText: text });
  }

  async openDialog(): Promise<ImpersonateDialog> {
    await this.impersonateMenu.click();
    await expect(this.dialog.root).toBeVisible();
    return this.dialog;
  }

  /** The whole UI flow: Impersonate…, search, pick, reason, submit; resolves once the banner names `person`. */
  async impersonate(search: string, person: string, reason: string): Promise<void> {
    const dialog = await this.openDialog();
    await dialog.search(search);
    await dialog.start(person, { reason });
    await expect(this.banner).toContainText(`You are impersonating ${person}`);
    await expect(dialog.root).toHaveCount(0);
  }
}

/** The Sessions tab: impersonation sessions, who as whom, why, how they ended, how much was done. */
export class SessionsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly everyone: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Impersonation sessions' });
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('cell') });
    this.everyone = page.getByRole('checkbox', { name: 'Everyone’s sessions (not only mine)' });
    this.empty = this.table.getByRole('cell', { name: 'No impersonation sessions yet.' });
  }

  /** The row of the session with this reason. */
  row(reason: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: reason, exact: true }) });
  }

  /** One cell of a row, by column: Who, As whom, Reason, Started (UTC), Ended, Actions. */
  cell(row: Locator, column: 'Who' | 'As whom' | 'Reason' | 'Started' | 'Ended' | 'Actions'): Locator {
    const index = ['Who', 'As whom', 'Reason', 'Started', 'Ended', 'Actions'].indexOf(column);
    return row.getByRole('cell').nth(index);
  }

  records(row: Locator): Locator {
    return row.getByRole('button', { name: 'Records', exact: true });
  }
}

/** The Audit log tab: filters, the records table (newest first) and a record's detail pane. */
export class AuditLogPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly impersonator: Locator;
  readonly from: Locator;
  readonly session: Locator;
  readonly to: Locator;
  readonly messageContains: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Audit records' });
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('cell') });
    this.impersonator = page.getByRole('textbox', { name: 'Impersonator', exact: true });
    this.from = page.getByRole('textbox', { name: 'From (UTC)', exact: true });
    this.session = page.getByRole('textbox', { name: 'Session #', exact: true });
    this.to = page.getByRole('textbox', { name: 'To (UTC)', exact: true });
    this.messageContains = page.getByRole('textbox', { name: 'Message contains', exact: true });
  }

  /** The rows whose Message is exactly `message` (or matches it). */
  record(message: string | RegExp): Locator {
    return this.rows.filter({
      has: this.page.getByRole('cell', { name: message, ...(typeof message === 'string' ? { exact: true } : {}) }),
    });
  }

  /** One cell of a row, by column: #, Time (UTC), Log, Username, Action, Message. */
  cell(row: Locator, column: '#' | 'Time' | 'Log' | 'Username' | 'Action' | 'Message'): Locator {
    const index = ['#', 'Time', 'Log', 'Username', 'Action', 'Message'].indexOf(column);
    return row.getByRole('cell').nth(index);
  }

  /** Opens a record's detail pane (a click on its row) and returns the pane. */
  async open(row: Locator): Promise<Locator> {
    const seq = (await this.cell(row, '#').textContent())?.trim();
    await row.click();
    const detail = this.page.getByRole('complementary', { name: `Record ${seq}`, exact: true });
    await expect(detail).toBeVisible();
    return detail;
  }
}
