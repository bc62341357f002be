// Groups and their members, under the directory. The system group is shown but kept by Deputy.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { PeopleList } from '../components/PeopleList';
import { ErrorNote } from '../components/Form';
import { useConfirm } from '../components/ConfirmDialog';
import { usePermissions } from '../stores/permissions';
import type { GroupSummary } from '../../../shared/model';
import type { Result } from '../../../shared/result';

export function Groups() {
  const [groups, setGroups] = useState<GroupSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [newGroup, setNewGroup] = useState('');
  const [adding, setAdding] = useState<Record<string, string>>({});
  const canEdit = usePermissions((s) => s.can['directory.write'] === true);
  const { ask, dialog } = useConfirm();

  useEffect(() => {
    void api['groups.list']({}).then((r) => (r.ok ? setGroups(r.value) : setError(r.error.message)));
  }, []);

  async function act(call: Promise<Result<GroupSummary[]>>) {
    const r = await call;
    if (r.ok) setGroups(r.value);
    setError(r.ok ? null : r.error.message);
  }

  return (
    <section className="groups" aria-label="Groups">
      <h2>Groups</h2>
      <ErrorNote message={error} />
      <div className="group-grid">
        {groups.map((g) => (
          <div key={g.name} className="card" role="group" aria-label={`Group ${g.name}`}>
            <h3>
              {g.name} {g.system && <span className="badge">system</span>}
            </h3>
            {canEdit && !g.system && (
              <button
                aria-label={`Delete group ${g.name}`}
                onClick={() =>
                  ask({
                    title: `Delete group ${g.name}?`,
                    body: (
                      <p>
                        The group and its {g.members.length} membership{g.members.length === 1 ? '' : 's'} are deleted,
                        with what it grants its members. A snapshot goes to the Record Deletion Log, from which it can
                        be restored.
                      </p>
                    ),
                    confirm: 'Delete group',
                    run: () => act(api['groups.delete']({ name: g.name })),
                  })
                }
              >
                Delete group
              </button>
            )}
            <div className="chips">
              {g.members.length === 0 && <span className="muted">No members</span>}
              {g.members.map((m) => (
                <span key={m} className="badge">
                  {m}
                  {canEdit && !g.system && (
                    <button
                      className="link"
                      aria-label={`Remove ${m} from ${g.name}`}
                      onClick={() => void act(api['groups.setMember']({ group: g.name, username: m, member: false }))}
                    >
                      ×
                    </button>
                  )}
                </span>
              ))}
            </div>
            {canEdit && !g.system && (
              <form
                className="row"
                onSubmit={(e) => {
                  e.preventDefault();
                  const username = (adding[g.name] ?? '').trim();
                  if (!username) return;
                  setAdding({ ...adding, [g.name]: '' });
                  void act(api['groups.setMember']({ group: g.name, username, member: true }));
                }}
              >
                <input
                  aria-label={`Add a member to ${g.name}`}
                  placeholder="username"
                  list="group-members"
                  value={adding[g.name] ?? ''}
                  onChange={(e) => setAdding({ ...adding, [g.name]: e.target.value })}
                />
                <button type="submit" disabled={!adding[g.name]?.trim()}>
                  Add
                </button>
              </form>
            )}
          </div>
        ))}
      </div>
      {canEdit && <PeopleList id="group-members" />}
      {canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!newGroup.trim()) return;
            setNewGroup('');
            void act(api['groups.create']({ name: newGroup.trim() }));
          }}
        >
          <input
            aria-label="New group name"
            placeholder="New group"
            value={newGroup}
            onChange={(e) => setNewGroup(e.target.value)}
          />
          <button type="submit" disabled={!newGroup.trim()}>
            Create group
          </button>
        </form>
      )}
      {dialog}
    </section>
  );
}
