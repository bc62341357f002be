// A flow's field list (what its items hold), edited by its Flow Admins (flow.settings): rows of name, type and
// required, saved as one list (flows.setFields, one History record with the list before and after). Others read it.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { FIELD_TYPES, describeFields, type FieldType, type FlowDetail, type FlowField } from '../../../shared/model';
import type { ApiError } from '../../../shared/result';

const same = (a: readonly FlowField[], b: readonly FlowField[]) => JSON.stringify(a) === JSON.stringify(b);

export function FlowFields({ flow, canEdit, onSaved }: { flow: FlowDetail; canEdit: boolean; onSaved(): void }) {
  const [fields, setFields] = useState<FlowField[]>(flow.fields);
  const [error, setError] = useState<ApiError | null>(null);
  // Another save (here or elsewhere) reloads the flow: start again from what main holds.
  useEffect(() => setFields(flow.fields), [flow.fields]);

  const change = (i: number, part: Partial<FlowField>) => {
    setError(null);
    setFields((was) => was.map((f, j) => (j === i ? { ...f, ...part } : f)));
  };

  async function save() {
    const r = await api['flows.setFields']({
      flow: flow.name,
      fields: fields.map((f) => ({ ...f, name: f.name.trim() })),
    });
    setError(r.ok ? null : r.error);
    if (r.ok) onSaved();
  }

  if (!canEdit) {
    return (
      <section aria-label="Fields">
        <h3>Fields</h3>
        <p className="muted">
          {describeFields(flow.fields, 'Its items have a title only.')} Its Flow Admins change the list.
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Fields">
      <h3>Fields</h3>
      <p className="muted">
        What the flow&apos;s items hold besides their title; a required one is needed before an item leaves draft.
      </p>
      {fields.length > 0 && (
        <table aria-label="Field list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Required</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Name of field ${i + 1}`}
                    value={f.name}
                    onChange={(e) => change(i, { name: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Type of field ${i + 1}`}
                    value={f.type}
                    onChange={(e) => change(i, { type: e.target.value as FieldType })}
                  >
                    {FIELD_TYPES.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Field ${i + 1} required`}
                    checked={f.required}
                    onChange={(e) => change(i, { required: e.target.checked })}
                  />
                </td>
                <td>
                  <button
                    aria-label={`Remove field ${i + 1}`}
                    onClick={() => {
                      setError(null);
                      setFields((was) => was.filter((_, j) => j !== i));
                    }}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={error} />
      <div className="row">
        <button onClick={() => setFields((was) => [...was, { name: '', type: 'text', required: false }])}>
          Add field
        </button>
        <button className="primary" disabled={same(fields, flow.fields)} onClick={() => void save()}>
          Save fields
        </button>
        {!same(fields, flow.fields) && <button onClick={() => setFields(flow.fields)}>Undo changes</button>}
      </div>
    </section>
  );
}
