// One service account: its access keys (create, rotate, disable, delete) and associated resources (R-K11).
// Controls over a flow's grants follow main's answer for that flow (access.canI), not the account roles.
import { useCallback, useEffect, useId, useState } from 'react';
import { api } from '../api';
import { ErrorNote, FieldError } from '../components/Form';
import { FilterSelect } from '../components/FilterSelect';
import { SecretOnce } from '../components/SecretOnce';
import { useConfirm, type Confirmation } from '../components/ConfirmDialog';
import { KeychainNeeded } from '../components/KeychainNeeded';
import { canIAll, usePermissions, type CanICheck } from '../stores/permissions';
import {
  FLOW_TYPES,
  type AccessKey,
  type AssociatedResources,
  type FlowType,
  type KeychainStatus,
  type NewAccessKey,
} from '../../../shared/model';
import type { ApiError, Result } from '../../../shared/result';
import { Rule } from '../components/Rule';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'never');

/** Deleting a key cannot be undone: its secret leaves the keychain, and no copy of it exists anywhere else. */
const deleteKey = (keyId: string, run: () => unknown): Confirmation => ({
  title: `Delete access key ${keyId}?`,
  body: (
    <p>
      Its secret is removed from the OS keychain and cannot be recovered: every program that signs in with{' '}
      <span className="mono">{keyId}</span> stops working. This cannot be undone.
    </p>
  ),
  confirm: 'Delete key',
  run,
});

/** What main lets the operator do to this account's flow grants: by flow name, and all at once. */
interface FlowControls {
  revoke: Record<string, boolean>;
  removeMember: Record<string, boolean>;
  removeAll: boolean;
  /** Flows where "remove all" first makes the operator (a Super Admin) Flow Admin, and takes it back after (R-K4). */
  selfAddFor: string[];
}
const NO_FLOW_CONTROLS: FlowControls = { revoke: {}, removeMember: {}, removeAll: false, selfAddFor: [] };

/**
 * One round of questions for every flow shown. Revoking a flow's impersonation access needs Flow Admin of
 * that flow (R-K4), whatever the account roles; "remove all" is offered only when main would allow every
 * part of it, as serviceAccounts.removeAllImpersonation checks each before removing anything: on each flow, revoking,
 * or (a Super Admin) adding oneself as its Flow Admin first.
 */
async function flowControls(r: AssociatedResources): Promise<FlowControls> {
  const onFlow = (action: CanICheck['action'], flow: string): CanICheck => ({ action, resource: `flow:${flow}` });
  // A role held through a group goes with the group's membership, so only direct roles get a remove button.
  const direct = r.memberOf.filter((f) => f.group === undefined);
  const answers = await canIAll([
    { action: 'directory.read', resource: 'account' },
    { action: 'sharedResource.grant', resource: 'account' },
    ...r.impersonationFlows.map((f) => onFlow('flow.impersonation', f.name)),
    ...r.impersonationFlows.map((f) => onFlow('flow.addSelfAsAdmin', f.name)),
    ...direct.map((f) => onFlow('flow.members', f.name)),
  ]);
  if (!answers) return NO_FLOW_CONTROLS;
  const [read, grant, ...perFlow] = answers;
  const n = r.impersonationFlows.length;
  const revokes = perFlow.slice(0, n);
  const selfAdds = perFlow.slice(n, 2 * n);
  const removals = perFlow.slice(2 * n);
  return {
    revoke: Object.fromEntries(r.impersonationFlows.map((f, i) => [f.name, revokes[i] === true])),
    removeMember: Object.fromEntries(direct.map((f, i) => [f.name, removals[i] === true])),
    removeAll: read === true && grant === true && revokes.every((a, i) => a || selfAdds[i] === true),
    selfAddFor: r.impersonationFlows.filter((_, i) => revokes[i] !== true).map((f) => f.name),
  };
}

