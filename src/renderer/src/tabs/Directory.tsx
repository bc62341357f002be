import { useEffect, useState } from 'react';
import { api } from '../api';
import { PAGE_SIZE, useDirectory } from '../stores/directory';
import { ErrorNote } from '../components/Form';
import { FilterSelect } from '../components/FilterSelect';
import { useConfirm } from '../components/ConfirmDialog';
import { Groups } from './Groups';
import {
  ACCOUNT_ROLES,
  PRINCIPAL_KINDS,
  PRINCIPAL_STATUSES,
  type AccountRole,
  type Principal,
  type PrincipalActions,
} from '../../../shared/model';
import type { Result } from '../../../shared/result';
import { Rule } from '../components/Rule';

const label = (s: string) => s.replace(/_/g, ' ');

/** The status change offered for each status: unlock a locked user, activate an inactive one, deactivate an active one. */
const NEXT_STATUS = {
  locked: { to: 'active', verb: 'Unlock' },
  inactive: { to: 'active', verb: 'Activate' },
  active: { to: 'inactive', verb: 'Deactivate' },
} as const;

/** Main answers what may be done to a row; a row it has not answered for offers nothing. */
const NOTHING: PrincipalActions = { statuses: [], roles: [], delete: false, setPassword: false, rename: false };

/** Only the roles main lets the operator add or remove can be ticked; the others show what is held. */
function RolesEditor(props: {
  p: Principal;
  changeable: readonly AccountRole[];
  onSave(roles: AccountRole[]): void;
  onCancel(): void;
}) {
  const { p, changeable, onSave, onCancel } = props;
  const [roles, setRoles] = useState<AccountRole[]>(p.roles);
  const toggle = (r: AccountRole) => setRoles(roles.includes(r) ? roles.filter((x) => x !== r) : [...roles, r]);
  return (
    <div className="roles-editor" role="group" aria-label={`Roles of ${p.username}`}>
      {ACCOUNT_ROLES.map((r) => (
        <label key={r} className="check">
          <input
            type="checkbox"
            checked={roles.includes(r)}
            disabled={!changeable.includes(r)}
            onChange={() => toggle(r)}
          />
          {label(r)}
        </label>
      ))}
      <button className="primary" onClick={() => onSave(roles)}>
        Save roles
      </button>
      <button onClick={onCancel}>Cancel</button>
    </div>
  );
}

