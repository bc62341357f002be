import { useEffect } from 'react';
import { PAGE_SIZE, useDirectory } from '../stores/directory';
import { ErrorNote } from '../components/Form';
import { ACCOUNT_ROLES, PRINCIPAL_KINDS, PRINCIPAL_STATUSES } from '../../../shared/model';

const label = (s: string) => s.replace(/_/g, ' ');

function Select<T extends string>(props: {
  label: string;
  value: T | '';
  options: readonly T[];
  onChange(v: T | ''): void;
}) {
  return (
    <label className="filter">
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value as T | '')}>
        <option value="">Any</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Directory() {
  const d = useDirectory();
  const { load, setFilter } = d;
  useEffect(() => void load(undefined, [undefined]), [load]);

  const page = d.cursors.length;
  const first = d.total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = (page - 1) * PAGE_SIZE + d.rows.length;

  return (
    <div className="directory">
      <div className="toolbar">
        <label className="filter grow">
          <span>Search</span>
          <input
            type="search"
            placeholder="Username or display name"
            value={d.filter.search}
            onChange={(e) => void setFilter({ search: e.target.value })}
          />
        </label>
        <Select
          label="Kind"
          value={d.filter.kind}
          options={PRINCIPAL_KINDS}
          onChange={(kind) => void setFilter({ kind })}
        />
        <Select
          label="Status"
          value={d.filter.status}
          options={PRINCIPAL_STATUSES}
          onChange={(status) => void setFilter({ status })}
        />
        <Select
          label="Role"
          value={d.filter.role}
          options={ACCOUNT_ROLES}
          onChange={(role) => void setFilter({ role })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={d.filter.emptyDisplayName}
            onChange={(e) => void setFilter({ emptyDisplayName: e.target.checked })}
          />
          Empty display name only
        </label>
      </div>
      <ErrorNote message={d.error} />
      <table aria-label="Directory" aria-busy={d.loading}>
        <thead>
          <tr>
            <th>Username</th>
            <th>Display name</th>
            <th>Kind</th>
            <th>Status</th>
            <th>Roles</th>
          </tr>
        </thead>
        <tbody>
          {d.rows.map((p) => (
            <tr key={p.id}>
              <td className="mono">{p.username}</td>
              <td>{p.displayName || <em className="muted">(empty — fix it)</em>}</td>
              <td>
                <span className={`badge kind-${p.kind}`}>{p.kind === 'service' ? 'service account' : p.kind}</span>
              </td>
              <td>
                <span className={`badge status-${p.status}`}>{p.status}</span>
              </td>
              <td>{p.roles.map(label).join(', ') || <span className="muted">—</span>}</td>
            </tr>
          ))}
          {d.rows.length === 0 && !d.loading && (
            <tr>
              <td colSpan={5} className="muted">
                No principals match these filters.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <footer className="pager">
        <span aria-label="Showing">
          {first}–{last} of {d.total}
        </span>
        <button disabled={page <= 1 || d.loading} onClick={() => void d.previousPage()}>
          Previous
        </button>
        <button disabled={!d.next || d.loading} onClick={() => void d.nextPage()}>
          Next
        </button>
      </footer>
    </div>
  );
}