export function ServiceAccountDetail(props: {
  username: string;
  displayName: string;
  keychain: KeychainStatus;
  onChanged(): void;
  onDeleted(): void;
}) {
  const { username } = props;
  const [name, setName] = useState(props.displayName);
  const [typeFilter, setTypeFilter] = useState<FlowType | ''>('');
  const ofType = <T extends { type: FlowType }>(list: T[]) => list.filter((f) => !typeFilter || f.type === typeFilter);
  const can = usePermissions((s) => s.can);
  const canEdit = can['serviceAccount.update'] === true;
  const [keys, setKeys] = useState<AccessKey[]>([]);
  const [resources, setResources] = useState<AssociatedResources | null>(null);
  const [flowCan, setFlowCan] = useState<FlowControls>(NO_FLOW_CONTROLS);
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<NewAccessKey | null>(null);
  const [rotating, setRotating] = useState<{ old: string; next: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const { ask, dialog } = useConfirm();
  const keychainNote = useId();
  const keychainDown = props.keychain.available ? null : props.keychain;
  // Disabled with main's reason beside them, so no click ends in a refusal the screen could have said first.
  const needsKeychain = keychainDown ? { disabled: true, 'aria-describedby': keychainNote } : {};

  const refresh = useCallback(async () => {
    const [k, r] = await Promise.all([api['keys.list']({ username }), api['serviceAccounts.associated']({ username })]);
    if (k.ok) setKeys(k.value);
    if (r.ok) {
      // Shown together, so a flow never appears with a control main has not answered for yet.
      const controls = await flowControls(r.value);
      setResources(r.value);
      setFlowCan(controls);
    }
    // A reload only reports its own failure; it never hides the result of the action before it.
    if (!k.ok || !r.ok) setError(!k.ok ? k.error : !r.ok ? r.error : null);
  }, [username]);
  useEffect(() => void refresh(), [refresh]);

  async function act(call: Promise<Result<unknown>>) {
    const r = await call;
    setError(r.ok ? null : r.error);
    await refresh();
    props.onChanged();
    return r.ok;
  }

  async function newKey(rotateFrom?: string) {
    const r = await api['keys.create']({ username, days: Number(days) });
    if (!r.ok) return setError(r.error);
    setError(null); // a refusal before (too many days, say) no longer stands
    setCreated(r.value);
    if (rotateFrom) setRotating({ old: rotateFrom, next: r.value.id });
    await refresh();
    props.onChanged();
  }

  return (
    <section className="card sa-detail" aria-label={`Service account ${username}`}>
      <header className="row">
        <h2>{username}</h2>
        {can['serviceAccount.delete'] && (
          <button
            onClick={() =>
              ask({
                title: `Delete service account ${username}?`,
                body: (
                  <p>
                    {username} and all its access keys ({keys.length}) are deleted: the keys' secrets leave the OS
                    keychain and cannot be recovered, and its impersonation access goes with it. A snapshot goes to the
                    Record Deletion Log.
                  </p>
                ),
                confirm: 'Delete service account',
                run: () =>
                  api['serviceAccounts.delete']({ username }).then((r) =>
                    r.ok ? props.onDeleted() : setError(r.error),
                  ),
              })
            }
          >
            Delete service account
          </button>
        )}
      </header>
      {error?.field !== 'days' && <ErrorNote error={error} />}
      {canEdit && (
        <div className="row">
          <label className="filter">
            <span>Display name</span>
            <input aria-label="Display name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button
            disabled={name.trim() === props.displayName}
            onClick={() => void act(api['serviceAccounts.rename']({ username, displayName: name.trim() }))}
          >
            Rename
          </button>
        </div>
      )}

      <h3>Access keys</h3>
      {keychainDown && (
        <KeychainNeeded id={keychainNote} down={keychainDown} doing="Creating, rotating or deleting an access key" />
      )}
      {rotating && (
        <div className="notice rotation" role="status" aria-label="Rotation">
          Rotation: new key <span className="mono">{rotating.next}</span> created. Move your integration to it, then
          <button
            className="link"
            onClick={() => void act(api['keys.setEnabled']({ keyId: rotating.old, enabled: false }))}
          >
            disable the old key
          </button>
          and
          <button
            className="link"
            onClick={() =>
              ask(
                deleteKey(rotating.old, () =>
                  act(api['keys.delete']({ keyId: rotating.old })).then((ok) => ok && setRotating(null)),
                ),
              )
            }
          >
            delete it
          </button>
          .
        </div>
      )}
      <table aria-label="Access keys">
        <thead>
          <tr>
            <th>Access Key ID</th>
            <th>Created</th>
            <th>Expires</th>
            <th>Last used</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td className="mono">{k.id}</td>
              <td className="mono">{day(k.createdAt)}</td>
              <td className="mono">{day(k.expiresAt)}</td>
              <td className="mono">{day(k.lastUsedAt)}</td>
              <td>
                {k.expired ? (
                  <span className="badge status-locked">expired</span>
                ) : k.disabled ? (
                  <span className="badge status-inactive">disabled</span>
                ) : (
                  <span className="badge status-active">active</span>
                )}
                {k.dueForRotation && <span className="badge warn">rotate</span>}
              </td>
              <td className="actions">
                {canEdit && (
                  <>
                    <button {...needsKeychain} onClick={() => void newKey(k.id)}>
                      Rotate…
                    </button>
                    <button onClick={() => void act(api['keys.setEnabled']({ keyId: k.id, enabled: k.disabled }))}>
                      {k.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button
                      {...needsKeychain}
                      onClick={() => ask(deleteKey(k.id, () => act(api['keys.delete']({ keyId: k.id }))))}
                    >
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {keys.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No access keys.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && (
        <div className="row">
          <label className="filter">
            <span>Expires in (days, 1 to 730)</span>
            <input
              aria-label="Key expiry in days"
              type="number"
              min={1}
              max={730}
              value={days}
              aria-invalid={error?.field === 'days' || undefined}
              onChange={(e) => setDays(e.target.value)}
            />
            <FieldError name="days" error={error} />
          </label>
          <button {...needsKeychain} onClick={() => void newKey()}>
            Create access key
          </button>
        </div>
      )}

      <header className="row">
        <h3>Associated resources</h3>
        <FilterSelect<FlowType> label="Flow type" value={typeFilter} options={FLOW_TYPES} onChange={setTypeFilter} />
      </header>
      {resources && (
        <div className="associated">
          <p>
            Shared resources:{' '}
            {resources.sharedResources.length ? (
              resources.sharedResources.join(', ')
            ) : (
              <span className="muted">none</span>
            )}
          </p>
          <p>
            Impersonation access to flows:{' '}
            {ofType(resources.impersonationFlows).length ? (
              ofType(resources.impersonationFlows).map((f) => (
                <span key={f.name} className="badge">
                  {f.name} ({f.type})
                  {flowCan.revoke[f.name] && (
                    <button
                      className="link"
                      aria-label={`Remove impersonation access to ${f.name}`}
                      onClick={() =>
                        ask({
                          title: `Revoke ${username}'s impersonation access to ${f.name}?`,
                          body: (
                            <p>
                              {username} can no longer act as members of {f.name}: programs and integrations that
                              impersonate users there through it are refused until a Flow Admin grants it again.
                              <Rule id="R-K5" />
                            </p>
                          ),
                          confirm: 'Revoke',
                          run: () =>
                            act(
                              api['flows.setImpersonation']({ flow: f.name, serviceAccount: username, enabled: false }),
                            ),
                        })
                      }
                    >
                      ×
                    </button>
                  )}
                </span>
              ))
            ) : (
              <span className="muted">none</span>
            )}
          </p>
          <p>
            Member of (its own rights, apart from impersonation):{' '}
            {ofType(resources.memberOf).length ? (
              ofType(resources.memberOf).map((f) => (
                <span key={JSON.stringify([f.name, f.group])} className="badge">
                  {f.name} ({f.type}): {f.role.replace('_', ' ')}
                  {f.group !== undefined && ` (through group ${f.group})`}
                  {f.group === undefined && flowCan.removeMember[f.name] && (
                    <button
                      className="link"
                      aria-label={`Remove ${username} from ${f.name}`}
                      onClick={() =>
                        void act(api['flows.setMember']({ flow: f.name, member: { principal: username }, role: null }))
                      }
                    >
                      ×
                    </button>
                  )}
                </span>
              ))
            ) : (
              <span className="muted">no flow</span>
            )}
          </p>
          <p>
            Integrations acting through it:{' '}
            {resources.integrations.length ? (
              resources.integrations.map((r) => (
                <span key={r.flow} className="badge">
                  {r.flow}: {r.source} → {r.target}
                </span>
              ))
            ) : (
              <span className="muted">none</span>
            )}
          </p>
          {flowCan.removeAll && resources.sharedResources.length + resources.impersonationFlows.length > 0 && (
            <button
              onClick={() =>
                ask({
                  title: `Remove all impersonation access of ${username}?`,
                  body: (
                    <>
                      <p>{username} loses every way it impersonates users:</p>
                      <ul>
                        {resources.sharedResources.map((r) => (
                          <li key={r}>shared resource {r}</li>
                        ))}
                        {resources.impersonationFlows.map((f) => (
                          <li key={f.name}>impersonation access to flow {f.name}</li>
                        ))}
                      </ul>
                      <p>
                        Its own flow memberships stay. The Audit log keeps the list in the Record Deletion Log, to
                        restore from.
                      </p>
                      {flowCan.selfAddFor.length > 0 && (
                        <p>
                          You are not Flow Admin of {flowCan.selfAddFor.join(', ')}: as a Super Admin you are added as
                          its Flow Admin for this change and taken off again after, both in its History (R-K4).
                        </p>
                      )}
                    </>
                  ),
                  confirm: 'Remove all',
                  run: () => act(api['serviceAccounts.removeAllImpersonation']({ username })),
                })
              }
            >
              Remove all impersonation access
            </button>
          )}
        </div>
      )}
      {created && <SecretOnce created={created} onDone={() => setCreated(null)} />}
      {dialog}
    </section>
  );
}
