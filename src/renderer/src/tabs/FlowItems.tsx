// The Flows tab for members: the processes, boards and datasets whose items the effective user may read
// (flows.mine), and for the chosen one its items with "New item" when main says the user may create one.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { ItemForm, type ItemDraft } from '../components/items/ItemForm';
import { ItemList } from '../components/items/ItemList';
import { fieldPatch, formValues } from '../components/items/fieldForm';
import { useItemPages, type LoadItems } from '../components/items/useItemPages';
import type { FlowField, FlowItemPage, MemberFlow } from '../../../shared/model';
import type { ApiError } from '../../../shared/result';

function NewItem(props: { flow: string; fields: FlowField[]; onCreated(): void; onCancel(): void }) {
  const { flow, fields } = props;
  async function create(draft: ItemDraft): Promise<ApiError | null> {
    const r = await api['items.create']({ flow, title: draft.title, fields: fieldPatch(fields, {}, draft.values) });
    if (!r.ok) return r.error;
    props.onCreated();
    return null;
  }
  return (
    <ItemForm
      label={`New item in ${flow}`}
      fields={fields}
      initial={{ title: '', values: formValues(fields, {}) }}
      submitLabel="Create"
      save={create}
      onCancel={props.onCancel}
    />
  );
}

export function FlowItems({ flow }: { flow: string }) {
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const load = useCallback<LoadItems<FlowItemPage>>(
    (cursor, limit) => api['items.list']({ flow, cursor, limit }),
    [flow],
  );
  const pages = useItemPages(load, version);
  const fields = pages.last?.fields ?? [];
  return (
    <div className="flow-items">
      {pages.last?.mayCreate && !creating && <button onClick={() => setCreating(true)}>New item</button>}
      {creating && (
        <NewItem
          flow={flow}
          fields={fields}
          onCreated={() => {
            setCreating(false);
            changed();
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <ItemList
        label={`Items of ${flow}`}
        pages={pages}
        empty={`${flow} holds no items yet.`}
        fieldsOf={() => Promise.resolve({ ok: true, value: fields })}
        onChanged={changed}
      />
    </div>
  );
}

/** The flows the effective user belongs to, as buttons; the chosen one's items under them. */
/** `version`: moved by the Flows tab whenever a flow or its members change, so that a new membership shows at once. */
export function MemberFlowItems({ version = 0 }: { version?: number }) {
  const [flows, setFlows] = useState<MemberFlow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    void api['flows.mine']({}).then((r) => {
      setError(r.ok ? null : r.error.message);
      if (r.ok) setFlows(r.value);
    });
  }, [version]);
  return (
    <section className="card member-flows" aria-label="My flows">
      <h2>My flows</h2>
      <ErrorNote message={error} />
      {flows?.length === 0 && <p className="muted">You are not a member of any process, board or dataset.</p>}
      <ul className="plain">
        {flows?.map((f) => (
          <li key={f.name}>
            <button aria-label={f.name} aria-pressed={chosen === f.name} onClick={() => setChosen(f.name)}>
              {f.name} <span className="badge">{f.type}</span>
            </button>
          </li>
        ))}
      </ul>
      {chosen && <FlowItems key={chosen} flow={chosen} />}
    </section>
  );
}
