// One flow's settings: members and roles, impersonation access, "Add me as Flow Admin", its items' fields, and an
// integration's rule.
// What is shown enabled follows main's decide() for this operator on this flow (access.canI).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { useConfirm } from '../components/ConfirmDialog';
import { IntegrationSettings } from './IntegrationSettings';
import { FlowFields } from './FlowFields';
import { PeopleList } from '../components/PeopleList';
import { useSession } from '../stores/session';
import {
  FLOW_ROLES,
  IMPERSONABLE_FLOW_TYPES,
  withArticle,
  type FlowDetail,
  type FlowRole,
  type SharedResourceGrants,
} from '../../../shared/model';
import type { Result } from '../../../shared/result';
import { Rule } from '../components/Rule';
import { TargetHistory } from '../components/TargetHistory';

const FLOW_CHECKS = ['flow.members', 'flow.impersonation', 'flow.addSelfAsAdmin', 'flow.settings'] as const;
const label = (s: string) => s.replace(/_/g, ' ');

export function FlowSettings({ name, onChanged, onDeleted }: { name: string; onChanged(): void; onDeleted(): void }) {
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [can, setCan] = useState<Record<(typeof FLOW_CHECKS)[number], boolean>>({
    'flow.members': false,
    'flow.impersonation': false,
    'flow.addSelfAsAdmin': false,
    'flow.settings': false,
  });
  const [accounts, setAccounts] = useState<SharedResourceGrants[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();
  const [newMember, setNewMember] = useState('');
  const [newRole, setNewRole] = useState<FlowRole>('viewer');
  const [newAccount, setNewAccount] = useState('');
  /** Add member found them a member already: main's question, asked here before their role is changed. */
  const [confirmRole, setConfirmRole] = useState<{
    member: { principal: string } | { group: string };
    role: FlowRole;
    question: string;
  } | null>(null);
  // Whom the console acts as: while impersonating, that user's self-addition, as main judges it (R-S9).
  const me = useSession((s) => (s.status?.impersonation?.user ?? s.status?.operator)?.username);
  // Opened from the list above it, or just created: focus (and so scroll to) its heading, or the click shows nothing.
  const heading = useRef<HTMLHeadingElement>(null);
  const memberList = useId();
  const loaded = flow !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  const refresh = useCallback(async () => {
    const [detail, allowed] = await Promise.all([
      api['flows.get']({ name }),
      api['access.canI']({ checks: FLOW_CHECKS.map((action) => ({ action, resource: `flow:${name}` })) }),
    ]);
    if (detail.ok) setFlow(detail.value);
    else setError(detail.error.message);
    if (allowed.ok) setCan(Object.fromEntries(FLOW_CHECKS.map((a, i) => [a, allowed.value[i] === true])) as typeof can);
  }, [name]);

  useEffect(() => {
    void refresh();
    void api['sharedResources.list']({}).then((r) => r.ok && setAccounts(r.value));
  }, [refresh]);

  async function act(call: Promise<Result<FlowDetail>>) {
    const r = await call;
    setError(r.ok ? null : r.error.message);
    if (r.ok) onChanged();
    await refresh();
  }

  async function addMember(member: { principal: string } | { group: string }, role: FlowRole) {
    const r = await api['flows.setMember']({ flow: name, member, role, adding: true });
    if (!r.ok && r.error.code === 'conflict' && r.error.field === 'member' && r.error.message.endsWith('?')) {
      setError(null);
      setConfirmRole({ member, role, question: r.error.message });
      return;
    }
    setNewMember('');
    setError(r.ok ? null : r.error.message);
    if (r.ok) onChanged();
    await refresh();
  }

  if (!flow) return <ErrorNote message={error} />;
  const mySelfAddition = flow.selfAdded.find((s) => s.principal === me);
  const impersonable = IMPERSONABLE_FLOW_TYPES.includes(flow.type);
  const grantable = accounts.filter((a) => !flow.impersonation.includes(a.serviceAccount));

  return (
    <section className="card flow-settings" aria-label={`Settings of ${flow.name}`}>
      <header className="row">
        <h2 ref={heading} tabIndex={-1}>
          {flow.name} <span className="badge">{flow.type}</span>
        </h2>
        {can['flow.addSelfAsAdmin'] && !can['flow.members'] && (
          <button onClick={() => void act(api['flows.addSelfAsAdmin']({ flow: flow.name }))}>
            Add me as Flow Admin
          </button>
        )}
        {can['flow.settings'] && (
          <button
            onClick={() =>
              ask({
                title: `Delete flow ${flow.name}?`,
                body: (
                  <p>
                    {flow.name}, its items, members and impersonation access are deleted. A snapshot goes to the Record
                    Deletion Log, from which it can be restored.
                  </p>
                ),
                confirm: 'Delete flow',
                run: () =>
                  api['flows.delete']({ name: flow.name }).then((r) =>
                    r.ok ? onDeleted() : setError(r.error.message),
                  ),
              })
            }
          >
            Delete flow
          </button>
        )}
      </header>
      <ErrorNote message={error} />
      {mySelfAddition && (
        <div className="row" role="group" aria-label="Your self-addition">
          You made yourself Flow Admin of {flow.name} (you were{' '}
          {mySelfAddition.was ? label(mySelfAddition.was) : 'not a member'}).
          <Rule id="R-K4" /> When you are done:
          <button onClick={() => void act(api['flows.removeSelfAsAdmin']({ flow: flow.name }))}>
            Remove my Flow Admin addition
          </button>
        </div>
      )}

      <h3>Members</h3>
      <table aria-label="Members">
        <tbody>
          {flow.members.map((m) => {
            const key = 'principal' in m ? m.principal : `group:${m.group}`;
            const member = 'principal' in m ? { principal: m.principal } : { group: m.group };
            return (
              <tr key={key}>
                <td>
                  {'principal' in m ? (
                    <>
                      <span className="mono">{m.principal}</span>
                      {m.service && <span className="badge kind-service">service account</span>}
                    </>
                  ) : (
                    <>
                      <span className="badge">group</span> {m.group}
                    </>
                  )}
                </td>
                <td>
                  <select
                    aria-label={`Role of ${key}`}
                    value={m.role}
                    disabled={!can['flow.members']}
                    onChange={(e) =>
                      void act(api['flows.setMember']({ flow: flow.name, member, role: e.target.value as FlowRole }))
                    }
                  >
                    {FLOW_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {label(r)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="actions">
                  {can['flow.members'] && (
                    <button
                      aria-label={`Remove ${key}`}
                      onClick={() => void act(api['flows.setMember']({ flow: flow.name, member, role: null }))}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {can['flow.members'] && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const text = newMember.trim();
            if (text)
              void addMember(text.startsWith('group:') ? { group: text.slice(6) } : { principal: text }, newRole);
          }}
        >
          <PeopleList id={memberList} groups />
          <input
            aria-label="New member"
            placeholder="username, or group:Name"
            list={memberList}
            value={newMember}
            onChange={(e) => setNewMember(e.target.value)}
          />
          <select aria-label="New member role" value={newRole} onChange={(e) => setNewRole(e.target.value as FlowRole)}>
            {FLOW_ROLES.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!newMember.trim()}>
            Add member
          </button>
        </form>
      )}
      {confirmRole && (
        <div className="row" role="group" aria-label="Change role?">
          <span>{confirmRole.question}</span>
          <button
            className="primary"
            onClick={() => {
              const { member, role } = confirmRole;
              setConfirmRole(null);
              setNewMember('');
              void act(api['flows.setMember']({ flow: flow.name, member, role }));
            }}
          >
            Change role
          </button>
          <button onClick={() => setConfirmRole(null)}>Cancel</button>
        </div>
      )}

      <h3>Impersonation access</h3>
      {!impersonable ? (
        <p className="muted" role="note">
          Impersonation access cannot be configured on {withArticle(flow.type)}: it exists only for processes, boards
          and datasets.
          <Rule id="R-K3" />
        </p>
      ) : (
        <>
          {flow.impersonation.length === 0 && <p className="muted">No service account has impersonation access.</p>}
          <ul className="plain">
            {flow.impersonation.map((sa) => (
              <li key={sa}>
                <span className="badge kind-service">{sa}</span>
                {can['flow.impersonation'] && (
                  <button
                    className="link"
                    aria-label={`Revoke impersonation access of ${sa}`}
                    onClick={() =>
                      ask({
                        title: `Revoke ${sa}'s impersonation access to ${flow.name}?`,
                        body: (
                          <p>
                            {sa} can no longer act as members of {flow.name}: programs and integrations that impersonate
                            users here through it are refused until a Flow Admin grants it again.
                            <Rule id="R-K5" />
                          </p>
                        ),
                        confirm: 'Revoke',
                        run: () =>
                          act(api['flows.setImpersonation']({ flow: flow.name, serviceAccount: sa, enabled: false })),
                      })
                    }
                  >
                    Revoke
                  </button>
                )}
              </li>
            ))}
          </ul>
          {can['flow.impersonation'] ? (
            <div className="row">
              <select aria-label="Service account" value={newAccount} onChange={(e) => setNewAccount(e.target.value)}>
                <option value="">Choose a service account…</option>
                {grantable.map((a) => (
                  <option key={a.serviceAccount} value={a.serviceAccount}>
                    {a.serviceAccount} — {a.displayName}
                  </option>
                ))}
              </select>
              <button
                disabled={!newAccount}
                onClick={() =>
                  void act(
                    api['flows.setImpersonation']({ flow: flow.name, serviceAccount: newAccount, enabled: true }),
                  )
                }
              >
                Grant impersonation access
              </button>
            </div>
          ) : (
            <p className="muted">
              Only a Flow Admin of {flow.name} grants or revokes its impersonation access.
              <Rule id="R-K4" />
            </p>
          )}
        </>
      )}
      {IMPERSONABLE_FLOW_TYPES.includes(flow.type) && (
        <FlowFields
          flow={flow}
          canEdit={can['flow.settings']}
          onSaved={() => {
            onChanged();
            void refresh();
          }}
        />
      )}
      {flow.type === 'integration' && <IntegrationSettings flow={flow.name} canEdit={can['flow.settings']} />}
      {/* Reloaded with the flow: a self-addition and its removal show here as they happen (R-K4). */}
      <TargetHistory target={`flow:${flow.name}`} version={flow} />
      {dialog}
    </section>
  );
}
