// The title and the flow's fields of one item, each in an input of its type, with main's error beside the form
// and, when main names a field (`title`, `fields.<name>`), beside that field.
import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../Form';
import type { FieldType, FlowField } from '../../../../shared/model';
import type { ApiError } from '../../../../shared/result';
import type { FormValue, FormValues } from './fieldForm';

const INPUT_TYPES: Record<Exclude<FieldType, 'boolean'>, string> = { text: 'text', number: 'number', date: 'date' };

function FieldInput(props: { field: FlowField; value: FormValue; disabled: boolean; onChange(v: FormValue): void }) {
  const { field, value, disabled } = props;
  const label = `${field.name}${field.required ? ' (required)' : ''}`;
  if (field.type === 'boolean') {
    return (
      <label className="check">
        <input
          type="checkbox"
          checked={value === true}
          disabled={disabled}
          onChange={(e) => props.onChange(e.target.checked)}
        />
        {label}
      </label>
    );
  }
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type={INPUT_TYPES[field.type]}
        step={field.type === 'number' ? 'any' : undefined}
        value={typeof value === 'string' ? value : ''}
        disabled={disabled}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

export interface ItemDraft {
  title: string;
  values: FormValues;
}

/** `save` is omitted when the caller may only read: then the inputs are shown, disabled, with no button. */
export function ItemForm(props: {
  label: string;
  fields: readonly FlowField[];
  initial: ItemDraft;
  submitLabel: string;
  save?: (draft: ItemDraft) => Promise<ApiError | null>;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState<ItemDraft>(props.initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const { save } = props;
  const readOnly = save === undefined;
  const fieldError = (name: string) => (error?.field === name ? <ErrorNote message={error.message} /> : null);
  const besideAField = error?.field === 'title' || props.fields.some((f) => error?.field === `fields.${f.name}`);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!save) return;
    setBusy(true);
    setError(await save(draft));
    setBusy(false);
  }

  return (
    <form className="card item-form" aria-label={props.label} onSubmit={(e) => void onSubmit(e)}>
      <h2>{props.label}</h2>
      <label className="field">
        <span>Title</span>
        <input
          value={draft.title}
          disabled={readOnly}
          autoFocus
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        />
      </label>
      {fieldError('title')}
      {props.fields.map((f) => (
        <div key={f.name}>
          <FieldInput
            field={f}
            value={draft.values[f.name] ?? (f.type === 'boolean' ? false : '')}
            disabled={readOnly}
            onChange={(v) => setDraft({ ...draft, values: { ...draft.values, [f.name]: v } })}
          />
          {fieldError(`fields.${f.name}`)}
        </div>
      ))}
      {error && !besideAField && <ErrorNote message={error.message} />}
      <div className="row">
        {!readOnly && (
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Working…' : props.submitLabel}
          </button>
        )}
        <button type="button" onClick={props.onCancel}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
