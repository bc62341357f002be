import type { Locator, Page } from '@playwright/test';

/** The Access check tab: ask decide() whether an actor (acting as someone) may do an action, and why. */
export class AccessCheckPage {
  readonly form: Locator;
  readonly actor: Locator;
  readonly actingAs: Locator;
  readonly action: Locator;
  readonly flow: Locator;
  readonly user: Locator;
  readonly checkButton: Locator;
  readonly error: Locator;
  readonly decision: Locator;
  /** The decision's badge: "Allowed" or "Denied". */
  readonly verdict: Locator;
  /** One item per reason, each "<rule id> <fact>". */
  readonly reasons: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Access check' });
    this.actor = this.form.getByLabel('Actor', { exact: true });
    this.actingAs = this.form.getByLabel('Acting as (optional)', { exact: true });
    this.action = this.form.getByRole('combobox', { name: 'Action', exact: true });
    this.flow = this.form.getByRole('combobox', { name: 'Flow', exact: true });
    this.user = this.form.getByLabel('User', { exact: true });
    this.checkButton = this.form.getByRole('button', { name: 'Check', exact: true });
    this.error = this.form.getByRole('alert');
    this.decision = page.getByRole('region', { name: 'Decision' });
    this.verdict = this.decision.getByRole('heading');
    this.reasons = this.decision.getByRole('listitem');
  }

  /** Fills the form for an action on a flow (`flow`) or on a user (`user`) and presses Check. */
  async check(q: { actor: string; actingAs?: string; action: string; flow?: string; user?: string }): Promise<void> {
    await this.actor.fill(q.actor);
    await this.actingAs.fill(q.actingAs ?? '');
    await this.action.selectOption(q.action);
    if (q.flow !== undefined) await this.flow.selectOption(q.flow);
    if (q.user !== undefined) await this.user.fill(q.user);
    await this.checkButton.click();
  }
}
