// "Impersonate…": search (two characters at least), recent people, reason, ticket and duration (R-S3, R-S10).
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorNote } from './Form';
import { principalLabel, type ImpersonationCandidate, type Settings } from '../../../shared/model';

export function ImpersonateDialog({ onClose, onStarted }: { onClose(): void; onStarted(): void }) {
  const [query, setQuery] = useState('');
  const [explain, setExplain] = useState(false);
  const [results, setResults] = useState<ImpersonationCandidate[]>([]);
  const [recent, setRecent] = useState<ImpersonationCandidate[]>([]);
  const [chosen, setChosen] = useState<ImpersonationCandidate | null>(null);
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [minutes, setMinutes] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api['impersonation.recent']({}).then((r) => r.ok && setRecent(r.value));
    void api['settings.get']({}).then((r) => {
      if (!r.ok) return;
      setSettings(r.value);
      setMinutes(String(r.value.impersonationMinutes));
    });
  }, []);

  useEffect(() => {
    if (query.trim().length < 2) return setResults([]);
    let current = true;
    void api['impersonation.candidates']({ query, explain }).then((r) => current && r.ok && setResults(r.value));
    return () => {
      current = false;
    };
  }, [query, explain]);

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    const r = await api['impersonation.start']({
      username: chosen.username,
      reason,
      ...(ticket.trim() ? { ticket: ticket.trim() } : {}),
      ...(minutes ? { minutes: Number(minutes) } : {}),
    });
    if (r.ok) onStarted();
    else setError(r.error.message);
  }

  const pick = (c: ImpersonationCandidate) => !c.excluded && setChosen(c);
  const list = (items: ImpersonationCandidate[], label: string) => (
    <ul className="candidates" aria-label={label}>
      {items.map((c) => (
        <li key={c.username}>
          <button
            type="button"
            className={chosen?.username === c.username ? 'candidate chosen' : 'candidate'}
            disabled={Boolean(c.excluded)}
            onClick={() => pick(c)}
          >
            {principalLabel(c)}
          </button>
          {c.excluded && <div className="muted small">{c.excluded}</div>}
        </li>
      ))}
    </ul>
  );

  return (
    <div className="overlay" role="presentation">
      <form
        className="card dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Impersonate"
        onSubmit={(e) => void start(e)}
      >
        <h2>Impersonate</h2>
        <label className="field">
          <span>Find a person</span>
          <input
            autoFocus
            placeholder="Display name or username — two characters at least"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        {query.trim().length > 0 && query.trim().length < 2 && <p className="muted">Type at least two characters.</p>}
        {query.trim().length >= 2 &&
          (results.length ? list(results, 'Matches') : <p className="muted">Nobody you may impersonate matches.</p>)}
        <label className="check">
          <input type="checkbox" checked={explain} onChange={(e) => setExplain(e.target.checked)} />
          Show who is excluded, and why
        </label>
        {recent.length > 0 && query.trim().length < 2 && (
          <>
            <h3>Recent</h3>
            {list(recent, 'Recent')}
          </>
        )}
        <label className="field">
          <span>Reason{settings?.requireImpersonationReason ? ' (required)' : ''}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why — it goes into the logs" />
        </label>
        <div className="grid2">
          <label className="field">
            <span>Ticket (optional)</span>
            <input value={ticket} onChange={(e) => setTicket(e.target.value)} />
          </label>
          <label className="field">
            <span>Minutes (at most {settings?.impersonationMinutes ?? '…'})</span>
            <input
              type="number"
              min={1}
              max={settings?.impersonationMinutes}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          </label>
        </div>
        <ErrorNote message={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={!chosen}>
            {chosen ? `Impersonate ${principalLabel(chosen)}` : 'Choose a person'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
