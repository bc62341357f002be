// A new flow, for whoever may bring flows in (policy.import, a Super Admin): its creator becomes its first Flow Admin.
import { useState } from 'react';
import { api } from '../api';
import { ActionForm, Field } from '../components/Form';
import { FLOW_TYPES, type FlowType } from '../../../shared/model';

export function NewFlow({ onCreated }: { onCreated(name: string): void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<FlowType>('process');
  return (
    <ActionForm
      title="New flow"
      submit="Create flow"
      action={async () => {
        const r = await api['flows.create']({ name, type });
        if (!r.ok) return r.error;
        setName('');
        onCreated(r.value.name);
        return null;
      }}
      footer={
        <p className="muted">
          You become its Flow Admin: you add its members and, for a process, board or dataset, the service accounts that
          may impersonate users in it (R-K3, R-K4).
        </p>
      }
    >
      <Field label="Name" name="name" value={name} onChange={setName} />
      <label className="field">
        <span>Type</span>
        <select value={type} onChange={(e) => setType(e.target.value as FlowType)}>
          {FLOW_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
    </ActionForm>
  );
}