/** A new password typed once, sent once, and dropped from the form with it. */
function PasswordEditor({ p, onSave, onCancel }: { p: Principal; onSave(password: string): void; onCancel(): void }) {
  const [password, setPassword] = useState('');
  return (
    <form
      className="row"
      aria-label={`Password of ${p.username}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(password);
        setPassword('');
      }}
    >
      <input
        type="password"
        autoComplete="new-password"
        aria-label={`New password for ${p.username}`}
        placeholder="at least 12 characters"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button className="primary" type="submit">
        Set password
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** A display name typed and saved; never empty (main refuses an empty one too). */
function NameEditor({ p, onSave, onCancel }: { p: Principal; onSave(name: string): void; onCancel(): void }) {
  const [name, setName] = useState(p.displayName);
  return (
    <form
      className="row"
      aria-label={`Display name of ${p.username}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(name);
      }}
    >
      <input
        aria-label={`New display name for ${p.username}`}
        value={name}
        autoFocus
        onChange={(e) => setName(e.target.value)}
      />
      <button className="primary" type="submit" disabled={!name.trim()}>
        Save name
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** New person or guest: active, no account role (given under Roles… afterwards), a password optional. */
function CreatePerson({ onCreated }: { onCreated(username: string): void }) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [kind, setKind] = useState<'human' | 'guest'>('human');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) return <button onClick={() => setOpen(true)}>New person…</button>;
  return (
    <form
      className="card"
      aria-label="New person"
      onSubmit={(e) => {
        e.preventDefault();
        void api['directory.create']({ username, displayName, kind, ...(password ? { password } : {}) }).then((r) => {
          setError(r.ok ? null : r.error.message);
          if (!r.ok) return;
          setPassword('');
          setOpen(false);
          onCreated(r.value.username);
        });
      }}
    >
      <label className="field">
        <span>Username</span>
        <input value={username} autoComplete="off" autoFocus onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="field">
        <span>Display name</span>
        <input value={displayName} autoComplete="off" onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label className="field">
        <span>Kind</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as 'human' | 'guest')}>
          <option value="human">person</option>
          <option value="guest">guest</option>
        </select>
      </label>
      <label className="field">
        <span>Password (optional)</span>
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <small>At least 12 characters; without one they cannot sign in until an administrator sets it.</small>
      </label>
      <ErrorNote message={error} />
      <div className="row">
        <button className="primary" type="submit">
          Create
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function Directory() {
  const d = useDirectory();
  const { load, setFilter } = d;
  const [editing, setEditing] = useState<string | null>(null);
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [mayCreate, setMayCreate] = useState(false);
  useEffect(() => {
    void api['access.canI']({ checks: [{ action: 'directory.write', resource: 'account' }] }).then(
      (r) => r.ok && setMayCreate(r.value[0] === true),
    );
  }, []);
  const [actionError, setActionError] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();
  useEffect(() => void load(undefined, [undefined]), [load]);

  const may = (p: Principal) => d.allowed[p.username] ?? NOTHING;
  async function act(call: Promise<Result<Principal | null>>) {
    const r = await call;
    setActionError(r.ok ? null : r.error.message);
    if (r.ok) {
      setEditing(null);
      setPasswordFor(null);
      setRenaming(null);
    }
    await load(d.cursors.at(-1), d.cursors);
  }

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
        <FilterSelect
          label="Kind"
          value={d.filter.kind}
          options={PRINCIPAL_KINDS}
          onChange={(kind) => void setFilter({ kind })}
        />
        <FilterSelect
          label="Status"
          value={d.filter.status}
          options={PRINCIPAL_STATUSES}
          onChange={(status) => void setFilter({ status })}
        />
        <FilterSelect
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
        {mayCreate && <CreatePerson onCreated={(username) => void setFilter({ search: username })} />}
      </div>
      <ErrorNote message={d.error ?? actionError} />
      <div className="table-scroll">
        <table aria-label="Directory" aria-busy={d.loading}>
          <thead>
            <tr>
              <th>Username</th>
              <th>Display name</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Roles</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((p) => (
              <tr key={p.id}>
                <td className="mono">{p.username}</td>
                <td>
                  {renaming === p.username ? (
                    <NameEditor
                      p={p}
                      onCancel={() => setRenaming(null)}
                      onSave={(displayName) =>
                        void act(api['directory.setDisplayName']({ username: p.username, displayName }))
                      }
                    />
                  ) : (
                    <>
                      {p.displayName || <em className="muted">(empty — fix it)</em>}
                      {may(p).rename && (
                        <button
                          className="link"
                          aria-label={`Edit display name of ${p.username}`}
                          onClick={() => setRenaming(p.username)}
                        >
                          Edit
                        </button>
                      )}
                    </>
                  )}
                </td>
                <td>
                  <span className={`badge kind-${p.kind}`}>{p.kind === 'service' ? 'service account' : p.kind}</span>
                </td>
                <td>
                  <span className={`badge status-${p.status}`}>{p.status}</span>
                </td>
                <td>
                  {editing === p.username ? (
                    <RolesEditor
                      p={p}
                      changeable={may(p).roles}
                      onCancel={() => setEditing(null)}
                      onSave={(roles) => void act(api['directory.setRoles']({ username: p.username, roles }))}
                    />
                  ) : (
                    p.roles.map(label).join(', ') || <span className="muted">—</span>
                  )}
                </td>
                <td className="actions">
                  {passwordFor === p.username && (
                    <PasswordEditor
                      p={p}
                      onCancel={() => setPasswordFor(null)}
                      onSave={(password) => void act(api['directory.setPassword']({ username: p.username, password }))}
                    />
                  )}
                  {may(p).setPassword && passwordFor !== p.username && (
                    <button aria-label={`Set password of ${p.username}`} onClick={() => setPasswordFor(p.username)}>
                      Password…
                    </button>
                  )}
                  {may(p).statuses.includes(NEXT_STATUS[p.status].to) && (
                    <button
                      aria-label={`${NEXT_STATUS[p.status].verb} ${p.username}`}
                      onClick={() => {
                        const setStatus = () =>
                          act(api['directory.setStatus']({ username: p.username, status: NEXT_STATUS[p.status].to }));
                        // Unlocking and activating give access back; only deactivating takes it away.
                        if (p.status !== 'active') return void setStatus();
                        ask({
                          title: `Deactivate ${p.username}?`,
                          body: (
                            <p>
                              {p.displayName || p.username} can no longer sign in, an open session of theirs ends at
                              their next action, and nobody can impersonate them until they are activated again.
                              <Rule id="R-S4" />
                            </p>
                          ),
                          confirm: 'Deactivate',
                          run: setStatus,
                        });
                      }}
                    >
                      {NEXT_STATUS[p.status].verb}
                    </button>
                  )}
                  {may(p).delete && (
                    <button
                      aria-label={`Delete ${p.username}`}
                      onClick={() =>
                        ask({
                          title: `Delete ${p.username}?`,
                          body: (
                            <p>
                              {p.displayName || p.username} is deleted with their roles and memberships. A snapshot goes
                              to the Record Deletion Log, from which it can be restored.
                            </p>
                          ),
                          confirm: 'Delete',
                          run: () => act(api['directory.delete']({ username: p.username })),
                        })
                      }
                    >
                      Delete
                    </button>
                  )}
                  {may(p).roles.length > 0 && editing !== p.username && (
                    <button aria-label={`Edit roles of ${p.username}`} onClick={() => setEditing(p.username)}>
                      Roles…
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {d.rows.length === 0 && !d.loading && (
              <tr>
                <td colSpan={6} className="muted">
                  No principals match these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
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
      <Groups />
      {dialog}
    </div>
  );
}
