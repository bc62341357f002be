// One paged list of items with its row actions: the table, "More", and under it the form the chosen action
// opens. Every change goes to main; after it the lists reload (onChanged), so what is shown is what main holds.
import { useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../Form';
import { ItemForm, type ItemDraft } from './ItemForm';
import { AssignPanel, DeletePanel, SubmitPanel } from './ItemPanels';
import { ItemTable, type RowAction } from './ItemTable';
import { fieldPatch, formValues } from './fieldForm';
import type { ItemPages } from './useItemPages';
import type { FlowField, Item, ItemPage, ListedItem } from '../../../../shared/model';
import type { ApiError, Result } from '../../../../shared/result';

/** A flow's field list, to edit an item of it. */
export type FieldsOf = (flow: string) => Promise<Result<FlowField[]>>;

type Opened =
  { kind: 'edit'; item: ListedItem; fields: FlowField[] } | { kind: 'submit' | 'assign' | 'delete'; item: ListedItem };

export function ItemList<P extends ItemPage>(props: {
  label: string;
  pages: ItemPages<P>;
  empty: string;
  fieldsOf: FieldsOf;
  onChanged(): void;
}) {
  const { pages, onChanged } = props;
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Runs a change; on success closes the form and reloads, else hands main's refusal to the form. */
  async function change(call: Promise<Result<Item | null>>): Promise<ApiError | null> {
    const r = await call;
    if (!r.ok) return r.error;
    setOpened(null);
    setError(null);
    onChanged();
    return null;
  }

  async function onAction(action: RowAction, item: ListedItem) {
    setError(null);
    if (action === 'open' || action === 'update') {
      const fields = await props.fieldsOf(item.flow);
      if (fields.ok) setOpened({ kind: 'edit', item, fields: fields.value });
      else setError(fields.error.message);
    } else if (action === 'complete' || action === 'reopen') {
      setOpened(null);
      const refused = await change(api[`items.${action}`]({ id: item.id }));
      setError(refused?.message ?? null);
    } else {
      setOpened({ kind: action, item });
    }
  }

  const close = () => setOpened(null);

  return (
    <section className="item-list" aria-label={props.label}>
      <h2>{props.label}</h2>
      <ErrorNote message={pages.error ?? error} />
      <ItemTable label={props.label} items={pages.items} empty={props.empty} onAction={(a, i) => void onAction(a, i)} />
      {pages.more && (
        <footer className="pager">
          <span>{pages.items.length} shown</span>
          <button onClick={pages.more}>More</button>
        </footer>
      )}
      {opened?.kind === 'edit' && (
        <ItemForm
          key={opened.item.id}
          label={`Item ${opened.item.id} ${opened.item.title}`}
          fields={opened.fields}
          initial={{ title: opened.item.title, values: formValues(opened.fields, opened.item.fields) }}
          submitLabel="Save"
          save={
            opened.item.allowed.includes('update')
              ? (draft: ItemDraft) => {
                  const { item, fields } = opened;
                  const title = draft.title.trim() === item.title ? undefined : draft.title;
                  return change(
                    api['items.update']({ id: item.id, title, fields: fieldPatch(fields, item.fields, draft.values) }),
                  );
                }
              : undefined
          }
          onCancel={close}
        />
      )}
      {opened?.kind === 'submit' && (
        <SubmitPanel
          key={opened.item.id}
          item={opened.item}
          submit={(assignTo) => change(api['items.submit']({ id: opened.item.id, assignTo: assignTo ?? undefined }))}
          onCancel={close}
        />
      )}
      {opened?.kind === 'assign' && (
        <AssignPanel
          key={opened.item.id}
          item={opened.item}
          assign={(to) => change(api['items.assign']({ id: opened.item.id, to }))}
          onCancel={close}
        />
      )}
      {opened?.kind === 'delete' && (
        <DeletePanel
          key={opened.item.id}
          item={opened.item}
          remove={() => change(api['items.delete']({ id: opened.item.id }))}
          onCancel={close}
        />
      )}
    </section>
  );
}
