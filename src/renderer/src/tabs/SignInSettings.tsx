// Sign-in settings (issue 23): how long a lockout by failed sign-ins lasts. Its changes go to History like every
// setting's; the lockout's end is recorded there too.
import { useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import type { Settings } from '../../../shared/model';

export function SignInSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [minutes, setMinutes] = useState(String(initial.signInLockoutMinutes));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    const r = await api['settings.update']({ signInLockoutMinutes: Number(minutes) });
    setError(r.ok ? null : r.error.message);
    setMessage(
      !r.ok
        ? null
        : r.value.signInLockoutMinutes === 0
          ? 'Saved: a locked account stays locked until an administrator unlocks it.'
          : `Saved: a lockout by failed sign-ins ends after ${r.value.signInLockoutMinutes} minutes.`,
    );
  }

  return (
    <section className="card" aria-label="Sign-in">
      <h2>Sign-in</h2>
      <label className="field">
        <span>After 5 wrong passwords, lock the account for this many minutes (0: until an administrator unlocks)</span>
        <input
          type="number"
          min={0}
          max={1440}
          value={minutes}
          disabled={!canEdit}
          onChange={(e) => setMinutes(e.target.value)}
        />
        <small>An account locked any other way stays locked until an administrator unlocks it.</small>
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
