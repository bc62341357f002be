// The small forms a row action opens under the list: submit (with an optional assignee), assign, and the
// in-page confirmation of a deletion. Each shows main's refusal beside itself.
import { useState, type FormEvent, type ReactNode } from 'react';
import { ErrorNote } from '../Form';
import type { Item } from '../../../../shared/model';
import type { ApiError } from '../../../../shared/result';

type Act = () => Promise<ApiError | null>;

const named = (item: Pick<Item, 'id' | 'title'>) => `item ${item.id} ${item.title}`;

function Panel(props: { label: string; submit: string; act: Act; onCancel(): void; children?: ReactNode }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const refused = await props.act();
    setBusy(false);
    setError(refused ? refused.message : null);
  }
  return (
    <form className="card item-panel" aria-label={props.label} onSubmit={(e) => void onSubmit(e)}>
      <h2>{props.label}</h2>
      {props.children}
      <ErrorNote message={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Working…' : props.submit}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Assignee(props: { label: string; value: string; onChange(v: string): void; hint: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input value={props.value} placeholder="username" onChange={(e) => props.onChange(e.target.value)} />
      <small>{props.hint}</small>
    </label>
  );
}

export function SubmitPanel(props: {
  item: Item;
  submit(assignTo: string | null): Promise<ApiError | null>;
  onCancel(): void;
}) {
  const [assignTo, setAssignTo] = useState(props.item.assignedTo ?? '');
  return (
    <Panel
      label={`Submit ${named(props.item)}`}
      submit="Submit"
      act={() => props.submit(assignTo.trim() || null)}
      onCancel={props.onCancel}
    >
      <Assignee
        label="Assign to (optional)"
        value={assignTo}
        onChange={setAssignTo}
        hint="A participant or Flow Admin of the flow."
      />
    </Panel>
  );
}

export function AssignPanel(props: {
  item: Item;
  assign(to: string | null): Promise<ApiError | null>;
  onCancel(): void;
}) {
  const [to, setTo] = useState(props.item.assignedTo ?? '');
  return (
    <Panel
      label={`Assign ${named(props.item)}`}
      submit="Assign"
      act={() => props.assign(to.trim() || null)}
      onCancel={props.onCancel}
    >
      <Assignee label="Assign to" value={to} onChange={setTo} hint="Leave empty to unassign." />
    </Panel>
  );
}

export function DeletePanel(props: { item: Item; remove(): Promise<ApiError | null>; onCancel(): void }) {
  return (
    <Panel label={`Delete ${named(props.item)}`} submit="Delete" act={props.remove} onCancel={props.onCancel}>
      <p role="note">
        Delete {named(props.item)} in {props.item.flow}? A snapshot goes to the Record Deletion Log, from which it can
        be restored.
      </p>
    </Panel>
  );
}
