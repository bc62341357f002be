// Items in the console (issue 19): a member's flows and My Items, each row offering only what main allows on it;
// while alice impersonates jdoe everything is jdoe's (R-S9) and recorded as `jdoe (alice)` (R-S8); the Audit log
// shows a History record as a field diff (R-L1).
import { callApi, expect, openWithDemo, shot, signInAs, test } from './fixtures';
import { AuditLogPage, ImpersonationPage } from './pages/impersonation-page';
import { ItemFormCard, ItemPanel, MemberFlowsPage, MyItemsPage } from './pages/items-page';
import { ShellPage } from './pages/shell-page';

const PR = 'Purchase Request';
const JANE = 'Jane Doe (jdoe)';
/** The demo's Purchase Requests, newest first: kchen's draft, jdoe's in progress, jdoe's completed. */
const DEMO_REQUESTS = ['Monitor arm', 'Standing desk', 'Laptop for new hire'];
const PR_FIELDS = [
  { name: 'Amount', type: 'number', required: true },
  { name: 'Vendor', type: 'text', required: false },
  { name: 'Needed by', type: 'date', required: false },
  { name: 'Urgent', type: 'boolean', required: false },
];

test.describe('Items', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    // alice is the Flow Admin of Purchase Request: she gives its items their fields.
    expect(await callApi(page, deputy, 'flows.setFields', { flow: PR, fields: PR_FIELDS })).toMatchObject({
      ok: true,
    });
  });

  test('R-S9, R-S8, R-L1: as jdoe, alice creates, edits and submits a Purchase Request; History shows the diff', async ({
    page,
  }, testInfo) => {
    const shell = new ShellPage(page);
    const impersonation = new ImpersonationPage(page);
    await impersonation.impersonate('Ja', JANE, 'REQ-19');

    // jdoe's flows: the two processes jdoe initiates, not the ones alice administers.
    await shell.open('Flows');
    const flows = new MemberFlowsPage(page);
    await expect(flows.flows).toHaveText(['Purchase Order process', 'Purchase Request process']);
    const list = await flows.open(PR);
    // The demo's Purchase Requests, newest first: jdoe reads them all, kchen's draft too, and acts on none of them
    // (not kchen's draft, nor her own that have left draft).
    await expect(list.rows).toHaveCount(DEMO_REQUESTS.length);
    for (const [i, title] of DEMO_REQUESTS.entries()) {
      await expect(list.cell(list.rows.nth(i), 'Title')).toHaveText(title);
      await expect(list.buttons(list.rows.nth(i))).toHaveText(['Open']);
    }

    await flows.newItem.click();
    const form = flows.newItemForm(PR);
    await form.title.fill('Laptop');
    await form.field('Amount (required)').fill('1200');
    await form.create.click();
    await expect(form.root).toHaveCount(0);
    const laptop = list.row('Laptop');
    await expect(list.cell(laptop, 'Created by')).toHaveText('jdoe');
    await expect(list.cell(laptop, 'State')).toHaveText('draft');
    // jdoe's own draft: edit, submit, assign it; never delete or complete (a Flow Admin's, a participant's).
    await expect(list.buttons(laptop)).toHaveText(['Edit', 'Submit', 'Assign']);

    // A field main refuses is named beside its input.
    await list.button(laptop, 'Edit').click();
    const edit = new ItemFormCard(page, /^Item \d+ Laptop$/);
    await edit.field('Amount (required)').fill('');
    await edit.save.click();
    await expect(edit.errors).toHaveCount(0); // a draft may lack a required field until it is submitted
    await expect(edit.root).toHaveCount(0);
    await list.button(laptop, 'Submit').click();
    const refused = new ItemPanel(page, /^Submit item \d+ Laptop$/, 'Submit');
    await refused.confirm.click();
    await expect(refused.error).toHaveText('Amount is required before the item leaves draft.');
    await refused.root.getByRole('button', { name: 'Cancel' }).click();

    await list.button(laptop, 'Edit').click();
    await edit.title.fill('Laptop 14');
    await edit.field('Amount (required)').fill('1250');
    await edit.field('Vendor').fill('Acme');
    await edit.field('Needed by').fill('2026-12-15');
    await edit.field('Urgent').check();
    await edit.save.click();
    await expect(edit.root).toHaveCount(0);
    const laptop14 = list.row('Laptop 14');
    await expect(list.cell(laptop14, 'State')).toHaveText('draft');

    await list.button(laptop14, 'Submit').click();
    const submit = new ItemPanel(page, /^Submit item \d+ Laptop 14$/, 'Submit');
    await submit.assignee.fill('pmehta');
    await submit.confirm.click();
    await expect(submit.root).toHaveCount(0);
    await expect(list.cell(laptop14, 'State')).toHaveText('in progress');
    await expect(list.cell(laptop14, 'Assigned to')).toHaveText('pmehta');
    // No longer jdoe's draft: jdoe, an initiator, only reads it now.
    await expect(list.buttons(laptop14)).toHaveText(['Open']);
    await shot(page, testInfo, 'flow-items');

    // My Items: jdoe's, not alice's.
    await shell.open('My Items');
    const mine = new MyItemsPage(page);
    // Newest first: Laptop 14, then the demo's three of jdoe's (Standing desk, and Laptop for new hire in each process).
    await expect(mine.created.rows).toHaveCount(4);
    await expect(mine.created.cell(mine.created.rows.first(), 'Title')).toHaveText('Laptop 14');
    await expect(mine.created.cell(mine.created.row('Laptop 14'), 'Flow')).toHaveText(PR);
    await expect(mine.created.row('Monitor arm')).toHaveCount(0); // kchen's
    await expect(mine.assigned.table).toContainText('No items are assigned to you.');
    await mine.created.button(mine.created.row('Laptop 14'), 'Open').click();
    const opened = new ItemFormCard(page, /^Item \d+ Laptop 14$/);
    await expect(opened.field('Vendor')).toHaveValue('Acme');
    await expect(opened.field('Vendor')).toBeDisabled();
    await expect(opened.save).toHaveCount(0);
    await shot(page, testInfo, 'my-items');

    await impersonation.bannerBackToMe.click();
    await expect(impersonation.banner).toHaveCount(0);
    await shell.open('Audit log');
    const log = new AuditLogPage(page);
    const edited = log.record(/^Item \d+ Laptop 14: title Laptop → Laptop 14/);
    await expect(edited).toHaveCount(1);
    await expect(log.cell(edited, 'Username')).toHaveText('jdoe (alice)');
    await expect(log.cell(edited, 'Log')).toHaveText('history');
    const detail = await log.open(edited);
    const changes = detail.getByRole('table', { name: 'Changes' }).locator('tbody tr');
    await expect(changes).toHaveText([
      'titleLaptop → Laptop 14',
      'Amount— → 1250',
      'Needed by— → 2026-12-15',
      'Urgent— → true',
      'Vendor— → Acme',
    ]);
    await expect(detail).not.toContainText('"changes"');

    const submitted = log.record(/^Item \d+ Laptop 14: state draft → in progress/);
    await expect(log.cell(submitted, 'Username')).toHaveText('jdoe (alice)');
    const submitDetail = await log.open(submitted);
    await expect(submitDetail.getByRole('table', { name: 'Changes' }).locator('tbody tr')).toHaveText([
      'statedraft → in progress',
      'assigned to— → pmehta',
    ]);
    await shot(page, testInfo, 'audit-history-diff');
  });

  test('a viewer reads a flow’s items with no action but Open; a non-member sees no flow and no items', async ({
    page,
    console: deputy,
  }) => {
    const created = await callApi(page, deputy, 'items.create', { flow: PR, title: 'Desk', fields: { Amount: 300 } });
    expect(created).toMatchObject({ ok: true });

    // ffinance is a viewer of Purchase Request through the Finance group.
    await signInAs(page, 'ffinance');
    const shell = new ShellPage(page);
    await shell.open('Flows');
    const flows = new MemberFlowsPage(page);
    await expect(flows.flows).toHaveText(['Approved Vendors dataset', 'Purchase Request process']);
    const list = await flows.open(PR);
    const desk = list.row('Desk');
    await expect(list.buttons(desk)).toHaveText(['Open']);
    await expect(flows.newItem).toHaveCount(0);
    await list.button(desk, 'Open').click();
    const opened = new ItemFormCard(page, /^Item \d+ Desk$/);
    await expect(opened.title).toBeDisabled();
    await expect(opened.field('Amount (required)')).toHaveValue('300');
    await expect(opened.save).toHaveCount(0);

    // audrey belongs to no flow: none is listed, and her My Items are empty.
    await signInAs(page, 'audrey');
    await shell.open('Flows');
    await expect(flows.none).toBeVisible();
    await expect(flows.flows).toHaveCount(0);
    await shell.open('My Items');
    const mine = new MyItemsPage(page);
    await expect(mine.created.table).toContainText('You have created no items.');
    await expect(mine.created.rows).toHaveCount(0);
  });

  test('a Flow Admin pages through a flow’s items with More, and deletes one after an in-page confirmation', async ({
    page,
    console: deputy,
  }) => {
    for (let n = 1; n <= 52; n++) {
      const r = await callApi(page, deputy, 'items.create', { flow: PR, title: `Chair ${n}`, fields: { Amount: n } });
      expect(r).toMatchObject({ ok: true });
    }
    await new ShellPage(page).open('Flows');
    const flows = new MemberFlowsPage(page);
    await expect(flows.flows).toHaveText(['Purchase Request process']);
    const list = await flows.open(PR);
    // Newest first, 50 to a page; More brings the two oldest chairs and, older still, the demo's three.
    await expect(list.rows).toHaveCount(50);
    await expect(list.cell(list.rows.first(), 'Title')).toHaveText('Chair 52');
    await list.more.click();
    await expect(list.rows).toHaveCount(52 + DEMO_REQUESTS.length);
    await expect(list.cell(list.rows.nth(51), 'Title')).toHaveText('Chair 1');
    for (const [i, title] of DEMO_REQUESTS.entries()) {
      await expect(list.cell(list.rows.nth(52 + i), 'Title')).toHaveText(title);
    }
    await expect(list.more).toHaveCount(0);

    // alice's own draft, as its Flow Admin: everything but the moves a draft cannot make.
    const chair = list.row('Chair 7');
    await expect(list.buttons(chair)).toHaveText(['Edit', 'Submit', 'Assign', 'Delete']);
    await list.button(chair, 'Delete').click();
    const confirm = new ItemPanel(page, /^Delete item \d+ Chair 7$/, 'Delete');
    await expect(confirm.root).toContainText('Chair 7 in Purchase Request?');
    await confirm.confirm.click();
    await expect(confirm.root).toHaveCount(0);
    await expect(list.row('Chair 7')).toHaveCount(0);
    await expect(list.rows).toHaveCount(51 + DEMO_REQUESTS.length);
  });
});
