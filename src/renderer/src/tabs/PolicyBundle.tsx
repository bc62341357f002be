// Policy bundle export and import: the import previews every change and waits for confirmation.
import { useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { download } from '../components/download';
import { plural } from '../../../shared/model';
import type { ImportPlan } from '../../../shared/bundle';

export function PolicyBundle({ canExport, canImport }: { canExport: boolean; canImport: boolean }) {
  const [doc, setDoc] = useState<unknown>(null);
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** R-A4: the differences between environments the operator accepted, one by one, by id. */
  const [accepted, setAccepted] = useState<string[]>([]);

  async function exportBundle() {
    const r = await api['policy.export']({});
    if (r.ok) download('deputy-policy.json', `${JSON.stringify(r.value, null, 2)}\n`, 'application/json');
    else setError(r.error.message);
  }

  async function preview(file: File) {
    setPlan(null);
    setAccepted([]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setError(`${file.name} is not a JSON file.`);
      return;
    }
    const r = await api['policy.import']({ bundle: parsed, dryRun: true });
    setDoc(r.ok ? parsed : null);
    setPlan(r.ok ? r.value : null);
    setError(r.ok ? null : r.error.message);
  }

  async function apply() {
    const r = await api['policy.import']({ bundle: doc, dryRun: false, accept: accepted });
    setDoc(null);
    setPlan(r.ok ? r.value : null);
    setError(r.ok ? null : r.error.message);
  }

  return (
    <section className="card" aria-label="Policy bundle">
      <h2>Policy bundle</h2>
      <p className="muted">
        Users, groups, service accounts, flows, design objects and portals as one JSON file. It never holds a secret or
        an API key.
      </p>
      <div className="row">
        {canExport && <button onClick={() => void exportBundle()}>Export</button>}
        {canImport && (
          <label className="file">
            <span>Import…</span>
            <input
              type="file"
              accept="application/json,.json"
              aria-label="Bundle file to import"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void preview(file);
              }}
            />
          </label>
        )}
        {!canExport && !canImport && <p className="muted">Your roles do not include exporting or importing policy.</p>}
      </div>
      <ErrorNote message={error} />
      {plan && (
        <section className="plan" aria-label="Import preview">
          <p role="status">
            {plan.changes.length === 0
              ? 'Nothing to change: this directory already matches the bundle.'
              : plan.applied
                ? `Imported: ${plural(plan.changes.length, 'change')}.`
                : `The import would make ${plural(plan.changes.length, 'change')}:`}
          </p>
          <ul className="plain">
            {plan.changes.map((c) => (
              <li key={c.subject}>
                <strong>
                  {c.kind === 'add' ? '+ ' : '~ '}
                  {c.subject}
                </strong>
                {c.details.map((d) => (
                  <div key={d} className="muted mono">
                    {d}
                  </div>
                ))}
              </li>
            ))}
          </ul>
          {plan.refused.length > 0 && (
            <div role="alert" className="error" aria-label="Changes you may not make">
              <p>
                You may not make {plan.refused.length === 1 ? 'this change' : 'these changes'}: a flow&apos;s members
                and impersonation access are its Flow Admins&apos; (R-K4). Add yourself as Flow Admin of the flow first
                (Flows tab), or leave it out of the bundle.
              </p>
              {plan.refused.map((r) => (
                <p key={r} className="mono">
                  {r}
                </p>
              ))}
            </div>
          )}
          {plan.warnings.map((w) => (
            <p key={w} className="notice">
              {w}
            </p>
          ))}
          {plan.drift.length > 0 && (
            <fieldset aria-label="Differences between environments">
              <legend>
                {plan.applied
                  ? 'Differences between environments accepted for this import (R-A4):'
                  : 'This environment differs for the service accounts the portals need (R-A4). Make them match, or accept each difference:'}
              </legend>
              <ul className="plain">
                {plan.drift.map((d) => (
                  <li key={d.id}>
                    <label>
                      <input
                        type="checkbox"
                        aria-label={`Accept difference ${d.id}`}
                        disabled={plan.applied}
                        checked={plan.applied ? plan.accepted.includes(d.id) : accepted.includes(d.id)}
                        onChange={(e) =>
                          setAccepted((was) => (e.target.checked ? [...was, d.id] : was.filter((id) => id !== d.id)))
                        }
                      />{' '}
                      <span className="mono">{d.id}</span>: {d.message}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          {!plan.applied && plan.changes.length > 0 && (
            <div className="row">
              <button
                className="primary"
                disabled={plan.refused.length > 0 || plan.drift.some((d) => !accepted.includes(d.id))}
                onClick={() => void apply()}
              >
                Import {plural(plan.changes.length, 'change')}
              </button>
              <button onClick={() => setPlan(null)}>Cancel</button>
            </div>
          )}
        </section>
      )}
    </section>
  );
}
