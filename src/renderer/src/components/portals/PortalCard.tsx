// One portal's report (R-A1–R-A3): per use case and object, required · actual (how) · verdict, with the fixes main
// computed; its service account's own entries that no use case needs; the warnings (among them what a group or Default
// gives it beyond its needs); and the record types its service account reaches.
import { useEffect, useId, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../Form';
import { useConfirm } from '../ConfirmDialog';
import { KeychainNeeded, useKeychainDown } from '../KeychainNeeded';
import { KEY_STATES } from './WebApiKeys';
import { PortalForm } from './PortalForm';
import {
  KIND_LABELS,
  LEVEL_LABELS,
  USE_CASE_TABLE,
  describeVia,
  granteeLabel,
  requirementLabel,
  type Fix,
  type HeldEntry,
  type PortalKey,
  type PortalReport,
  type PublishedPortalKey,
  type RecordTypeAccess,
  type Verdict,
} from '../../../../shared/portals';
import type { Result } from '../../../../shared/result';

const VERDICTS: Record<Verdict, { label: string; className: string }> = {
  missing: { label: 'missing', className: 'badge status-locked' },
  exact: { label: 'exact', className: 'badge status-active' },
  more_than_needed: { label: 'more than needed', className: 'badge warn' },
};

const how = (held: HeldEntry[]) =>
  held.length ? held.map((h) => `${LEVEL_LABELS[h.level]} ${describeVia(h.how)}`).join('; ') : 'no entry';

export function PortalCard(props: {
  report: PortalReport;
  /** Its API key's state (R-A5); undefined until loaded. */
  apiKey: PortalKey | undefined;
  canEdit: boolean;
  act(call: Promise<Result<unknown>>): Promise<boolean>;
  onPublished(key: PublishedPortalKey): void;
}) {
  const { portal, findings, unneeded, warnings, blocked } = props.report;
  const notNeeded = new Set(unneeded.map((u) => u.object));
  const [access, setAccess] = useState<RecordTypeAccess[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();
  const [editing, setEditing] = useState(false);
  const state = props.apiKey?.state;
  const keychainDown = useKeychainDown();
  const keychainNote = useId();
  const needsKeychain = keychainDown ? { disabled: true, 'aria-describedby': keychainNote } : {};

  // "Cannot be published until…" stops being true once the fixes unblock it: the message goes with the reason.
  useEffect(() => setError(null), [blocked]);

  async function publish() {
    const r = await api['portals.publish']({ name: portal.name });
    setError(r.ok ? null : r.error.message);
    if (r.ok) props.onPublished(r.value);
  }

  const rotate = () =>
    ask({
      title: `Rotate the API key of ${portal.name}`,
      body: (
        <p>
          Rotating deletes API key <span className="mono">{props.apiKey?.keyId}</span> now, and portal {portal.name} is
          unavailable until it is republished: end users may encounter errors until the portal is republished. Wait for
          off-peak hours.
        </p>
      ),
      confirm: 'Delete the key',
      run: () => props.act(api['portals.rotate']({ name: portal.name })),
    });
  const apply = (finding: string) => props.act(api['portals.fix']({ portal: portal.name, finding }));
  /**
   * A fix that changes a group's or Default (All Other Users)' entry changes what everyone in it reaches, not only
   * this portal's account: it is asked first, saying so. One that touches only direct entries runs at once.
   */
  const fix = (finding: string, f: Fix) => {
    const shared = f.changes.filter((c) => c.grantee.type !== 'user');
    if (!shared.length) return void apply(finding);
    const whom = [...new Set(shared.map((c) => granteeLabel(c.grantee)))].join(' and ');
    ask({
      title: `Change what ${whom} may do?`,
      body: (
        <>
          <p>{f.label}.</p>
          <p>
            This entry is not only {portal.serviceAccount}&apos;s: everyone it names ({whom}) is changed, people
            included. The change is recorded in History and can be changed back in Design objects.
          </p>
        </>
      ),
      confirm: 'Apply the fix',
      run: () => apply(finding),
    });
  };
  /** A finding's, an unneeded entry's or a warning's Fix, for whoever may edit; its label says what it changes. */
  const fixButton = (id: string, f: Fix | null | undefined) =>
    props.canEdit &&
    f && (
      <button title={f.label} onClick={() => fix(id, f)}>
        Fix
      </button>
    );

  async function showAccess() {
    const r = await api['portals.recordTypeAccess']({ serviceAccount: portal.serviceAccount });
    setError(r.ok ? null : r.error.message);
    setAccess(r.ok ? r.value : null);
  }

  return (
    <div className="card" role="region" aria-label={`Portal ${portal.name}`}>
      <h3>
        {portal.name} <span className="badge kind-service">{portal.serviceAccount}</span>{' '}
        {blocked && <span className="badge status-locked">publishing blocked</span>}{' '}
        {state && state !== 'unpublished' && (
          <span className={KEY_STATES[state].className}>{KEY_STATES[state].label}</span>
        )}
      </h3>
      <table aria-label={`Findings of ${portal.name}`}>
        <thead>
          <tr>
            <th>Use case</th>
            <th>Object</th>
            <th>Required</th>
            <th>Actual (how)</th>
            <th>Verdict</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={f.id} title={f.message}>
              <td>{USE_CASE_TABLE[f.useCase].label}</td>
              <td>
                {f.object} <span className="muted">{KIND_LABELS[f.kind]}</span>
              </td>
              <td>{requirementLabel(f.required)}</td>
              <td>
                {f.actual === null ? 'nothing' : LEVEL_LABELS[f.actual]} <span className="muted">({how(f.held)})</span>
              </td>
              <td>
                <span className={VERDICTS[f.verdict].className}>{VERDICTS[f.verdict].label}</span>
              </td>
              <td>{fixButton(f.id, f.fix)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {unneeded.length > 0 && (
        <table aria-label={`Entries of ${portal.serviceAccount}'s own that no use case needs`}>
          <caption>
            <span className="badge warn">R-A2</span> {portal.serviceAccount}'s own entries that no use case of its
            portals needs (least privilege); they do not block publishing
          </caption>
          <thead>
            <tr>
              <th>Object</th>
              <th>Its entry</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {unneeded.map((u) => (
              <tr key={u.id} title={u.message}>
                <td>
                  {u.object} <span className="muted">{KIND_LABELS[u.kind]}</span>
                </td>
                <td>{LEVEL_LABELS[u.level]}</td>
                <td>{fixButton(u.id, u.fix)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {warnings.map((w) => (
        <p key={w.id} className="notice" role="note">
          <span className="badge warn">{w.rule}</span> {w.message} {fixButton(w.id, w.fix)}
        </p>
      ))}
      <ErrorNote message={error} />
      {dialog}
      {props.canEdit && keychainDown && state !== undefined && (
        <KeychainNeeded id={keychainNote} down={keychainDown} doing="Publishing, rotating or republishing" />
      )}
      <div className="row">
        {props.canEdit && state === 'unpublished' && (
          <button {...needsKeychain} onClick={() => void publish()}>
            Publish
          </button>
        )}
        {props.canEdit && state === 'published' && (
          <button {...needsKeychain} onClick={rotate}>
            Rotate API key
          </button>
        )}
        {props.canEdit && state === 'unavailable' && (
          <button {...needsKeychain} onClick={() => void publish()}>
            Republish
          </button>
        )}
        <button className="link" onClick={() => void showAccess()}>
          View record type permissions for the service account
        </button>
        {props.canEdit && !editing && <button onClick={() => setEditing(true)}>Edit portal</button>}
        {props.canEdit && (
          <button
            onClick={() =>
              ask({
                title: `Delete portal ${portal.name}?`,
                body: (
                  <p>
                    {portal.name} and its use cases are deleted. A snapshot goes to the Record Deletion Log, from which
                    it can be restored.
                  </p>
                ),
                confirm: 'Delete portal',
                run: () => props.act(api['portals.delete']({ name: portal.name })),
              })
            }
          >
            Delete portal
          </button>
        )}
      </div>
      {editing && (
        <PortalForm
          title={`Edit portal ${portal.name}`}
          submit="Save changes"
          initial={portal}
          onCancel={() => setEditing(false)}
          save={async ({ serviceAccount, uses }) => {
            // One History record of what changed, old → new; the findings come back with the tab's reload.
            const r = await api['portals.update']({ name: portal.name, serviceAccount, uses });
            if (!r.ok) return r.error.message;
            setEditing(false);
            await props.act(Promise.resolve(r));
            return null;
          }}
        />
      )}
      {access && (
        <ul aria-label={`Record types ${portal.serviceAccount} can reach`}>
          {access.length === 0 && <li className="muted">None</li>}
          {access.map((a) => (
            <li key={a.object}>
              {a.object}: {LEVEL_LABELS[a.actual]} ({how(a.held)})
              {notNeeded.has(a.object) && (
                <>
                  {' '}
                  <span className="badge warn">own entry not needed</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
