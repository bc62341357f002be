// Impersonation settings (R-S10): the longest a session may last, and whether a reason is required.
import { useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import type { Settings } from '../../../shared/model';

export function ImpersonationSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [minutes, setMinutes] = useState(String(initial.impersonationMinutes));
  const [requireReason, setRequireReason] = useState(initial.requireImpersonationReason);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    const r = await api['settings.update']({
      impersonationMinutes: Number(minutes),
      requireImpersonationReason: requireReason,
    });
    setError(r.ok ? null : r.error.message);
    setMessage(r.ok ? `Saved: sessions last at most ${r.value.impersonationMinutes} minutes.` : null);
  }

  return (
    <section className="card" aria-label="Impersonation">
      <h2>Impersonation</h2>
      <label className="field">
        <span>Longest session, in minutes (at most 480)</span>
        <input
          type="number"
          min={1}
          max={480}
          value={minutes}
          disabled={!canEdit}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={requireReason}
          disabled={!canEdit}
          onChange={(e) => setRequireReason(e.target.checked)}
        />
        A reason is required to start a session
      </label>
      <ErrorNote message={error} />
      {message && <p role="status">{message}</p>}
      {canEdit && (
        <button className="primary" onClick={() => void save()}>
          Save
        </button>
      )}
    </section>
  );
}
