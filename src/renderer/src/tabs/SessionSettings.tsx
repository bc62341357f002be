// Session settings: how long an idle console session stays open before it locks.
import { useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import type { Settings } from '../../../shared/model';

export function SessionSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [idle, setIdle] = useState(String(initial.idleLockMinutes));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setMessage(null);
    const r = await api['settings.update']({ idleLockMinutes: Number(idle) });
    setError(r.ok ? null : r.error.message);
    if (r.ok) setMessage(`Saved: the session locks after ${r.value.idleLockMinutes} minutes idle.`);
  }

  return (
    <section className="card" aria-label="Session">
      <h2>Session</h2>
      <label className="field">
        <span>Lock the session after this many minutes idle</span>
        <input
          type="number"
          min={1}
          max={240}
          value={idle}
          disabled={!canEdit}
          onChange={(e) => setIdle(e.target.value)}
        />
      </label>
      <ErrorNote message={error} />
      {message && <p role="status">{message}</p>}
      {canEdit ? (
        <button className="primary" onClick={() => void save()}>
          Save
        </button>
      ) : (
        <p className="muted">Only a Super Admin or IAM Admin changes this setting.</p>
      )}
    </section>
  );
}
