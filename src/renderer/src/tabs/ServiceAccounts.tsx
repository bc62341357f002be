// Service accounts: list with dormancy and rotation flags, create, and one account's keys and resources.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { usePermissions } from '../stores/permissions';
import { ServiceAccountDetail } from './ServiceAccountDetail';
import type { KeychainStatus, ServiceAccountSummary } from '../../../shared/model';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'never');

export function ServiceAccounts({ keychain }: { keychain: KeychainStatus }) {
  const can = usePermissions((s) => s.can);
  const [rows, setRows] = useState<ServiceAccountSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await api['serviceAccounts.list']({});
    if (r.ok) setRows(r.value);
    else setError(r.error.message);
  }, []);
  useEffect(() => void load(), [load]);

  async function create() {
    const r = await api['serviceAccounts.create']({ username: username.trim(), displayName: displayName.trim() });
    setError(r.ok ? null : r.error.message);
    if (!r.ok) return;
    setRows(r.value);
    setSelected(username.trim());
    setUsername('');
    setDisplayName('');
  }

  return (
    <div className="service-accounts">
      {can['serviceAccount.create'] && (
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            if (username.trim() && displayName.trim()) void create();
          }}
        >
          <label className="filter">
            <span>Username</span>
            <input
              aria-label="New service account username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <label className="filter">
            <span>Display name</span>
            <input
              aria-label="New service account display name"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </label>
          <button
            type="submit"
            className="primary"
            disabled={!username.trim() || !displayName.trim()}
            title={username.trim() && !displayName.trim() ? 'Enter a display name.' : undefined}
          >
            Create service account
          </button>
        </form>
      )}
      <ErrorNote message={error} />
      <table aria-label="Service accounts">
        <thead>
          <tr>
            <th>Service account</th>
            <th>Status</th>
            <th>Keys</th>
            <th>Last used</th>
            <th>Flags</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.username} className={selected === s.username ? 'selected' : ''}>
              <td>
                <button className="link" onClick={() => setSelected(s.username)}>
                  {s.displayName ? `${s.displayName} (${s.username})` : s.username}
                </button>{' '}
                <span className="badge kind-service">service account</span>
              </td>
              <td>
                <span className={`badge status-${s.status}`}>{s.status}</span>
              </td>
              <td>{s.keys}</td>
              <td className="mono">{day(s.lastUsedAt)}</td>
              <td>
                {s.dormant && <span className="badge warn">dormant</span>}
                {s.keysDueForRotation > 0 && (
                  <span className="badge warn">
                    {s.keysDueForRotation} key{s.keysDueForRotation === 1 ? '' : 's'} to rotate
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && (
        <ServiceAccountDetail
          key={selected}
          username={selected}
          displayName={rows.find((r) => r.username === selected)?.displayName ?? ''}
          keychain={keychain}
          onChanged={() => void load()}
          onDeleted={() => {
            setSelected(null);
            void load();
          }}
        />
      )}
    </div>
  );
}
