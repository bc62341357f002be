// The Kissflow seed end to end (issue 19, item 5): alice, impersonating jdoe, raises a Purchase Request; once it
// is completed, the demo's integration has po-bot create a Purchase Order as jdoe — jdoe its initiator, its records
// `jdoe (po-bot)` (R-K5, R-S8) — and when po-bot loses its impersonation access on Purchase Order, the next
// completion leaves a Script Log record naming R-K5 instead, the completion standing (R-L1).
import { expect, openWithDemo, shot, test } from './fixtures';
import { AuditLogPage, ImpersonationPage } from './pages/impersonation-page';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { FlowsPage } from './pages/flows-page';
import { ItemPanel, MemberFlowsPage, MyItemsPage } from './pages/items-page';
import { ShellPage } from './pages/shell-page';
import type { Page } from '@playwright/test';

const PR = 'Purchase Request';
const PO = 'Purchase Order';
const LINK = 'Purchase Request to Order';
const JANE = 'Jane Doe (jdoe)';

/** As jdoe (alice impersonating), raises a Purchase Request and submits it; then back to alice. */
async function raiseAsJdoe(page: Page, title: string, amount: string): Promise<void> {
  const shell = new ShellPage(page);
  const impersonation = new ImpersonationPage(page);
  await impersonation.impersonate('Ja', JANE, `REQ ${title}`);
  await shell.open('Flows');
  const flows = new MemberFlowsPage(page);
  const list = await flows.open(PR);
  await flows.newItem.click();
  const form = flows.newItemForm(PR);
  await form.title.fill(title);
  await form.field('Amount').fill(amount);
  await form.field('Vendor').fill('Acme');
  await form.create.click();
  await expect(form.root).toHaveCount(0);
  await list.button(list.row(title), 'Submit').click();
  const submit = new ItemPanel(page, new RegExp(`^Submit item \\d+ ${title}$`), 'Submit');
  await submit.confirm.click();
  await expect(list.cell(list.row(title), 'State')).toHaveText('in progress');
  await impersonation.bannerBackToMe.click();
  await expect(impersonation.banner).toHaveCount(0);
}

/** As alice, the Flow Admin of Purchase Request, completes one. */
async function completeAsAlice(page: Page, title: string): Promise<void> {
  await new ShellPage(page).open('Flows');
  const list = await new MemberFlowsPage(page).open(PR);
  await list.button(list.row(title), 'Complete').click();
  await expect(list.cell(list.row(title), 'State')).toHaveText('completed');
}

test('R-K5, R-S8: a completed Purchase Request becomes jdoe’s Purchase Order through po-bot; without access, a Script Log record', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const shell = new ShellPage(page);

  // The demo's rule, as its Flow Admin (alice) sees it.
  await shell.open('Flows');
  const settings = await new FlowsPage(page).open(LINK);
  const rule = settings.region.getByRole('region', { name: 'Integration rule' });
  await expect(rule).toContainText(
    `When an item in ${PR} completes, po-bot creates an item in ${PO} as that item's initiator.`,
  );
  await expect(rule.getByRole('combobox', { name: 'Integration service account' })).toHaveValue('po-bot');
  await shot(page, testInfo, 'integration-rule');

  await raiseAsJdoe(page, 'Office chair', '300');
  await completeAsAlice(page, 'Office chair');

  // The Purchase Order is jdoe's: in jdoe's Created by me, initiator jdoe.
  const impersonation = new ImpersonationPage(page);
  await impersonation.impersonate('Ja', JANE, 'Check the order');
  await shell.open('My Items');
  const mine = new MyItemsPage(page);
  const order = mine.created.row('Office chair').filter({ hasText: PO });
  await expect(order).toHaveCount(1);
  await expect(mine.created.cell(order, 'Created by')).toHaveText('jdoe');
  await expect(mine.created.cell(order, 'State')).toHaveText('draft');
  await impersonation.bannerBackToMe.click();
  await expect(impersonation.banner).toHaveCount(0);

  // The Audit log: the new item's History record and the run's Script Log record, both jdoe (po-bot).
  await shell.open('Audit log');
  const log = new AuditLogPage(page);
  const created = log.record(/^Item \d+ Office chair created in Purchase Order: /);
  await expect(created).toHaveCount(1);
  await expect(log.cell(created, 'Username')).toHaveText('jdoe (po-bot)');
  await expect(log.cell(created, 'Log')).toHaveText('history');
  const ran = log.record(
    /^Integration Purchase Request to Order: item \d+ Office chair completed in Purchase Request by alice; created item \d+ Office chair in Purchase Order as jdoe$/,
  );
  await expect(ran).toHaveCount(1);
  await expect(log.cell(ran, 'Username')).toHaveText('jdoe (po-bot)');
  await expect(log.cell(ran, 'Log')).toHaveText('script');
  await shot(page, testInfo, 'integration-audit');

  // po-bot loses its impersonation access on Purchase Order: alice adds herself as its Flow Admin (R-K4), revokes.
  await shell.open('Flows');
  const po = await new FlowsPage(page).open(PO);
  await po.addMeAsFlowAdmin.click();
  await po.revokeButton('po-bot').click();
  await new ConfirmDialogPage(page, "Revoke po-bot's impersonation access to Purchase Order?").confirm('Revoke');
  await expect(po.impersonationOf('po-bot')).toHaveCount(0);

  await raiseAsJdoe(page, 'Filing cabinet', '180');
  await completeAsAlice(page, 'Filing cabinet');

  await shell.open('Audit log');
  const refused = log.record(
    /^Integration Purchase Request to Order: item \d+ Filing cabinet completed in Purchase Request by alice; nothing created in Purchase Order: .*po-bot has no impersonation grant on flow Purchase Order\b.*\(R-K5\)$/,
  );
  await expect(refused).toHaveCount(1);
  await expect(log.cell(refused, 'Log')).toHaveText('script');
  await expect(log.cell(refused, 'Username')).toHaveText('jdoe (po-bot)');
  await expect(log.record(/^Item \d+ Filing cabinet created in Purchase Order/)).toHaveCount(0);
  await shot(page, testInfo, 'integration-refused');
});
