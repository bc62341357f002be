// One card of Deputy's settings: its fields (the children), and a Save that sends the card's change and says what
// was saved, or main's refusal. The Session, Sign-in and Impersonation cards are each one of these.
import { useState, type ReactNode } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import type { Input } from '../../../shared/contract';
import type { Settings } from '../../../shared/model';

export function SettingsCard({
  title,
  canEdit,
  change,
  saved,
  readOnly,
  children,
}: {
  title: string;
  canEdit: boolean;
  /** What Save sends: the card's fields as they stand. */
  change: () => Input<'settings.update'>;
  /** The sentence that confirms the settings main saved. */
  saved: (settings: Settings) => string;
  /** Said instead of the Save button to someone who may not change these settings. */
  readOnly?: string;
  children: ReactNode;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setMessage(null);
    const r = await api['settings.update'](change());
    setError(r.ok ? null : r.error.message);
    if (r.ok) setMessage(saved(r.value));
  }

  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
      <ErrorNote message={error} />
      {message && <p role="status">{message}</p>}
      {canEdit ? (
        <button className="primary" onClick={() => void save()}>
          Save
        </button>
      ) : (
        readOnly && <p className="muted">{readOnly}</p>
      )}
    </section>
  );
}
