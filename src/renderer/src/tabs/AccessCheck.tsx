// Access check: pick an actor, optionally someone to act as, an action and a resource; see the
// decision and the chain of reasons, straight from main's policy engine.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorNote, FieldError } from '../components/Form';
import type { ApiError } from '../../../shared/result';
import { ACTIONS, resourceTypeOf, ruleLabel, type Action, type Decision } from '../../../shared/policy';
import type { FlowSummary } from '../../../shared/model';
import { PeopleList } from '../components/PeopleList';

export function AccessCheck() {
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [actor, setActor] = useState('');
  const [onBehalfOf, setOnBehalfOf] = useState('');
  const [action, setAction] = useState<Action>('item.create');
  const [target, setTarget] = useState('');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const resourceType = resourceTypeOf(action);

  useEffect(() => {
    void api['flows.list']({}).then((r) => r.ok && setFlows(r.value));
  }, []);

  async function check(e: FormEvent) {
    e.preventDefault();
    const resource = resourceType === 'account' ? 'account' : `${resourceType}:${target}`;
    const r = await api['access.check']({
      actor: actor.trim(),
      action,
      resource,
      ...(onBehalfOf.trim() ? { onBehalfOf: onBehalfOf.trim() } : {}),
    });
    if (r.ok) {
      setDecision(r.value);
      setError(null);
    } else {
      setDecision(null);
      setError(r.error);
    }
  }

  return (
    <div className="access-check">
      <PeopleList id="principals" />
      <form className="card" aria-label="Access check" onSubmit={(e) => void check(e)}>
        <h2>Who may do what, as whom — and why</h2>
        <div className="grid">
          <label className="field">
            <span>Actor</span>
            <input list="principals" value={actor} onChange={(e) => setActor(e.target.value)} placeholder="username" />
          </label>
          <label className="field">
            <span>Acting as (optional)</span>
            <input
              list="principals"
              value={onBehalfOf}
              onChange={(e) => setOnBehalfOf(e.target.value)}
              placeholder="user a service account or session acts as"
            />
          </label>
          <label className="field">
            <span>Action</span>
            <select
              aria-label="Action"
              value={action}
              onChange={(e) => {
                const next = e.target.value as Action;
                // A flow name is no user name: the target starts over when its kind changes.
                if (resourceTypeOf(next) !== resourceType) setTarget('');
                setAction(next);
              }}
            >
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          {resourceType === 'flow' && (
            <label className="field">
              <span>Flow</span>
              <select aria-label="Flow" value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">Choose a flow…</option>
                {flows.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name} ({f.type})
                  </option>
                ))}
              </select>
              <FieldError name="resource" error={error} />
            </label>
          )}
          {resourceType === 'user' && (
            <label className="field">
              <span>User</span>
              <input list="principals" value={target} onChange={(e) => setTarget(e.target.value)} />
              <FieldError name="resource" error={error} />
            </label>
          )}
        </div>
        {!(error?.field === 'resource' && resourceType !== 'account') && <ErrorNote error={error} />}
        <button type="submit" className="primary">
          Check
        </button>
      </form>
      {decision && (
        <section className="card decision" aria-label="Decision">
          <h2>
            <span className={decision.allowed ? 'badge status-active' : 'badge status-locked'}>
              {decision.allowed ? 'Allowed' : 'Denied'}
            </span>
          </h2>
          <ol className="reasons">
            {decision.reasons.map((r, i) => (
              <li key={i}>
                <span className="rule mono">{ruleLabel(r)}</span> {r.fact}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
