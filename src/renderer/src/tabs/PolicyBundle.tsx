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

  async function exportBundle() {
    const r = await api['policy.export']({});
    if (r.ok) download('deputy-policy.json', `${JSON.stringify(r.value, null, 2)}\n`, 'application/json');
    else setError(r.error.message);
  }

  async function preview(file: File) {
    setPlan(null);
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
    const r = await api['policy.import']({ bundle: doc, dryRun: false });
    setDoc(null);
    setPlan(r.ok ? r.value : null);
    setError(r.ok ? null : r.error.message);
  }

  return (
    <section className="card" aria-label="Policy bundle">
      <h2>Policy bundle</h2>
      <p className="muted">Users, groups, service accounts and flows as one JSON file. It never holds a secret.</p>
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
          {plan.warnings.map((w) => (
            <p key={w} className="notice">
              {w}
            </p>
          ))}
          {!plan.applied && plan.changes.length > 0 && (
            <div className="row">
              <button className="primary" onClick={() => void apply()}>
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
