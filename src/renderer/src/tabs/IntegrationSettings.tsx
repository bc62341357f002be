// An integration flow's rule: when an item in one flow completes, a service account creates an item in another as
// that item's initiator, with a field mapping. Main checks the rule on save and runs it; this form only says what
// main would need (R-K5: the account's impersonation access on the target) so a Flow Admin sees a run that would be
// refused before it happens.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import {
  IMPERSONABLE_FLOW_TYPES,
  TITLE_FIELD,
  type FieldMapping,
  type FlowDetail,
  type FlowSummary,
  type IntegrationRule,
  type SharedResourceGrants,
} from '../../../shared/model';
import { Rule } from '../components/Rule';

/** The rule as the form edits it: what integrations.set takes. */
type Draft = Omit<IntegrationRule, 'flow' | 'lastRunAt'>;

const EMPTY: Draft = { source: '', target: '', serviceAccount: '', mapping: [], submit: false, enabled: true };

const ruleDraft = ({ flow: _flow, lastRunAt: _lastRunAt, ...draft }: IntegrationRule): Draft => draft;
const draftOf = (r: IntegrationRule | null): Draft => (r ? ruleDraft(r) : EMPTY);

/** One side of a field mapping: the flow's field names, `title` first. */
function FieldChoice(props: { label: string; value: string; names: string[]; onChange(name: string): void }) {
  return (
    <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.names.map((n) => (
        <option key={n}>{n}</option>
      ))}
    </select>
  );
}

/** A flow's field names with `title` first, for one side of the mapping. */
function useFieldNames(flow: string): { names: string[]; detail: FlowDetail | null } {
  const [detail, setDetail] = useState<FlowDetail | null>(null);
  useEffect(() => {
    setDetail(null);
    if (flow) void api['flows.get']({ name: flow }).then((r) => r.ok && setDetail(r.value));
  }, [flow]);
  return { names: [TITLE_FIELD, ...(detail?.fields.map((f) => f.name) ?? [])], detail };
}

export function IntegrationSettings({ flow, canEdit }: { flow: string; canEdit: boolean }) {
  const [rule, setRule] = useState<IntegrationRule | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [accounts, setAccounts] = useState<SharedResourceGrants[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const source = useFieldNames(draft.source);
  const target = useFieldNames(draft.target);

  const refresh = useCallback(async () => {
    const r = await api['integrations.get']({ flow });
    if (!r.ok) return setError(r.error.message);
    setRule(r.value);
    setDraft(draftOf(r.value));
  }, [flow]);

  useEffect(() => {
    void refresh();
    void api['flows.list']({}).then(
      (r) => r.ok && setFlows(r.value.filter((f) => IMPERSONABLE_FLOW_TYPES.includes(f.type))),
    );
    void api['sharedResources.list']({}).then((r) => r.ok && setAccounts(r.value));
  }, [refresh]);

  async function save(next: Draft | null) {
    const r = await api['integrations.set']({ flow, rule: next });
    setError(r.ok ? null : r.error.message);
    setSaved(r.ok ? (next ? 'Rule saved.' : 'Rule removed.') : null);
    if (r.ok) {
      setRule(r.value);
      setDraft(draftOf(r.value));
    }
  }

  const set = (change: Partial<Draft>) => {
    setSaved(null);
    setDraft({ ...draft, ...change });
  };
  const setMapping = (i: number, change: Partial<FieldMapping>) =>
    set({ mapping: draft.mapping.map((m, j) => (j === i ? { ...m, ...change } : m)) });
  const complete = draft.source && draft.target && draft.serviceAccount;
  // R-K5: without impersonation access on the target, every run would be refused; say so before it happens.
  const noAccess =
    target.detail && draft.serviceAccount && !target.detail.impersonation.includes(draft.serviceAccount)
      ? `${draft.serviceAccount} has no impersonation access on ${target.detail.name}: every run will be refused until a Flow Admin of ${target.detail.name} grants it.`
      : null;

  return (
    <section aria-label="Integration rule">
      <h3>Integration rule</h3>
      <p className="muted">
        {rule
          ? `When an item in ${rule.source} completes, ${rule.serviceAccount} creates an item in ${rule.target} as that item's initiator${rule.enabled ? '' : ' (disabled)'}. Last run: ${rule.lastRunAt ?? 'never'}. Each run is a Script Log record.`
          : 'No rule yet: this integration does nothing.'}
      </p>
      <fieldset disabled={!canEdit} className="integration-form">
        <label className="field">
          <span>When an item completes in</span>
          <select
            aria-label="Source flow"
            value={draft.source}
            onChange={(e) => set({ source: e.target.value, mapping: [] })}
          >
            <option value="">Choose a flow…</option>
            {flows.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({f.type})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>create an item in</span>
          <select
            aria-label="Target flow"
            value={draft.target}
            onChange={(e) => set({ target: e.target.value, mapping: [] })}
          >
            <option value="">Choose a flow…</option>
            {flows
              .filter((f) => f.name !== draft.source)
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name} ({f.type})
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>as its initiator, through</span>
          <select
            aria-label="Integration service account"
            value={draft.serviceAccount}
            onChange={(e) => set({ serviceAccount: e.target.value })}
          >
            <option value="">Choose a service account…</option>
            {accounts.map((a) => (
              <option key={a.serviceAccount} value={a.serviceAccount}>
                {a.serviceAccount} — {a.displayName}
              </option>
            ))}
          </select>
        </label>
        {noAccess && (
          <p className="notice" role="note">
            {noAccess}
            <Rule id="R-K5" />
          </p>
        )}
        <table aria-label="Field mapping">
          <tbody>
            {draft.mapping.map((m, i) => (
              <tr key={i}>
                <td>
                  <FieldChoice
                    label={`Mapping ${i + 1} from`}
                    value={m.from}
                    names={source.names}
                    onChange={(from) => setMapping(i, { from })}
                  />
                </td>
                <td>→</td>
                <td>
                  <FieldChoice
                    label={`Mapping ${i + 1} to`}
                    value={m.to}
                    names={target.names}
                    onChange={(to) => setMapping(i, { to })}
                  />
                </td>
                <td>
                  <button className="link" onClick={() => set({ mapping: draft.mapping.filter((_, j) => j !== i) })}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <button
            disabled={!draft.source || !draft.target}
            onClick={() => set({ mapping: [...draft.mapping, { from: TITLE_FIELD, to: TITLE_FIELD }] })}
          >
            Add field mapping
          </button>
          <label>
            <input type="checkbox" checked={draft.submit} onChange={(e) => set({ submit: e.target.checked })} /> Submit
            the new item (in progress) instead of leaving a draft
          </label>
          <label>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />{' '}
            Enabled
          </label>
        </div>
        <div className="row">
          <button className="primary" disabled={!complete} onClick={() => void save(draft)}>
            Save rule
          </button>
          {rule && <button onClick={() => void save(null)}>Remove rule</button>}
        </div>
      </fieldset>
      {!canEdit && <p className="muted">Only a Flow Admin of {flow} changes its rule.</p>}
      {saved && (
        <p className="muted" role="status">
          {saved}
        </p>
      )}
      <ErrorNote message={error} />
    </section>
  );
}
