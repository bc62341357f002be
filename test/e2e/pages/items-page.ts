import type { Locator, Page } from '@playwright/test';

/** The buttons a row may offer: only those main lists as allowed for that item. */
export type RowButton = 'Open' | 'Edit' | 'Submit' | 'Assign' | 'Complete' | 'Reopen' | 'Delete';
export const ROW_BUTTONS: readonly RowButton[] = ['Open', 'Edit', 'Submit', 'Assign', 'Complete', 'Reopen', 'Delete'];

/** One list of items (a region and its table of the same name): rows, their actions, "More". */
export class ItemListSection {
  readonly region: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly more: Locator;
  readonly error: Locator;

  constructor(
    readonly page: Page,
    readonly label: string,
  ) {
    this.region = page.getByRole('region', { name: label, exact: true });
    this.table = this.region.getByRole('table', { name: label, exact: true });
    this.rows = this.table.locator('tbody tr').filter({ has: page.getByRole('button') });
    this.more = this.region.getByRole('button', { name: 'More', exact: true });
    this.error = this.region.getByRole('alert');
  }

  /** The row of the item with this title. */
  row(title: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name: title, exact: true }) });
  }

  /** One cell of a row, by column. */
  cell(row: Locator, column: '#' | 'Title' | 'Flow' | 'State' | 'Created by' | 'Assigned to' | 'Updated'): Locator {
    const index = ['#', 'Title', 'Flow', 'State', 'Created by', 'Assigned to', 'Updated'].indexOf(column);
    return row.getByRole('cell').nth(index);
  }

  button(row: Locator, name: RowButton): Locator {
    return row.getByRole('button', { name, exact: true });
  }

  /** The action buttons the row offers, by name, in order. */
  buttons(row: Locator): Locator {
    return row.getByRole('cell').last().getByRole('button');
  }
}

/** The form of one item (edit, open, or new): title, the flow's fields by label, Save/Create, and main's errors. */
export class ItemFormCard {
  readonly root: Locator;
  readonly title: Locator;
  readonly save: Locator;
  readonly create: Locator;
  readonly close: Locator;
  readonly errors: Locator;

  constructor(
    readonly page: Page,
    readonly name: string | RegExp,
  ) {
    this.root = page.getByRole('form', { name, ...(typeof name === 'string' ? { exact: true } : {}) });
    this.title = this.root.getByRole('textbox', { name: 'Title', exact: true });
    this.save = this.root.getByRole('button', { name: 'Save', exact: true });
    this.create = this.root.getByRole('button', { name: 'Create', exact: true });
    this.close = this.root.getByRole('button', { name: 'Close', exact: true });
    this.errors = this.root.getByRole('alert');
  }

  /** The input of a flow field, by its label (`Amount (required)`, `Vendor`). */
  field(label: string): Locator {
    return this.root.getByLabel(label, { exact: true });
  }
}

/** A small action form under a list: "Submit item 3 Laptop", "Assign …", "Delete …". */
export class ItemPanel {
  readonly root: Locator;
  readonly assignee: Locator;
  readonly confirm: Locator;
  readonly error: Locator;

  constructor(
    readonly page: Page,
    name: RegExp,
    confirm: 'Submit' | 'Assign' | 'Delete',
  ) {
    this.root = page.getByRole('form', { name });
    this.assignee = this.root.getByRole('textbox', { name: /^Assign to/ });
    this.confirm = this.root.getByRole('button', { name: confirm, exact: true });
    this.error = this.root.getByRole('alert');
  }
}

/** The Flows tab's "My flows": the flows the effective user belongs to, and the chosen one's items. */
export class MemberFlowsPage {
  readonly region: Locator;
  readonly flows: Locator;
  readonly none: Locator;
  readonly newItem: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: 'My flows', exact: true });
    this.flows = this.region.getByRole('listitem').getByRole('button');
    this.none = this.region.getByText('You are not a member of any process, board or dataset.', { exact: true });
    this.newItem = this.region.getByRole('button', { name: 'New item', exact: true });
  }

  /** Chooses a flow and returns its items list. */
  async open(flow: string): Promise<ItemListSection> {
    await this.region.getByRole('button', { name: flow, exact: true }).click();
    return new ItemListSection(this.page, `Items of ${flow}`);
  }

  newItemForm(flow: string): ItemFormCard {
    return new ItemFormCard(this.page, `New item in ${flow}`);
  }
}

/** The My Items tab: Created by me, Assigned to me. */
export class MyItemsPage {
  readonly created: ItemListSection;
  readonly assigned: ItemListSection;

  constructor(readonly page: Page) {
    this.created = new ItemListSection(page, 'Created by me');
    this.assigned = new ItemListSection(page, 'Assigned to me');
  }
}
