// A new portal: its name, its one service account (R-A1), and the objects each of its use cases uses (R-A2).
import { useState } from 'react';
import { api } from '../../api';
import { ActionForm, Field } from '../Form';
import { KIND_LABELS, USE_CASES, USE_CASE_TABLE, type UseCase } from '../../../../shared/portals';
import type { Result } from '../../../../shared/result';

const split = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function NewPortal(props: { onDone(r: Result<unknown>): Promise<void> }) {
  const [name, setName] = useState('');
  const [account, setAccount] = useState('');
  const [objects, setObjects] = useState<Partial<Record<UseCase, string>>>({});
  return (
    <ActionForm
      title="New portal"
      submit="Create portal"
      action={async () => {
        const uses = USE_CASES.filter((u) => split(objects[u] ?? '').length).map((useCase) => ({
          useCase,
          objects: split(objects[useCase] ?? ''),
        }));
        const r = await api['portals.create']({ name, serviceAccount: account, uses });
        await props.onDone(r);
        if (r.ok) {
          setName('');
          setObjects({});
        }
        return r.ok ? null : r.error.message;
      }}
    >
      <Field label="Portal name" value={name} onChange={setName} />
      <Field label="Service account" value={account} onChange={setAccount} />
      {USE_CASES.map((u) => (
        <Field
          key={u}
          label={`Objects to ${USE_CASE_TABLE[u].label}`}
          value={objects[u] ?? ''}
          onChange={(v) => setObjects({ ...objects, [u]: v })}
          hint={`${USE_CASE_TABLE[u].needs.map((n) => KIND_LABELS[n.kind]).join(' and ')}, comma-separated`}
        />
      ))}
    </ActionForm>
  );
}
