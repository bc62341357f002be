import { useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { FilterSelect } from '../components/FilterSelect';
import { FlowSettings } from './FlowSettings';
import { NewFlow } from './NewFlow';
import { MemberFlowItems } from './FlowItems';
import { usePermissions } from '../stores/permissions';
import {
  FLOW_TYPES,
  IMPERSONABLE_FLOW_TYPES,
  withArticle,
  type FlowSummary,
  type FlowType,
} from '../../../shared/model';
import { Rule } from '../components/Rule';

export function Flows() {
  const [type, setType] = useState<FlowType | ''>('');
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // Every member sees their own flows' items; the list of all flows, and their settings, need directory.read.
  const canListAll = usePermissions((s) => s.can['directory.read'] === true);
  const canCreate = usePermissions((s) => s.can['policy.import'] === true);

  useEffect(() => {
    if (!canListAll) return;
    void api['flows.list'](type ? { type } : {}).then((r) => {
      if (r.ok) {
        setFlows(r.value);
        setError(null);
      } else setError(r.error.message);
    });
  }, [type, version, canListAll]);

  if (!canListAll) {
    return (
      <div className="flows">
        <MemberFlowItems />
      </div>
    );
  }
  return (
    <div className="flows">
      <MemberFlowItems version={version} />
      <div className="toolbar">
        <FilterSelect<FlowType> label="Type" value={type} options={FLOW_TYPES} onChange={setType} />
      </div>
      <ErrorNote message={error} />
      <table aria-label="Flows">
        <thead>
          <tr>
            <th>Flow</th>
            <th>Type</th>
            <th>Members</th>
            <th>Impersonation access</th>
          </tr>
        </thead>
        <tbody>
          {flows.map((f) => (
            <tr key={f.name}>
              <td>
                <button className="link" onClick={() => setSelected(f.name)}>
                  {f.name}
                </button>
              </td>
              <td>
                <span className="badge">{f.type}</span>
              </td>
              <td>{f.members}</td>
              <td>
                {!IMPERSONABLE_FLOW_TYPES.includes(f.type) ? (
                  <span className="muted">
                    Not available for {withArticle(f.type)}: only processes, boards and datasets.
                    <Rule id="R-K3" />
                  </span>
                ) : f.impersonation.length ? (
                  f.impersonation.map((sa) => (
                    <span key={sa} className="badge kind-service">
                      {sa}
                    </span>
                  ))
                ) : (
                  <span className="muted">No service account</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canCreate && (
        <NewFlow
          onCreated={(name) => {
            setSelected(name);
            setVersion((v) => v + 1);
          }}
        />
      )}
      {selected && (
        <FlowSettings
          key={selected}
          name={selected}
          onChanged={() => setVersion((v) => v + 1)}
          onDeleted={() => {
            setSelected(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </div>
  );
}
