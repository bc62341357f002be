// A portal's service account (R-A1) and the objects each of its use cases uses (R-A2): the fields of a new portal and
// of a portal's edit form alike. Objects are typed by name, comma-separated; main checks every one and says which is
// wrong.
import { useId, useState } from 'react';
import { ActionForm, Field } from '../Form';
import { PeopleList } from '../PeopleList';
import {
  KIND_LABELS,
  USE_CASES,
  USE_CASE_TABLE,
  type Portal,
  type PortalUse,
  type UseCase,
} from '../../../../shared/portals';

const split = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const objectsOf = (uses: readonly PortalUse[]): Partial<Record<UseCase, string>> =>
  Object.fromEntries(uses.map((u) => [u.useCase, u.objects.join(', ')]));

export function PortalForm(props: {
  title: string;
  submit: string;
  /** The portal being edited (its name is kept); none for a new portal. */
  initial?: Portal;
  /** Saves; answers an error message, or null when saved. */
  save(portal: Portal): Promise<string | null>;
  onCancel?(): void;
}) {
  const [name, setName] = useState(props.initial?.name ?? '');
  const [account, setAccount] = useState(props.initial?.serviceAccount ?? '');
  const accounts = useId();
  const [objects, setObjects] = useState(objectsOf(props.initial?.uses ?? []));
  return (
    <ActionForm
      title={props.title}
      submit={props.submit}
      action={async () => {
        const uses = USE_CASES.filter((u) => split(objects[u] ?? '').length).map((useCase) => ({
          useCase,
          objects: split(objects[useCase] ?? ''),
        }));
        const error = await props.save({ name, serviceAccount: account, uses });
        if (error === null && !props.initial) {
          setName('');
          setObjects({});
        }
        return error;
      }}
      footer={
        props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )
      }
    >
      {!props.initial && <Field label="Portal name" value={name} onChange={setName} />}
      <PeopleList id={accounts} kind="service" />
      <Field label="Service account" value={account} onChange={setAccount} list={accounts} />
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
