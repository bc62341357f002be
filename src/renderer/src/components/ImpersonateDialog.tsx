// "Impersonate…": search (two characters at least), recent people, reason, ticket and duration (R-S3, R-S10).
// From the search field, the arrow keys walk through the people listed and Enter picks the one focused.
import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api } from '../api';
import { ErrorNote } from './Form';
import { useDialog } from './useDialog';
import { principalLabel, type ImpersonationCandidate, type Settings } from '../../../shared/model';

/** Moves focus among the enabled person buttons of the dialog (Up/Down, Home/End); from the search field, Down enters. */
function walkPeople(e: KeyboardEvent<HTMLFormElement>) {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const target = e.target as HTMLElement;
  const inSearch = target.dataset.search !== undefined;
  if (!inSearch && !target.classList.contains('candidate')) return;
  if (inSearch && e.key !== 'ArrowDown') return;
  const people = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.candidate:not([disabled])')];
  if (people.length === 0) return;
  e.preventDefault();
  const at = people.indexOf(target as HTMLButtonElement);
  // Up from the first person goes back to the search field.
  if (e.key === 'ArrowUp' && at === 0) return e.currentTarget.querySelector<HTMLElement>('[data-search]')?.focus();
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? people.length - 1 : e.key === 'ArrowDown' ? at + 1 : at - 1;
  people[Math.min(Math.max(next, 0), people.length - 1)]?.focus();
}

export function ImpersonateDialog({ onClose, onStarted }: { onClose(): void; onStarted(): void }) {
  const { props, titleId } = useDialog<HTMLFormElement>(onClose);
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
            aria-pressed={chosen?.username === c.username}
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
      <form {...props} className="card dialog" role="dialog" onSubmit={(e) => void start(e)} onKeyDown={walkPeople}>
        <h2 id={titleId}>Impersonate</h2>
        <label className="field">
          <span>Find a person</span>
          <input
            data-initial-focus
            data-search
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
          <span>Reason (required)</span>
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
