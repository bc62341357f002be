// Design objects and their permission lists: a user, a group or Default (All Other Users) at a level, Deny winning.
import { useState } from 'react';
import { useConfirm } from '../ConfirmDialog';
import { api } from '../../api';
import {
  DESIGN_OBJECT_KINDS,
  KIND_LABELS,
  LEVEL_LABELS,
  granteeLabel,
  levelsOf,
  sameGrantee,
  type DesignObject,
  type DesignObjectKind,
  type Grantee,
  type PermissionEntry,
  type PermissionLevel,
} from '../../../../shared/portals';
import type { Result } from '../../../../shared/result';

type GranteeType = Grantee['type'];

function AddEntry(props: { object: DesignObject; onAdd(entry: PermissionEntry): void }) {
  const [type, setType] = useState<GranteeType>('user');
  const [name, setName] = useState('');
  const levels = levelsOf(props.object.kind);
  const [level, setLevel] = useState<PermissionLevel>('viewer');
  const grantee: Grantee = type === 'default' ? { type } : { type, name: name.trim() };
  // The card is narrow: the entry's controls wrap rather than spill out of it.
  return (
    <div className="row" style={{ flexWrap: 'wrap' }}>
      <select
        aria-label={`Grantee type for ${props.object.name}`}
        value={type}
        onChange={(e) => setType(e.target.value as GranteeType)}
      >
        <option value="user">user</option>
        <option value="group">group</option>
        <option value="default">Default (All Other Users)</option>
      </select>
      {type !== 'default' && (
        <input
          aria-label={`Grantee for ${props.object.name}`}
          placeholder={type === 'user' ? 'username' : 'group'}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      )}
      <select
        aria-label={`Level for ${props.object.name}`}
        value={level}
        onChange={(e) => setLevel(e.target.value as PermissionLevel)}
      >
        {levels.map((l) => (
          <option key={l} value={l}>
            {LEVEL_LABELS[l]}
          </option>
        ))}
      </select>
      <button disabled={type !== 'default' && !name.trim()} onClick={() => props.onAdd({ grantee, level })}>
        Set entry
      </button>
    </div>
  );
}

export function DesignObjects(props: {
  objects: DesignObject[];
  canEdit: boolean;
  act(call: Promise<Result<unknown>>): Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<DesignObjectKind>('record_type');
  const { ask, dialog } = useConfirm();
  const setList = (o: DesignObject, permissions: PermissionEntry[]) =>
    void props.act(api['designObjects.setPermissions']({ name: o.name, permissions }));

  return (
    <section aria-label="Design objects">
      <h2>Design objects</h2>
      <div className="group-grid">
        {props.objects.map((o) => (
          <div key={o.name} className="card" role="group" aria-label={`Design object ${o.name}`}>
            <h3>
              {o.name} <span className="badge">{KIND_LABELS[o.kind]}</span>
            </h3>
            <div className="chips">
              {o.permissions.length === 0 && <span className="muted">No permissions</span>}
              {o.permissions.map((e) => (
                <span key={granteeLabel(e.grantee)} className={e.level === 'deny' ? 'badge status-locked' : 'badge'}>
                  {granteeLabel(e.grantee)}: {LEVEL_LABELS[e.level]}
                  {props.canEdit && (
                    <button
                      className="link"
                      aria-label={`Remove ${granteeLabel(e.grantee)} from ${o.name}`}
                      onClick={() =>
                        setList(
                          o,
                          o.permissions.filter((x) => !sameGrantee(x.grantee, e.grantee)),
                        )
                      }
                    >
                      ×
                    </button>
                  )}
                </span>
              ))}
            </div>
            {props.canEdit && (
              <>
                <AddEntry
                  object={o}
                  onAdd={(entry) =>
                    setList(o, [...o.permissions.filter((x) => !sameGrantee(x.grantee, entry.grantee)), entry])
                  }
                />
                <button
                  onClick={() =>
                    ask({
                      title: `Delete ${o.name}?`,
                      body: (
                        <p>
                          {o.name} and its permission entries are deleted. A snapshot goes to the Record Deletion Log,
                          from which it can be restored.
                        </p>
                      ),
                      confirm: 'Delete object',
                      run: () => props.act(api['designObjects.delete']({ name: o.name })),
                    })
                  }
                >
                  Delete object
                </button>
              </>
            )}
          </div>
        ))}
      </div>
      {props.canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            void props.act(api['designObjects.create']({ name: name.trim(), kind })).then((ok) => ok && setName(''));
          }}
        >
          <input
            aria-label="New design object name"
            placeholder="New design object"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <select
            aria-label="New design object kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as DesignObjectKind)}
          >
            {DESIGN_OBJECT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!name.trim()}>
            Create design object
          </button>
        </form>
      )}
      {dialog}
    </section>
  );
}
